import type { ReactNode } from 'react'

export function EmptyState({ title, body, action }: { title: string; body?: string; action?: ReactNode }) {
	return (
		<div className="flex flex-col items-center justify-center gap-2 rounded-xl border border-dashed border-gray-300 px-4 py-10 text-center dark:border-gray-700">
			<div className="size-10 rounded-full bg-gray-100 dark:bg-gray-800" aria-hidden />
			<p className="text-sm font-medium text-gray-900 dark:text-gray-100">{title}</p>
			{body ? <p className="max-w-sm text-sm text-gray-500">{body}</p> : null}
			{action}
		</div>
	)
}
