// The review card's rows for a receipt that pays a store invoice: which invoice (linked to the
// admin's invoice page), its total and status, and the end user it is billed to — so the admin
// approving the receipt knows what the money is for. Rows of the card's <dl>.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { StatusPill } from '~/components/ui/status-pill'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

const TONE: Record<string, 'green' | 'amber' | 'gray'> = { paid: 'green', open: 'amber', draft: 'gray', void: 'gray' }

export interface PaidInvoice {
	id: string
	number: string | null
	total: bigint
	currency: string
	status: string
	payerName: string
	payerUsername: string
}

export function PaysInvoice({ invoice: inv }: { invoice: PaidInvoice }) {
	const { t, i18n } = useTranslation()
	// Rial like the rest of the card: the admin compares this total with the receipt's amount.
	const total = formatMoney(i18n.language as Lang, BigInt(inv.total), inv.currency)
	return (
		<>
			<dt className="text-gray-500">{t('receipts.admin.paysInvoice')}</dt>
			<dd className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="pays-invoice">
				<Link to={`/admin/invoices/${inv.id}`} className="font-mono text-accent hover:underline" dir="ltr">{inv.number ?? `#${inv.id}`}</Link>
				<span className="tabular-nums">{total}</span>
				<StatusPill tone={TONE[inv.status] ?? 'gray'} pulse={false} label={t(`invoices.status.${inv.status}`, { defaultValue: inv.status })} />
			</dd>
			<dt className="text-gray-500">{t('receipts.admin.billedTo')}</dt>
			<dd data-testid="billed-to">
				{inv.payerName}
				{inv.payerName !== inv.payerUsername ? <> <bdi className="text-gray-500">({inv.payerUsername})</bdi></> : null}
			</dd>
		</>
	)
}
