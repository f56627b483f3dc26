// Credit notes (issue 12): the only correction of an issued invoice. A credit note is an invoice
// row of type credit_note in its own gapless series (CN-1405-000001), issued at once with one
// correction line and the tax share of the original, never more in total than what is still
// uncredited on the original. When the original was paid, the credited amount goes to the
// user's wallet through the ledger in the same transaction.
import { moveWalletMoney } from '~/services/billing/ledger.server'
import { audit } from '~/utils/audit.server'
import { invoiceTransaction } from './checkout.server'
import { InvoiceError } from './errors'
import { takeNumber } from './numbering.server'

export async function issueCreditNote(actorId: number, invoiceId: bigint, amount: bigint, reason: string, now = new Date()) {
	return invoiceTransaction(async (tx) => {
		const [orig] = await tx.$queryRaw<Array<{ id: bigint; user_id: number; status: string; total: bigint; tax_amount: bigint; tax_rate_bp: number; tax_inclusive: boolean; number: string | null; bill_to: unknown }>>`
			select id, user_id, status::text, total, tax_amount, tax_rate_bp, tax_inclusive, number, bill_to from invoices where id = ${invoiceId} and type = 'invoice' for update`
		if (!orig) throw new InvoiceError('not_found')
		if (orig.status !== 'paid') throw new InvoiceError('invalid_state')
		const [c] = await tx.$queryRaw<Array<{ credited: bigint }>>`select coalesce(sum(total), 0)::bigint as credited from invoices where credit_of_id = ${invoiceId} and type = 'credit_note'`
		if (amount <= 0n || amount > orig.total - c!.credited) throw new InvoiceError('credit_too_large')
		// The tax share of the amount, in the original's proportion (rounded down, never over it).
		const tax = orig.total > 0n ? (amount * orig.tax_amount) / orig.total : 0n
		const n = await takeNumber(tx, 'CN', now)
		const note = await tx.invoice.create({
			data: {
				userId: orig.user_id,
				type: 'credit_note',
				kind: 'correction',
				status: 'draft',
				creditOfId: orig.id,
				billTo: (orig.bill_to ?? undefined) as object | undefined,
				note: reason.slice(0, 500),
				lines: { create: [{ position: 1, kind: 'correction', labelKey: 'invoices.line.correction', values: { number: orig.number ?? '' }, unitAmount: amount, amount }] },
				subtotal: amount - tax,
				taxRateBp: orig.tax_rate_bp,
				taxInclusive: true,
				taxAmount: tax,
				total: amount,
			},
		})
		const paid = orig.status === 'paid'
		await tx.invoice.update({ where: { id: note.id }, data: { status: 'paid', paymentStatus: paid ? 'refunded' : 'unpaid', series: n.series, jalaliYear: n.year, seq: n.seq, number: n.number, issuedAt: now, paidAt: now } })
		if (paid && amount === orig.total - c!.credited) await tx.invoice.update({ where: { id: orig.id }, data: { paymentStatus: 'refunded' } })
		await audit({ actorId, action: 'invoice.credit_note', entityType: 'invoice', entityId: String(orig.id), after: { creditNote: n.number, amount: String(amount), reason } }, tx)
		if (paid) {
			const revenue = amount - tax
			await moveWalletMoney(tx, {
				wallet: { userId: orig.user_id },
				amount,
				counter: tax > 0n ? [{ account: 'revenue', amount: -revenue }, { account: 'tax_payable', amount: -tax }] : 'revenue',
				kind: 'refund',
				refType: 'invoice',
				refId: String(orig.id),
				actorId,
				note: n.number,
				idempotencyKey: `credit_note:${note.id}`,
			})
		}
		return { id: note.id, number: n.number }
	})
}
