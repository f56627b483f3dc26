import { cn } from './cn'

const TONES = {
	green: { pill: 'bg-green-50 text-green-700 ring-green-600/20 dark:bg-green-950 dark:text-green-300', dot: 'bg-green-500' },
	red: { pill: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-950 dark:text-red-300', dot: 'bg-red-500' },
	amber: { pill: 'bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300', dot: 'bg-amber-500' },
	gray: { pill: 'bg-gray-50 text-gray-600 ring-gray-500/20 dark:bg-gray-800 dark:text-gray-300', dot: 'bg-gray-400' },
} as const

/** A status with a dot that pulses while the state is live (active, running). */
export function StatusPill({ tone, label, pulse = tone === 'green' }: { tone: keyof typeof TONES; label: string; pulse?: boolean }) {
	const t = TONES[tone]
	return (
		<span className={cn('inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', t.pill)}>
			<span className="relative flex size-2">
				{pulse ? <span className={cn('absolute inline-flex size-full animate-ping rounded-full opacity-75', t.dot)} /> : null}
				<span className={cn('relative inline-flex size-2 rounded-full', t.dot)} />
			</span>
			{label}
		</span>
	)
}
