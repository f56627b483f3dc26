import type { HTMLAttributes, ReactNode } from 'react'
import { cn } from './cn'

export function Card({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
	return <div className={cn('rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800', className)} {...props} />
}

export function CardTitle({ children, action }: { children: ReactNode; action?: ReactNode }) {
	return (
		<div className="mb-3 flex items-center justify-between gap-2">
			<h2 className="text-sm font-semibold text-gray-900 dark:text-gray-100">{children}</h2>
			{action}
		</div>
	)
}

/** A dashboard figure: label, big number, optional hint. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
	return (
		<Card>
			<p className="text-xs font-medium text-gray-500 dark:text-gray-400">{label}</p>
			<p className="mt-1 text-2xl font-semibold text-gray-900 tabular-nums dark:text-gray-50" data-testid="stat-value">
				{value}
			</p>
			{hint ? <p className="mt-1 text-xs text-gray-500">{hint}</p> : null}
		</Card>
	)
}
