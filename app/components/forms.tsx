import { useTranslation } from 'react-i18next'
import type { InputHTMLAttributes, ReactNode } from 'react'
import { cn } from './ui/cn'

/** Schema errors are translation keys ("errors.required"); anything else is shown as is. */
export function ErrorList({ errors, id }: { errors?: string[] | null; id?: string }) {
	const { t } = useTranslation()
	if (!errors?.length) return null
	return (
		<ul id={id} className="mt-1 space-y-0.5 text-sm text-red-600 dark:text-red-400" role="alert">
			{errors.map((e) => (
				<li key={e}>{t(e, { defaultValue: e })}</li>
			))}
		</ul>
	)
}

export const inputClass =
	'block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-accent aria-[invalid]:ring-red-500 dark:bg-gray-900 dark:text-gray-100 dark:ring-gray-700'

export function Field({
	label,
	errors,
	hint,
	inputProps,
	className,
}: {
	label: ReactNode
	errors?: string[] | null
	hint?: ReactNode
	inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string; name: string }
	className?: string
}) {
	const errorId = errors?.length ? `${inputProps.id}-error` : undefined
	return (
		<div className={cn('space-y-1', className)}>
			<label htmlFor={inputProps.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">
				{label}
			</label>
			<input aria-invalid={errorId ? true : undefined} aria-describedby={errorId} className={inputClass} {...inputProps} />
			{hint && !errorId ? <p className="text-xs text-gray-500">{hint}</p> : null}
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}
