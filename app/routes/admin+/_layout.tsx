import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Shell } from '~/components/shell'
import { unreadCount } from '~/models/notification.server'
import { requireAdmin } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireAdmin(request)
	return { user, unread: await unreadCount({ audience: 'admin' }) }
}

export default function AdminLayout() {
	const { user, unread } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const nav = [
		{ to: '/admin', label: t('nav.dashboard'), end: true },
		{ to: '/admin/nodes', label: t('nav.nodes') },
		{ to: '/admin/routers', label: t('routers.nav') },
		{ to: '/admin/resellers', label: t('adminBilling.nav.resellers') },
		{ to: '/admin/plans', label: t('adminBilling.nav.plans') },
		{ to: '/admin/orders', label: t('invoices.orders.title') },
		{ to: '/admin/invoices', label: t('invoices.admin.title') },
		{ to: '/admin/reports', label: t('reports.nav') },
		{ to: '/admin/coupons', label: t('invoices.coupons.title') },
		{ to: '/admin/categories', label: t('store.nav.categories') },
		{ to: '/admin/customers', label: t('store.nav.customers') },
		{ to: '/admin/store', label: t('store.nav.storeSettings') },
		{ to: '/admin/payments', label: t('receipts.nav.queue') },
		{ to: '/admin/payment-methods', label: t('payments.nav.methods') },
		{ to: '/admin/gateways', label: t('gateways.nav') },
		{ to: '/admin/users', label: t('nav.users') },
		{ to: '/admin/jobs', label: t('automation.nav.jobs') },
		{ to: '/admin/backups', label: t('automation.nav.backups') },
		{ to: '/admin/audit', label: t('audit.nav') },
		{ to: '/admin/settings', label: t('nav.settings') },
		{ to: '/admin/notifications', label: t('automation.nav.notifications') },
	]
	return (
		<Shell user={user} areaTitle={t('admin.title')} nav={nav} notifications={{ to: '/admin/notifications', unread }}>
			<Outlet />
		</Shell>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/admin" />
}
