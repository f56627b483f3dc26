import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { listPlans } from '~/models/plan.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	return { q, ...(await listPlans({ q, after })) }
}

export default function PlansPage() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('adminBilling.plans.title')} action={<Link to="/admin/plans/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('adminBilling.plans.add')}</Link>} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('adminBilling.plans.searchPlaceholder')}
				emptyTitle={t('adminBilling.plans.empty')}
				columns={[
					{
						key: 'name',
						header: t('adminBilling.plans.fields.name'),
						cell: (r) => (
							<>
								<Link to={`/admin/plans/${r.id}`} className="font-medium text-accent hover:underline">{r.name}</Link>
								{r.category ? <span className="ms-2 text-xs text-gray-500">{r.category.name}</span> : null}
								{r.trial ? <span className="ms-2 text-xs text-gray-500">{t('store.plans.trialBadge')}</span> : null}
							</>
						),
					},
					{ key: 'days', header: t('adminBilling.plans.fields.days'), cell: (r) => formatNumber(lang, r.days) },
					{ key: 'data', header: t('adminBilling.plans.fields.dataLimitGb'), cell: (r) => formatBytes(lang, r.dataLimitBytes) },
					{ key: 'public', header: t('adminBilling.plans.fields.publicPrice'), cell: (r) => (r.visibility === 'public' ? formatMoney(lang, r.publicPrice, 'IRR', 'IRT') : t('store.plans.visibility.resellers')) },
					{ key: 'reseller', header: t('adminBilling.plans.fields.resellerPrice'), cell: (r) => formatMoney(lang, r.resellerPrice, r.currency) },
					{ key: 'nodes', header: t('adminBilling.plans.fields.nodes'), cell: (r) => t('adminBilling.plans.nodesCount', { count: r._count.nodes }) },
					{ key: 'active', header: t('adminBilling.plans.fields.active'), cell: (r) => <StatusPill tone={r.active ? 'green' : 'gray'} label={t(r.active ? 'adminBilling.plans.active' : 'adminBilling.plans.inactive')} /> },
				]}
			/>
		</>
	)
}
