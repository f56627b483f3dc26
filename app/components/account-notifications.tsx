// The end user's latest notifications on /account (his services' usage and expiry, his
// receipts): text in his language and in his own wording (audience 'user'), the page it leads to,
// the time. Read-only and short; Telegram delivery and its choices are on /account/profile.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { notificationKeys, notificationLink, notificationValues } from '~/utils/notification-text'

export function AccountNotifications({ rows }: { rows: Array<{ id: string; kind: string; data: Record<string, unknown>; createdAt: string | Date }> }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<section className="mt-6 space-y-2">
			<div className="flex items-center justify-between gap-2">
				<h2 className="text-sm font-semibold">{t('automation.inbox.title')}</h2>
				<Link to="/account/profile" className="text-xs text-accent hover:underline">{t('notify.card.title')}</Link>
			</div>
			{rows.length === 0 ? (
				<p className="text-sm text-gray-500">{t('automation.inbox.empty')}</p>
			) : (
				<ul className="divide-y divide-gray-100 rounded-xl bg-white text-sm shadow-sm ring-1 ring-gray-200 dark:divide-gray-800 dark:bg-gray-900 dark:ring-gray-800" data-testid="account-notifications">
					{rows.map((n) => {
						const text = t(notificationKeys(n.kind, 'user'), { ...notificationValues(lang, n.data), defaultValue: t('automation.inbox.generic', { kind: n.kind }) })
						const link = notificationLink('account', n.kind, n.data)
						return (
							<li key={n.id} className="p-3">
								<p className="break-words">{link ? <Link to={link} className="hover:underline">{text}</Link> : text}</p>
								<p className="mt-0.5 text-xs text-gray-500">{formatDate(lang, n.createdAt, 'datetime')}</p>
							</li>
						)
					})}
				</ul>
			)}
		</section>
	)
}
