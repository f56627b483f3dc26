// One invoice as a page shows it (account and admin): header facts, explicit lines, totals.
// Line labels are translation keys with values, so each reader sees his language.
import { useTranslation } from 'react-i18next'
import { Card } from '~/components/ui/card'
import { StatusPill } from '~/components/ui/status-pill'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

export interface InvoiceViewData {
	number: string | null
	type: string
	kind: string
	status: string
	paymentStatus: string
	issuedAt: Date | string | null
	dueAt: Date | string | null
	paidAt: Date | string | null
	currency: string
	subtotal: bigint
	discount: bigint
	credit: bigint
	taxAmount: bigint
	total: bigint
	walletCredit: bigint
	lines: Array<{ position: number; labelKey: string; values: unknown; quantity: number; unitAmount: bigint; amount: bigint; included: boolean }>
}

export const invoiceTone = (status: string) => (status === 'paid' ? 'green' : status === 'open' ? 'amber' : status === 'void' ? 'red' : 'gray')

/** `display`: the store's Toman/Rial setting (settings.store.displayCurrency), as the storefront shows prices. */
export function InvoiceView({ invoice: inv, display }: { invoice: InvoiceViewData; display?: 'IRT' | 'IRR' }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const money = (v: bigint) => formatMoney(lang, v, inv.currency, display)
	const label = (key: string, values: unknown) => {
		const v = { ...((values ?? {}) as Record<string, unknown>) }
		for (const [k, x] of Object.entries(v)) if (typeof x === 'number') v[k] = formatNumber(lang, x)
		return t(key, v) as string
	}
	const Row = ({ name, value, strong }: { name: string; value: string; strong?: boolean }) => (
		<div className={`flex justify-between gap-3 py-1 ${strong ? 'font-semibold' : ''}`}>
			<dt>{name}</dt>
			<dd className="tabular-nums">{value}</dd>
		</div>
	)
	return (
		<Card className="space-y-4 p-4">
			<div className="flex flex-wrap items-center justify-between gap-2">
				<div>
					<p className="text-sm text-gray-500">{t(inv.type === 'credit_note' ? 'invoices.creditNote' : 'invoices.invoice')} · {t(`invoices.kind.${inv.kind}`)}</p>
					<p className="font-mono text-lg" dir="ltr">{inv.number ?? t('invoices.draftNumber')}</p>
				</div>
				<div className="flex gap-2">
					<StatusPill tone={invoiceTone(inv.status)} label={t(`invoices.status.${inv.status}`)} />
					<StatusPill tone={inv.paymentStatus === 'paid' ? 'green' : 'gray'} label={t(`invoices.paymentStatus.${inv.paymentStatus}`)} />
				</div>
			</div>
			<dl className="grid grid-cols-1 gap-1 text-sm sm:grid-cols-3">
				{inv.issuedAt ? <Row name={t('invoices.issued')} value={formatDate(lang, inv.issuedAt)} /> : null}
				{inv.dueAt && inv.status === 'open' ? <Row name={t('invoices.due')} value={formatDate(lang, inv.dueAt, 'datetime')} /> : null}
				{inv.paidAt ? <Row name={t('invoices.paidAt')} value={formatDate(lang, inv.paidAt)} /> : null}
			</dl>
			<ul className="divide-y divide-gray-200 text-sm dark:divide-gray-800">
				{inv.lines.map((l) => (
					<li key={l.position} className="flex items-start justify-between gap-3 py-2">
						<span className={l.included ? 'text-gray-500' : ''}>
							{label(l.labelKey, l.values)}
							{l.quantity > 1 ? <span className="ms-1 text-gray-500">× {formatNumber(lang, l.quantity)}</span> : null}
						</span>
						<span className="shrink-0 tabular-nums">{money(l.amount)}</span>
					</li>
				))}
			</ul>
			<dl className="ms-auto max-w-xs text-sm">
				<Row name={t('invoices.subtotal')} value={money(inv.subtotal)} />
				{inv.discount > 0n ? <Row name={t('invoices.discount')} value={money(-inv.discount)} /> : null}
				{inv.credit > 0n ? <Row name={t('invoices.credit')} value={money(-inv.credit)} /> : null}
				{inv.taxAmount > 0n ? <Row name={t('invoices.tax')} value={money(inv.taxAmount)} /> : null}
				<Row name={t('invoices.total')} value={money(inv.total)} strong />
				{inv.walletCredit > 0n ? <p className="text-xs text-gray-500">{t('invoices.walletCredit')}: {money(inv.walletCredit)}</p> : null}
			</dl>
		</Card>
	)
}
