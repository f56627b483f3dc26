// The reseller's own reports (issue 14): what the ledger recorded of his charges, refunds and
// credits, and Excel exports of his own rows only (his scope is fixed by his login, never a field).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ReportExports } from '~/components/reports/exports'
import { ReportFigures } from '~/components/reports/figures'
import { ReportFilters } from '~/components/reports/filters'
import type { ReportsView } from '~/components/reports/types'
import { PageHeader } from '~/components/shell'
import { Card } from '~/components/ui/card'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { exportAction, loadReportsPage } from '~/services/reports/page.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	return loadReportsPage(request, { resellerId: reseller.id })
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	return exportAction(request, user, { resellerId: reseller.id }, `/reseller/reports${new URL(request.url).search}`)
}

export default function ResellerReports() {
	const view = useLoaderData<typeof loader>() as ReportsView
	const result = useActionData<typeof action>() as { errors?: Record<string, string[]> } | undefined
	const { t } = useTranslation()
	return (
		<div className="space-y-4">
			<PageHeader title={t('reports.resellerTitle')} />
			<p className="text-sm text-gray-600 dark:text-gray-300">{t('reports.resellerIntro')}</p>
			<Card><ReportFilters view={view} /></Card>
			<ReportFigures view={view} showResellers={false} />
			<ReportExports view={view} base="/reseller/reports" errors={result?.errors} />
		</div>
	)
}
