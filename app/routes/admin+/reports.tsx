// Reports and analytics (issue 14): the ledger's revenue for a range, by day, Jalali month, plan,
// reseller and node; gross vs net; active paid services; receipt approval times; Excel exports
// of any sheet, run by the worker (app/services/reports/*).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ReportExports } from '~/components/reports/exports'
import { ReportFigures } from '~/components/reports/figures'
import { ReportFilters } from '~/components/reports/filters'
import type { ReportsView } from '~/components/reports/types'
import { PageHeader } from '~/components/shell'
import { Card } from '~/components/ui/card'
import { exportAction, loadReportsPage } from '~/services/reports/page.server'
import { requireAdmin } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return loadReportsPage(request, { resellerId: null })
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	return exportAction(request, admin, { resellerId: null }, `/admin/reports${new URL(request.url).search}`)
}

export default function AdminReports() {
	const view = useLoaderData<typeof loader>() as ReportsView
	const result = useActionData<typeof action>() as { errors?: Record<string, string[]> } | undefined
	const { t } = useTranslation()
	return (
		<div className="space-y-4">
			<PageHeader title={t('reports.title')} />
			<p className="text-sm text-gray-600 dark:text-gray-300">{t('reports.intro')}</p>
			<Card><ReportFilters view={view} /></Card>
			<ReportFigures view={view} showResellers />
			<ReportExports view={view} base="/admin/reports" errors={result?.errors} />
		</div>
	)
}
