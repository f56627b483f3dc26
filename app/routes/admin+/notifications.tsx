import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NotificationList } from '~/components/notifications'
import { PageHeader } from '~/components/shell'
import { notificationAction, parseUnreadFilter } from '~/models/notification-actions.server'
import { listNotifications, unreadCount, type Audience } from '~/models/notification.server'
import { requireAdmin } from '~/utils/auth.server'
import { parseListParams } from '~/utils/pagination.server'

const ADMINS: Audience = { audience: 'admin' }

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { after } = parseListParams(request)
	const unreadOnly = parseUnreadFilter(request)
	const [page, unread] = await Promise.all([listNotifications(ADMINS, { after, unread: unreadOnly }), unreadCount(ADMINS)])
	return { ...page, unreadOnly, unread }
}

export async function action({ request }: ActionFunctionArgs) {
	await requireAdmin(request)
	return notificationAction(request, ADMINS)
}

export default function AdminNotifications() {
	const { rows, nextCursor, unreadOnly, unread } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={t('automation.inbox.title')} />
			<NotificationList area="admin" rows={rows} nextCursor={nextCursor} unreadOnly={unreadOnly} unread={unread} />
		</div>
	)
}
