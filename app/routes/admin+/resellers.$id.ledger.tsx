import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { LEDGER_KINDS, ledgerPage, parseLedgerFilters } from '~/models/reseller-ledger.server'
import { resellerFromParams } from '~/models/reseller.server'
import { withOrderCustomers } from '~/models/reseller-wallet.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const reseller = await resellerFromParams(params)
	const filters = parseLedgerFilters(request)
	const page = await ledgerPage(reseller.id, filters)
	// An order's rows name its customer, as on the reseller's own wallet page (issue 15).
	return { reseller: { id: reseller.id, name: reseller.name }, filters, kinds: LEDGER_KINDS, ...page, rows: await withOrderCustomers(reseller.id, page.rows) }
}

export default function ResellerLedger() {
	const { reseller, filters, kinds, rows, nextCursor } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const show = (r: { account: string; currency: string }, v: bigint) => (r.account === 'traffic' ? formatBytes(lang, v) : formatMoney(lang, v, r.currency))
	const select = `${inputClass} w-auto`
	return (
		<>
			<PageHeader title={t('adminBilling.ledger.title', { name: reseller.name })} action={<Link to={`/admin/resellers/${reseller.id}`} className="text-sm font-medium text-accent hover:underline">{t('adminBilling.ledger.back')}</Link>} />
			<DataTable
				rows={rows}
				q={filters.q}
				nextCursor={nextCursor}
				rowKey={(r) => String(r.id)}
				searchPlaceholder={t('adminBilling.ledger.searchPlaceholder')}
				emptyTitle={t('adminBilling.ledger.empty')}
				filters={
					<>
						<select name="account" defaultValue={filters.account ?? ''} aria-label={t('adminBilling.adjust.account')} className={select}>
							<option value="">{t('adminBilling.ledger.allAccounts')}</option>
							{(['money', 'traffic'] as const).map((a) => <option key={a} value={a}>{t(`adminBilling.adjust.accounts.${a}`)}</option>)}
						</select>
						<select name="kind" defaultValue={filters.kind ?? ''} aria-label={t('adminBilling.ledger.columns.kind')} className={select}>
							<option value="">{t('adminBilling.ledger.allKinds')}</option>
							{kinds.map((k) => <option key={k} value={k}>{t(`adminBilling.ledger.kinds.${k}`)}</option>)}
						</select>
						<label className="flex items-center gap-1 text-sm">
							<span className="whitespace-nowrap text-gray-600 dark:text-gray-400">{t('adminBilling.ledger.from')}</span>
							<input type="date" name="from" defaultValue={filters.from ?? ''} className={select} dir="ltr" />
						</label>
						<label className="flex items-center gap-1 text-sm">
							<span className="whitespace-nowrap text-gray-600 dark:text-gray-400">{t('adminBilling.ledger.to')}</span>
							<input type="date" name="to" defaultValue={filters.to ?? ''} className={select} dir="ltr" />
						</label>
					</>
				}
				columns={[
					{ key: 'date', header: t('adminBilling.ledger.columns.date'), cell: (r) => formatDate(lang, r.createdAt, 'datetime') },
					{ key: 'kind', header: t('adminBilling.ledger.columns.kind'), cell: (r) => <>{t(`adminBilling.ledger.kinds.${r.kind}`, { defaultValue: r.kind })}{r.orderKind ? <span className="text-gray-500"> · {t(`customers.orderKind.${r.orderKind}`, { defaultValue: r.orderKind })}</span> : null}</> },
					{
						key: 'customer',
						header: t('adminBilling.ledger.columns.customer'),
						cell: (r) => (r.customer ? (
							<Link to={`/admin/customers?${new URLSearchParams({ owner: String(reseller.id), q: r.customer.username })}`} className="font-medium text-accent hover:underline" data-testid="ledger-customer">
								<bdi dir="ltr">{r.customer.username}</bdi>
							</Link>
						) : '—'),
					},
					{ key: 'amount', header: t('adminBilling.ledger.columns.amount'), cell: (r) => <span className={`tabular-nums ${r.amount < 0n ? 'text-red-600' : 'text-green-700 dark:text-green-400'}`}>{show(r, r.amount)}</span> },
					{ key: 'balance', header: t('adminBilling.ledger.columns.balance'), cell: (r) => <span className="tabular-nums">{show(r, r.balanceBefore)} {lang === 'fa' ? '←' : '→'} {show(r, r.balanceAfter)}</span> },
					{ key: 'ref', header: t('adminBilling.ledger.columns.reference'), cell: (r) => (r.refType ? `${t(`adminBilling.ledger.refTypes.${r.refType}`, { defaultValue: r.refType })}${r.refId ? ` #${r.refId}` : ''}` : t('adminBilling.none')) },
					{ key: 'actor', header: t('adminBilling.ledger.columns.actor'), cell: (r) => <span dir="ltr">{r.actor ?? t('adminBilling.resellers.history.system')}</span> },
					{ key: 'note', header: t('adminBilling.ledger.columns.note'), className: 'px-3 py-2 min-w-48 break-words text-gray-700 dark:text-gray-300', cell: (r) => r.note ?? '' },
				]}
			/>
		</>
	)
}
