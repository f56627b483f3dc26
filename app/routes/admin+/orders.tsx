import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { ORDER_STATUSES } from '~/models/invoice-form'
import { listOrders } from '~/models/invoice.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

// Every order, the store's and the resellers', newest first. Unknown filters mean no filter.
const Filters = z.object({ status: z.enum(ORDER_STATUSES).nullable().catch(null), source: z.enum(['store', 'resellers']).nullable().catch(null) })
const tone = (s: string) => (s === 'completed' ? 'green' : s === 'partly_failed' || s === 'failed_refunded' ? 'red' : 'amber')

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	const url = new URL(request.url)
	const { status, source } = Filters.parse({ status: url.searchParams.get('status'), source: url.searchParams.get('source') })
	return { q, status, source, ...(await listOrders({ q, status, source, after })) }
}

export default function AdminOrders() {
	const { rows, nextCursor, q, status, source } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('invoices.orders.title')} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('invoices.orders.searchPlaceholder')}
				filters={
					<>
						<select name="status" defaultValue={status ?? ''} aria-label={t('invoices.orders.allStatuses')} className={`${inputClass} w-auto`}>
							<option value="">{t('invoices.orders.allStatuses')}</option>
							{ORDER_STATUSES.map((s) => (
								<option key={s} value={s}>{t(`invoices.orders.status.${s}`)}</option>
							))}
						</select>
						<select name="source" defaultValue={source ?? ''} aria-label={t('invoices.orders.owner')} className={`${inputClass} w-auto`}>
							<option value="">{t('invoices.orders.owner')}</option>
							<option value="store">{t('invoices.orders.store')}</option>
							<option value="resellers">{t('adminBilling.nav.resellers')}</option>
						</select>
					</>
				}
				columns={[
					{ key: 'id', header: '#', cell: (r) => <span dir="ltr" className="font-mono">{r.id}</span> },
					{ key: 'customer', header: t('invoices.orders.customer'), cell: (r) => <bdi>{r.customer?.username ?? '—'}</bdi> },
					{ key: 'owner', header: t('invoices.orders.owner'), cell: (r) => r.reseller?.name ?? t('invoices.orders.store') },
					{ key: 'kind', header: t('invoices.orders.kind'), cell: (r) => t(`invoices.orders.kinds.${r.kind}`, { defaultValue: r.kind }) },
					{ key: 'amount', header: t('invoices.amount'), cell: (r) => <span className="tabular-nums">{formatMoney(lang, r.amount, r.currency)}</span> },
					{ key: 'date', header: t('invoices.issued'), cell: (r) => formatDate(lang, r.createdAt, 'datetime') },
					{ key: 'status', header: t('invoices.orders.allStatuses'), cell: (r) => <StatusPill tone={tone(r.status)} label={t(`invoices.orders.status.${r.status}`)} /> },
				]}
			/>
		</>
	)
}
