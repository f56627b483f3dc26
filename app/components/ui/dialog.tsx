import { useFormAction } from '@remix-run/react'
import { AlertDialog } from 'radix-ui'
import { useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { CONFIRM_KIND, CONFIRM_PATH, CONFIRM_TO, kindField, type ConfirmKind } from '~/utils/confirm-step'
import { useHydrated } from '~/utils/use-hydrated'
import { Button, type ButtonProps } from './button'

/**
 * A submit button that asks first. With JavaScript, a radix alert dialog confirms before the form
 * is submitted. Without it, the button sends the form by GET to the confirmation step (/confirm),
 * which asks the same question and posts the same fields to this form's action: a destructive
 * action never goes through on one tap, with or without JavaScript.
 */
export function ConfirmButton({ title, body, confirmLabel, kind, formAction, children, ...buttonProps }: ButtonProps & { title?: string; body?: ReactNode; confirmLabel?: string; kind?: ConfirmKind; formAction?: string }) {
	const hydrated = useHydrated()
	const { t } = useTranslation()
	const [open, setOpen] = useState(false)
	const ref = useRef<HTMLButtonElement>(null)
	const routeAction = useFormAction()
	if (!hydrated) {
		return (
			<>
				<input type="hidden" name={CONFIRM_TO} value={formAction ?? routeAction} />
				{kind ? <input type="hidden" name={buttonProps.name && buttonProps.value != null ? kindField(buttonProps.name, String(buttonProps.value)) : CONFIRM_KIND} value={kind} /> : null}
				<Button type="submit" formMethod="get" formAction={CONFIRM_PATH} {...buttonProps}>{children}</Button>
			</>
		)
	}
	return (
		<AlertDialog.Root open={open} onOpenChange={setOpen}>
			<AlertDialog.Trigger asChild>
				<Button type="button" {...buttonProps}>{children}</Button>
			</AlertDialog.Trigger>
			{/* the real submit stays inside the form so its name/value are sent */}
			<button ref={ref} type="submit" name={buttonProps.name} value={buttonProps.value} formAction={formAction} hidden />
			<AlertDialog.Portal>
				<AlertDialog.Overlay className="fixed inset-0 z-40 bg-gray-900/40" />
				<AlertDialog.Content className="fixed start-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-sm -translate-y-1/2 rounded-xl bg-white p-5 shadow-lg ring-1 ring-gray-200 ltr:-translate-x-1/2 rtl:translate-x-1/2 dark:bg-gray-900 dark:ring-gray-800" data-testid="confirm-dialog">
					<AlertDialog.Title className="text-base font-semibold">{title ?? (kind ? t(`daily.confirm.${kind}.title`) : t('dialog.areYouSure'))}</AlertDialog.Title>
					{(body ?? kind) ? <AlertDialog.Description className="mt-2 text-sm text-gray-600 dark:text-gray-400">{body ?? t(`daily.confirm.${kind}.body`)}</AlertDialog.Description> : null}
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
