import type { ReactNode } from 'react'

const ICONS = {
	// an open tray: nothing here yet
	inbox: 'M3 13.5h4.2l1.3 2h3l1.3-2H17M4.6 5.1 3 13.5v3A1.5 1.5 0 0 0 4.5 18h11a1.5 1.5 0 0 0 1.5-1.5v-3l-1.6-8.4A1.5 1.5 0 0 0 13.9 4H6.1a1.5 1.5 0 0 0-1.5 1.1Z',
	// people: customers, resellers
	users: 'M7.5 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm0 2C4.5 11 2 12.8 2 15v2h11v-2c0-2.2-2.5-4-5.5-4Zm6-2a2.5 2.5 0 1 0 0-5M15 11.2c1.8.5 3 1.9 3 3.8v2h-2.5',
	// a search that found nothing
	search: 'M8.5 15a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Zm4.6-1.9L18 18',
	// a server: nodes
	server: 'M3 4.5A1.5 1.5 0 0 1 4.5 3h11A1.5 1.5 0 0 1 17 4.5v3A1.5 1.5 0 0 1 15.5 9h-11A1.5 1.5 0 0 1 3 7.5v-3Zm0 8A1.5 1.5 0 0 1 4.5 11h11a1.5 1.5 0 0 1 1.5 1.5v3a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 3 15.5v-3ZM6 6h.01M6 14h.01',
	// money: wallet, ledger
	wallet: 'M3 6.5A2.5 2.5 0 0 1 5.5 4h9A1.5 1.5 0 0 1 16 5.5V7h.5A1.5 1.5 0 0 1 18 8.5v7a1.5 1.5 0 0 1-1.5 1.5h-11A2.5 2.5 0 0 1 3 14.5v-8ZM3 7h13m-2.5 5h.01',
	// a tick: all done (no failed jobs)
	check: 'M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm-3.5-8 2.5 2.5 4.5-5',
} as const
export type EmptyIcon = keyof typeof ICONS

/** Nothing to show: an icon that says what is missing, a line of why, and the next step. */
export function EmptyState({ title, body, action, icon = 'inbox' }: { title: string; body?: string; action?: ReactNode; icon?: EmptyIcon }) {
	return (
		<div className="flex flex-col items-center justify-center gap-2 rounded-xl bg-white px-4 py-10 text-center shadow-sm ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800" data-testid="empty-state">
			<span className="flex size-12 items-center justify-center rounded-full bg-accent/10 text-accent" aria-hidden>
				<svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" className="size-6">
					<path d={ICONS[icon]} />
				</svg>
			</span>
			<p className="text-sm font-medium text-gray-900 dark:text-gray-100">{title}</p>
			{body ? <p className="max-w-sm text-sm text-gray-500">{body}</p> : null}
			{action}
		</div>
	)
}
