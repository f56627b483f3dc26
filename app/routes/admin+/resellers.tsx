import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { listResellers } from '~/models/reseller.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	return { q, ...(await listResellers({ q, after })) }
}

export default function ResellersPage() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('adminBilling.resellers.title')} action={<Link to="/admin/resellers/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('adminBilling.resellers.add')}</Link>} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('adminBilling.resellers.searchPlaceholder')}
				emptyTitle={t('adminBilling.resellers.empty')}
				columns={[
					{
						key: 'name',
						header: t('adminBilling.resellers.columns.name'),
						cell: (r) => (
							<>
								<Link to={`/admin/resellers/${r.id}`} className="font-medium text-accent hover:underline">{r.name}</Link>
								{r.shopName ? <span className="block text-xs text-gray-500">{r.shopName}</span> : null}
							</>
						),
					},
					{ key: 'username', header: t('adminBilling.resellers.columns.username'), cell: (r) => <span dir="ltr">{r.user.username}</span> },
					{ key: 'funding', header: t('adminBilling.resellers.columns.funding'), cell: (r) => t(`adminBilling.resellers.funding.${r.fundingModel}`) },
					{
						key: 'balance',
						header: t('adminBilling.resellers.columns.balance'),
						cell: (r) => (
							<span className={`tabular-nums ${r.fundingModel === 'wallet' && r.balance < 0n ? 'text-red-600' : ''}`} data-testid={`balance-${r.id}`}>
								{r.fundingModel === 'wallet' ? formatMoney(lang, r.balance, r.currency) : formatBytes(lang, r.poolBytes)}
							</span>
						),
					},
					{ key: 'status', header: t('adminBilling.resellers.columns.status'), cell: (r) => <StatusPill tone={r.user.status === 'active' ? 'green' : 'gray'} label={t(`status.${r.user.status}`)} /> },
				]}
			/>
		</>
	)
}
