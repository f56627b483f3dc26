// /reseller/notifications — the reseller's own feed (mark read) and his Telegram: link code,
// unlink, which events he wants by Telegram (forms told apart by intent).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NotificationList } from '~/components/notifications'
import { PageHeader } from '~/components/shell'
import { TelegramCard } from '~/components/telegram-card'
import { notificationAction, parseUnreadFilter } from '~/models/notification-actions.server'
import { listNotifications, unreadCount } from '~/models/notification.server'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { isTelegramIntent, telegramAction, telegramCard } from '~/services/telegram/profile.server'
import { readForm } from '~/utils/form-data.server'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	const audience = { audience: 'reseller', resellerId: reseller.id } as const
	const { after } = parseListParams(request)
	const unreadOnly = parseUnreadFilter(request)
	const [page, unread, telegram] = await Promise.all([listNotifications(audience, { after, unread: unreadOnly }), unreadCount(audience), telegramCard(user.id, 'reseller')])
	return { ...page, unreadOnly, unread, telegram }
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	const form = await readForm(request.clone())
	if (isTelegramIntent(form)) return telegramAction(form, user.id, 'reseller', '/reseller/notifications')
	const res = await notificationAction(request, { audience: 'reseller', resellerId: reseller.id })
	// the feed's own 400 answers in the shape this page reads
	return 'data' in res ? data({ telegram: null, error: res.data.error }, { status: 400 }) : res
}

export default function ResellerNotifications() {
	const { rows, nextCursor, unreadOnly, unread, telegram } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-3xl space-y-6">
			<PageHeader title={t('automation.inbox.title')} />
			<NotificationList area="reseller" rows={rows} nextCursor={nextCursor} unreadOnly={unreadOnly} unread={unread} />
			<TelegramCard card={telegram} issued={actionData?.telegram} error={actionData?.error} />
		</div>
	)
}
