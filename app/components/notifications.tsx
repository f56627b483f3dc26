// The notification feed of either area: newest first, keyset pages, mark one / all read (plain
// POST forms). A notification stores a kind and translation values; the text is made here, in the
// reader's language, and a kind this version does not know is still shown with its values.
import { Form, Link, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatBytes, formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
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

const DATE_RE = /^\d{4}-\d{2}-\d{2}T/

const INTEGER_RE = /^-?\d+$/
const MONEY_KEYS = ['balance', 'amount']

/** Values ready for interpolation: numbers, byte counts (…Bytes), money (with `currency`) and dates in the reader's format. */
export function notificationValues(lang: Lang, data: Record<string, unknown>) {
	const currency = typeof data.currency === 'string' ? data.currency : null
	const integer = (v: unknown): v is number | string => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && INTEGER_RE.test(v))
	return Object.fromEntries(
		Object.entries(data).map(([k, v]) => {
			if (/bytes$/i.test(k) && integer(v)) return [k, formatBytes(lang, BigInt(v))]
			if (currency && MONEY_KEYS.includes(k) && integer(v)) return [k, formatMoney(lang, BigInt(v), currency)]
			if (typeof v === 'number') return [k, formatNumber(lang, v)]
			if (typeof v === 'string' && DATE_RE.test(v) && !Number.isNaN(Date.parse(v))) return [k, formatDate(lang, v, 'datetime')]
			return [k, typeof v === 'string' ? v : JSON.stringify(v)]
		}),
	)
}

const WALLET_KINDS = ['pool_low', 'pool_exhausted', 'pool_window_over', 'balance_negative', 'credit_disabled']

/** Where a notification leads, from the ids it carries. */
export function notificationLink(area: 'admin' | 'reseller', kind: string, data: Record<string, unknown>) {
	const id = (k: string) => (typeof data[k] === 'number' || (typeof data[k] === 'string' && /^\d+$/.test(data[k] as string)) ? String(data[k]) : null)
	if (id('paymentId')) return area === 'admin' ? `/admin/payments/${id('paymentId')}` : `/reseller/wallet/top-up/${id('paymentId')}`
	if (area === 'reseller') return id('customerId') ? `/reseller/customers/${id('customerId')}` : WALLET_KINDS.includes(kind) ? '/reseller/wallet' : null
	if (kind === 'job_failing' || kind === 'drift') return '/admin/jobs'
	if (id('nodeId')) return `/admin/nodes/${id('nodeId')}`
	if (id('resellerId')) return `/admin/resellers/${id('resellerId')}`
	return null
}

export function NotificationList({ area, rows, nextCursor, unreadOnly, unread }: { area: 'admin' | 'reseller'; rows: NotificationRow[]; nextCursor: string | null; unreadOnly: boolean; unread: number }) {
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
