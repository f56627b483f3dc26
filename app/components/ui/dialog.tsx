import { AlertDialog } from 'radix-ui'
import { useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useHydrated } from '~/utils/use-hydrated'
import { Button, type ButtonProps } from './button'

/**
 * A submit button that asks first. Without JavaScript it is a plain submit button (the form
 * still works); with it, a radix alert dialog confirms before the form is submitted.
 */
export function ConfirmButton({ title, body, confirmLabel, children, ...buttonProps }: ButtonProps & { title?: string; body?: ReactNode; confirmLabel?: string }) {
	const hydrated = useHydrated()
	const { t } = useTranslation()
	const [open, setOpen] = useState(false)
	const ref = useRef<HTMLButtonElement>(null)
	if (!hydrated) return <Button type="submit" {...buttonProps}>{children}</Button>
	return (
		<AlertDialog.Root open={open} onOpenChange={setOpen}>
			<AlertDialog.Trigger asChild>
				<Button type="button" {...buttonProps}>{children}</Button>
			</AlertDialog.Trigger>
			{/* the real submit stays inside the form so its name/value are sent */}
			<button ref={ref} type="submit" name={buttonProps.name} value={buttonProps.value} hidden />
			<AlertDialog.Portal>
				<AlertDialog.Overlay className="fixed inset-0 bg-gray-900/40" />
				<AlertDialog.Content className="fixed start-1/2 top-1/2 w-[calc(100vw-2rem)] max-w-sm -translate-y-1/2 rounded-xl bg-white p-5 shadow-lg ring-1 ring-gray-200 ltr:-translate-x-1/2 rtl:translate-x-1/2 dark:bg-gray-900 dark:ring-gray-800">
					<AlertDialog.Title className="text-base font-semibold">{title ?? t('dialog.areYouSure')}</AlertDialog.Title>
					{body ? <AlertDialog.Description className="mt-2 text-sm text-gray-600 dark:text-gray-400">{body}</AlertDialog.Description> : null}
					<div className="mt-4 flex justify-end gap-2">
						<AlertDialog.Cancel asChild>
							<Button variant="secondary">{t('dialog.cancel')}</Button>
						</AlertDialog.Cancel>
						<AlertDialog.Action asChild>
							<Button variant={buttonProps.variant === 'danger' ? 'danger' : 'primary'} onClick={() => ref.current?.click()}>
								{confirmLabel ?? t('dialog.confirm')}
							</Button>
						</AlertDialog.Action>
					</div>
				</AlertDialog.Content>
			</AlertDialog.Portal>
		</AlertDialog.Root>
	)
}
