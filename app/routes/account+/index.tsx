import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AccountNotifications } from '~/components/account-notifications'
import { PageHeader } from '~/components/shell'
import { Stat } from '~/components/ui/card'
import { userFigures } from '~/models/dashboard.server'
import { listNotifications } from '~/models/notification.server'
import { requireCustomer } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	// his latest notifications (his services' usage and expiry, his receipts): a short list
	const [figures, notes] = await Promise.all([userFigures(user.id), listNotifications({ audience: 'user', userId: user.id }, { unread: false })])
	return { name: user.displayName ?? user.username, figures, notifications: notes.rows.slice(0, 5) }
}

export default function AccountHome() {
	const { name, figures, notifications } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('account.welcome', { name })} />
			<div className="grid grid-cols-2 gap-3">
				<Stat label={t('account.sessions')} value={formatNumber(lang, figures.sessions)} />
				<Stat label={t('account.memberSince')} value={<span className="text-base">{formatDate(lang, figures.since)}</span>} />
			</div>
			<AccountNotifications rows={notifications} />
		</>
	)
}
