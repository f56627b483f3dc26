import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Shell } from '~/components/shell'
import { requireCustomer } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	return { user }
}

export default function AccountLayout() {
	const { user } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<Shell user={user} areaTitle={t('account.title')} nav={[{ to: '/account', label: t('account.dashboard'), end: true }, { to: '/account/services', label: t('services.nav') }, { to: '/account/invoices', label: t('invoices.title') }, { to: '/account/profile', label: t('profile.nav') }, { to: '/account/wallet', label: t('receipts.nav.wallet') }]}>
			<Outlet />
		</Shell>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/account" />
}
