import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NotificationList } from '~/components/notifications'
import { PageHeader } from '~/components/shell'
import { notificationAction, parseUnreadFilter } from '~/models/notification-actions.server'
import { listNotifications, unreadCount } from '~/models/notification.server'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const audience = { audience: 'reseller', resellerId: reseller.id } as const
	const { after } = parseListParams(request)
	const unreadOnly = parseUnreadFilter(request)
	const [page, unread] = await Promise.all([listNotifications(audience, { after, unread: unreadOnly }), unreadCount(audience)])
	return { ...page, unreadOnly, unread }
}

export async function action({ request }: ActionFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	return notificationAction(request, { audience: 'reseller', resellerId: reseller.id })
}

export default function ResellerNotifications() {
	const { rows, nextCursor, unreadOnly, unread } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={t('automation.inbox.title')} />
			<NotificationList area="reseller" rows={rows} nextCursor={nextCursor} unreadOnly={unreadOnly} unread={unread} />
		</div>
	)
}
