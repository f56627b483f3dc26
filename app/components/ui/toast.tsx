import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Toast as ToastData } from '~/utils/toast.server'
import { cn } from './cn'

/**
 * Rendered in the HTML (visible without JS); with JS it fades away after a few seconds. On phones
 * it sits above the bottom tab bar and on wider screens at the bottom corner, so it never covers
 * the page title and status at the top (issue 15). The × is a CSS-only toggle: it closes the
 * toast without JavaScript too.
 */
export function Toast({ toast }: { toast: ToastData | null }) {
	const { t } = useTranslation()
	const [visible, setVisible] = useState(true)
	useEffect(() => {
		setVisible(true)
		const id = setTimeout(() => setVisible(false), 5000)
		return () => clearTimeout(id)
	}, [toast])
	if (!toast || !visible) return null
	return (
		<div className="pointer-events-none fixed inset-x-0 bottom-20 z-50 flex justify-center px-3 md:inset-x-auto md:end-6 md:bottom-6">
			<input type="checkbox" id="toast-close" className="peer sr-only" aria-hidden tabIndex={-1} />
			<div
				role="status"
				data-testid="toast"
				className={cn(
					'pointer-events-auto flex max-w-md items-start gap-3 rounded-xl px-4 py-3 text-sm font-medium shadow-lg ring-1 peer-checked:hidden',
					toast.type === 'error' ? 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-950 dark:text-red-200 dark:ring-red-900' : 'bg-white text-gray-900 ring-gray-200 dark:bg-gray-900 dark:text-gray-100 dark:ring-gray-800',
				)}
			>
				<span className="min-w-0 break-words">{t(toast.key, toast.values ?? {})}</span>
				<label htmlFor="toast-close" className="-me-1 cursor-pointer rounded px-1 text-gray-400 hover:text-gray-700 dark:hover:text-gray-200" aria-label={t('daily.toastClose')}>
					×
				</label>
			</div>
		</div>
	)
}
