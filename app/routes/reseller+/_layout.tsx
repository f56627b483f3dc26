import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Shell } from '~/components/shell'
import { resellerBell } from '~/models/reseller-area.server'
import { requireReseller } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireReseller(request)
	const { unread } = await resellerBell(user.id)
	return { user, unread }
}

export default function ResellerLayout() {
	const { user, unread } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const nav = [
		{ to: '/reseller', label: t('nav.home'), end: true },
		{ to: '/reseller/customers', label: t('nav.customers'), exclude: ['/reseller/customers/new'] },
		{ to: '/reseller/customers/new', label: t('customers.new'), end: true },
		{ to: '/reseller/wallet', label: t('nav.wallet') },
		{ to: '/reseller/notifications', label: t('automation.nav.notifications') },
		{ to: '/reseller/reports', label: t('reports.nav') },
	]
	return (
		<Shell user={user} areaTitle={t('reseller.title')} nav={nav} notifications={{ to: '/reseller/notifications', unread }}>
			<Outlet />
		</Shell>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/reseller" />
}
