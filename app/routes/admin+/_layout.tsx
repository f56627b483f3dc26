import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Shell } from '~/components/shell'
import { requireAdmin } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireAdmin(request)
	return { user }
}

export default function AdminLayout() {
	const { user } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const nav = [
		{ to: '/admin', label: t('nav.dashboard'), end: true },
		{ to: '/admin/nodes', label: t('nav.nodes') },
		{ to: '/admin/resellers', label: t('adminBilling.nav.resellers') },
		{ to: '/admin/plans', label: t('adminBilling.nav.plans') },
		{ to: '/admin/users', label: t('nav.users') },
	]
	return (
		<Shell user={user} areaTitle={t('admin.title')} nav={nav}>
			<Outlet />
		</Shell>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/admin" />
}
