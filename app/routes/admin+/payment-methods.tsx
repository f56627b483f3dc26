import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { groupCard } from '~/models/payment-method-form'
import { listPaymentMethods } from '~/models/payment-method.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	return { q, ...(await listPaymentMethods({ q, after })) }
}

/** What a payer is shown, in one line: a card in groups of four, a sheba, a wallet address. */
function accountOf(details: unknown) {
	const d = (details ?? {}) as Record<string, string | undefined>
	if (d.number) return groupCard(d.number)
	if (d.sheba) return d.sheba
	return [d.asset, d.network, d.address].filter(Boolean).join(' · ')
}

export default function PaymentMethodsPage() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const percent = (used: number, limit: number) => formatNumber(lang, Math.min(used / limit, 9.99), { style: 'percent', maximumFractionDigits: 0 })
	return (
		<>
			<PageHeader title={t('payments.methods.title')} action={<Link to="/admin/payment-methods/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('payments.methods.add')}</Link>} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('payments.methods.searchPlaceholder')}
				emptyTitle={t('payments.methods.empty')}
				columns={[
					{
						key: 'alias',
						header: t('payments.methods.fields.alias'),
						cell: (r) => (
							<>
								<Link to={`/admin/payment-methods/${r.id}`} className="font-medium text-accent hover:underline">{r.alias}</Link>
								<span className="ms-2 text-xs text-gray-500">{t(`payments.methods.kinds.${r.kind}`)}</span>
							</>
						),
					},
					{ key: 'account', header: t('payments.methods.account'), cell: (r) => <bdi dir="ltr" className="break-all font-mono text-xs">{accountOf(r.details)}</bdi> },
					{ key: 'priority', header: t('payments.methods.fields.priority'), cell: (r) => formatNumber(lang, r.priority) },
					{
						key: 'count',
						header: t('payments.methods.usageCount'),
						cell: (r) =>
							r.dailyCountLimit
								? t('payments.methods.usedOf', { used: formatNumber(lang, r.usedCount), limit: formatNumber(lang, r.dailyCountLimit), percent: percent(r.usedCount, r.dailyCountLimit) })
								: t('payments.methods.usedNoLimit', { used: formatNumber(lang, r.usedCount) }),
					},
					{
						key: 'amount',
						header: t('payments.methods.usageAmount'),
						cell: (r) =>
							r.dailyAmountLimit
								? t('payments.methods.usedOf', { used: formatMoney(lang, r.usedAmount, 'IRR'), limit: formatMoney(lang, r.dailyAmountLimit, 'IRR'), percent: percent(Number(r.usedAmount), Number(r.dailyAmountLimit)) })
								: t('payments.methods.usedNoLimit', { used: formatMoney(lang, r.usedAmount, 'IRR') }),
					},
					{ key: 'active', header: t('payments.methods.fields.active'), cell: (r) => <StatusPill tone={r.active ? 'green' : 'gray'} label={t(r.active ? 'payments.methods.active' : 'payments.methods.inactive')} /> },
				]}
			/>
		</>
	)
}
