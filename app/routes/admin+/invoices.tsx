import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { inputClass } from '~/components/forms'
import { invoiceTone } from '~/components/invoice-view'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { INVOICE_STATUSES } from '~/models/invoice-form'
import { listInvoices } from '~/models/invoice.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

// An unknown status filter is simply no filter (a bad query string is never a 500).
const statusParam = z.enum(INVOICE_STATUSES).nullable().catch(null)

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	const status = statusParam.parse(new URL(request.url).searchParams.get('status'))
	return { q, status, ...(await listInvoices({ q, status, after })), display: (await getStoreSettings()).displayCurrency }
}

export default function AdminInvoices() {
	const { rows, nextCursor, q, status, display } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('invoices.admin.title')} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => String(r.id)}
				searchPlaceholder={t('invoices.admin.searchPlaceholder')}
				emptyTitle={t('invoices.empty')}
				filters={
					<select name="status" defaultValue={status ?? ''} aria-label={t('invoices.admin.allStatuses')} className={`${inputClass} w-auto`}>
						<option value="">{t('invoices.admin.allStatuses')}</option>
						{INVOICE_STATUSES.map((s) => (
							<option key={s} value={s}>{t(`invoices.status.${s}`)}</option>
						))}
					</select>
				}
				columns={[
					{
						key: 'number',
						header: t('invoices.number'),
						cell: (r) => (
							<Link to={`/admin/invoices/${r.id}`} className="font-mono text-accent hover:underline" dir="ltr">
								{r.number ?? `#${r.id}`}
							</Link>
						),
					},
					{ key: 'type', header: t('invoices.description'), cell: (r) => (r.type === 'credit_note' ? t('invoices.creditNote') : t(`invoices.kind.${r.kind}`)) },
					{ key: 'user', header: t('invoices.user'), cell: (r) => <bdi>{r.username}</bdi> },
					{ key: 'date', header: t('invoices.issued'), cell: (r) => formatDate(lang, r.issuedAt ?? r.createdAt) },
					{ key: 'total', header: t('invoices.total'), cell: (r) => <span className="tabular-nums">{formatMoney(lang, r.total, r.currency, display)}</span> },
					{ key: 'status', header: t('invoices.status.open'), cell: (r) => <StatusPill tone={invoiceTone(r.status)} label={t(`invoices.status.${r.status}`)} /> },
				]}
			/>
		</>
	)
}
