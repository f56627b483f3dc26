// The notification feed of either area: newest first, keyset pages, mark one / all read (plain
// POST forms). A notification stores a kind and translation values; the text is made here, in the
// reader's language, and a kind this version does not know is still shown with its values.
import { Form, Link, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDate, formatNumber } from '~/utils/format'
import { notificationLink, notificationValues } from '~/utils/notification-text'
import type { Lang } from '~/utils/i18n'
import { Button } from './ui/button'
import { cn } from './ui/cn'
import { EmptyState } from './ui/empty-state'

export interface NotificationRow {
	id: string
	kind: string
	data: Record<string, unknown>
	readAt: Date | null
	createdAt: Date
}

// The pure parts (values, links) live in utils so the Telegram sender words messages the same way.
export { notificationLink, notificationValues } from '~/utils/notification-text'

export function NotificationList({ area, rows, nextCursor, unreadOnly, unread }: { area: 'admin' | 'reseller' | 'account'; rows: NotificationRow[]; nextCursor: string | null; unreadOnly: boolean; unread: number }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const location = useLocation()
	const params = new URLSearchParams(location.search)
	const pageUrl = (after: string | null) => {
		const next = new URLSearchParams(params)
		if (after) next.set('after', after)
		else next.delete('after')
		return `${location.pathname}?${next}`
	}
	const n = (k: string) => t(`automation.inbox.${k}`)
	return (
		<div className="space-y-3">
			<div className="flex flex-wrap items-center justify-between gap-2">
				<nav className="flex gap-1 text-sm" aria-label={n('filter')}>
					{[false, true].map((only) => (
						<Link key={String(only)} to={only ? `${location.pathname}?unread=1` : location.pathname} className={cn('rounded-md px-2 py-1', only === unreadOnly ? 'bg-accent/10 font-medium text-accent' : 'text-gray-600 dark:text-gray-400')}>
							{only ? t('automation.inbox.unreadOnly', { n: formatNumber(lang, unread) }) : n('all')}
						</Link>
					))}
				</nav>
				{unread > 0 ? (
					<Form method="post">
						<Button type="submit" name="intent" value="read_all" size="sm" variant="secondary">{n('markAllRead')}</Button>
					</Form>
				) : null}
			</div>
			{rows.length === 0 ? (
				<EmptyState title={n(unreadOnly ? 'emptyUnread' : 'empty')} />
			) : (
				<ul className="divide-y divide-gray-100 rounded-xl bg-white shadow-sm ring-1 ring-gray-200 dark:divide-gray-800 dark:bg-gray-900 dark:ring-gray-800" data-testid="notification-list">
					{rows.map((row) => {
						const values = notificationValues(lang, row.data)
						const key = `automation.notifications.${row.kind}`
						const known = i18n.exists(key)
						const link = notificationLink(area, row.kind, row.data)
						const text = known ? t(key, values) : t('automation.inbox.generic', { kind: row.kind })
						return (
							<li key={row.id} className={cn('flex items-start gap-3 p-3', row.readAt ? '' : 'bg-accent/5')} data-testid="notification" data-id={row.id} data-read={row.readAt ? 'true' : 'false'}>
								<span className={cn('mt-1.5 size-2 shrink-0 rounded-full', row.readAt ? 'bg-transparent' : 'bg-accent')} aria-hidden />
								<div className="min-w-0 flex-1 text-sm">
									<p className={cn('break-words', row.readAt ? 'text-gray-600 dark:text-gray-400' : 'font-medium text-gray-900 dark:text-gray-100')}>
										{link ? <Link to={link} className="hover:underline">{text}</Link> : text}
									</p>
									{!known && Object.keys(values).length ? (
										<dl className="mt-1 flex flex-wrap gap-x-3 text-xs text-gray-500">
											{Object.entries(values).map(([k, v]) => (
												<div key={k} className="flex gap-1 break-all"><dt>{k}:</dt><dd>{v}</dd></div>
											))}
										</dl>
									) : null}
									<p className="mt-0.5 text-xs text-gray-500">
										{formatDate(lang, row.createdAt, 'datetime')}
										{row.readAt ? '' : ` · ${n('unread')}`}
									</p>
								</div>
								{row.readAt ? null : (
									<Form method="post" className="shrink-0">
										<input type="hidden" name="id" value={row.id} />
										<Button type="submit" name="intent" value="read" size="sm" variant="ghost">{n('markRead')}</Button>
									</Form>
								)}
							</li>
						)
					})}
				</ul>
			)}
			<nav className="flex justify-between text-sm" aria-label="pagination">
				{params.get('after') ? <Link to={pageUrl(null)} className="text-accent hover:underline">{t('table.previous')}</Link> : <span />}
				{nextCursor ? <Link to={pageUrl(nextCursor)} className="text-accent hover:underline" rel="next">{t('table.next')}</Link> : null}
			</nav>
		</div>
	)
}
