import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Toast as ToastData } from '~/utils/toast.server'
import { cn } from './cn'

/** Rendered in the HTML (visible without JS); with JS it fades away after a few seconds. */
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
		<div role="status" className="pointer-events-none fixed inset-x-0 top-3 z-50 flex justify-center px-3">
			<div
				className={cn(
					'pointer-events-auto rounded-xl px-4 py-3 text-sm font-medium shadow-lg ring-1',
					toast.type === 'error' ? 'bg-red-50 text-red-800 ring-red-200' : 'bg-white text-gray-900 ring-gray-200 dark:bg-gray-900 dark:text-gray-100 dark:ring-gray-800',
				)}
			>
				{t(toast.key, toast.values ?? {})}
			</div>
		</div>
	)
}
