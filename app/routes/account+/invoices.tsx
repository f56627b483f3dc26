import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { invoiceTone } from '~/components/invoice-view'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { listUserInvoices } from '~/models/invoice.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const { after } = parseListParams(request)
	return { ...(await listUserInvoices(user.id, after)), display: (await getStoreSettings()).displayCurrency }
}

export default function AccountInvoices() {
	const { rows, nextCursor, display } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={t('invoices.title')} />
			<DataTable
				rows={rows}
				nextCursor={nextCursor}
				rowKey={(r) => String(r.id)}
				emptyTitle={t('invoices.empty')}
				columns={[
					{
						key: 'number',
						header: t('invoices.number'),
						cell: (r) => (
							<Link to={`/account/invoices/${r.id}`} className="font-mono text-accent hover:underline" dir="ltr">
								{r.number ?? t('invoices.draftNumber')}
							</Link>
						),
					},
					{ key: 'kind', header: t('invoices.description'), cell: (r) => t(`invoices.kind.${r.kind}`) },
					{ key: 'date', header: t('invoices.issued'), cell: (r) => formatDate(lang, r.issuedAt ?? r.createdAt) },
					{ key: 'total', header: t('invoices.total'), cell: (r) => <span className="tabular-nums">{formatMoney(lang, r.total, r.currency, display)}</span> },
					{ key: 'status', header: t('invoices.status.open'), cell: (r) => <StatusPill tone={invoiceTone(r.status)} label={t(`invoices.status.${r.status}`)} /> },
				]}
			/>
		</div>
	)
}
