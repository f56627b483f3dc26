// /admin/notifications — the admins' feed (mark read) and this admin's Telegram: link code,
// unlink, which events he wants by Telegram (forms told apart by intent). Bot settings: /admin/telegram.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NotificationList } from '~/components/notifications'
import { PageHeader } from '~/components/shell'
import { TelegramCard } from '~/components/telegram-card'
import { notificationAction, parseUnreadFilter } from '~/models/notification-actions.server'
import { listNotifications, unreadCount, type Audience } from '~/models/notification.server'
import { isTelegramIntent, telegramAction, telegramCard } from '~/services/telegram/profile.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { parseListParams } from '~/utils/pagination.server'

const ADMINS: Audience = { audience: 'admin' }

export async function loader({ request }: LoaderFunctionArgs) {
	const admin = await requireAdmin(request)
	const { after } = parseListParams(request)
	const unreadOnly = parseUnreadFilter(request)
	const [page, unread, telegram] = await Promise.all([listNotifications(ADMINS, { after, unread: unreadOnly }), unreadCount(ADMINS), telegramCard(admin.id, 'admin')])
	return { ...page, unreadOnly, unread, telegram }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	// the feed's forms read the body themselves: peek at a copy for the Telegram intents
	const form = await readForm(request.clone())
	if (isTelegramIntent(form)) return telegramAction(form, admin.id, 'admin', '/admin/notifications')
	const res = await notificationAction(request, ADMINS)
	// the feed's own 400 answers in the shape this page reads
	return 'data' in res ? data({ telegram: null, error: res.data.error }, { status: 400 }) : res
}

export default function AdminNotifications() {
	const { rows, nextCursor, unreadOnly, unread, telegram } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-3xl space-y-6">
			<PageHeader title={t('automation.inbox.title')} action={<Link to="/admin/telegram" className="text-sm text-accent hover:underline">{t('notify.admin.link')}</Link>} />
			<NotificationList area="admin" rows={rows} nextCursor={nextCursor} unreadOnly={unreadOnly} unread={unread} />
			<TelegramCard card={telegram} issued={actionData?.telegram} error={actionData?.error} />
		</div>
	)
}
