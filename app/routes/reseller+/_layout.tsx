import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Shell } from '~/components/shell'
import { requireReseller } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireReseller(request)
	return { user }
}

export default function ResellerLayout() {
	const { user } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const nav = [
		{ to: '/reseller', label: t('nav.home'), end: true },
		{ to: '/reseller/customers', label: t('nav.customers') },
		{ to: '/reseller/customers/new', label: t('customers.new'), end: true },
		{ to: '/reseller/wallet', label: t('nav.wallet') },
	]
	return (
		<Shell user={user} areaTitle={t('reseller.title')} nav={nav}>
			<Outlet />
		</Shell>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/reseller" />
}
