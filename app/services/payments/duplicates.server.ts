// Duplicate receipts (issue 11): the same file anywhere, or the same tracking code for the same
// destination, is refused with a link to the first payment; the same destination + amount +
// paid-at within 10 minutes from another payer is allowed but flagged for the reviewer (two real
// payers do send equal amounts to one card). The pre-checks find the first payment for the
// message; the unique indexes (migration 20261201220000) are what stops two concurrent twins.
import type { Tx } from '~/utils/db.server'
import { normalizeDigits } from '~/utils/format'
import { PaymentError } from './errors'

export const NEAR_DUPLICATE_MS = 10 * 60_000

/** Persian/Arabic digits folded, case folded, every space, dash, slash, dot or underscore removed. */
export function normalizeTrackingCode(code: string) {
	return normalizeDigits(code).toUpperCase().replace(/[\s\-\u2010-\u2015_./\\:#٬,]/g, '')
}

export interface DuplicateInput {
	paymentId: bigint
	userId: number
	methodId: number | null
	sha256: string
	trackingCodeNorm: string
	amount: bigint
	paidAt: Date
}

/** Throws duplicate_file / duplicate_tracking; returns the near duplicates (other payers' payments). */
export async function checkDuplicates(tx: Tx, d: DuplicateInput): Promise<bigint[]> {
	// Any earlier upload of these bytes, also one a payment has since replaced after a rejection.
	const [file] = await tx.$queryRaw<Array<{ payment_id: bigint }>>`
		select payment_id from payment_files where sha256 = ${d.sha256} and payment_id is not null and payment_id <> ${d.paymentId}
		union all
		select id from payments where receipt_sha256 = ${d.sha256} and id <> ${d.paymentId}
		order by 1 limit 1`
	if (file) throw new PaymentError('duplicate_file', { paymentId: String(file.payment_id) })
	if (d.methodId != null) {
		const [code] = await tx.$queryRaw<Array<{ id: bigint }>>`
			select id from payments where method_id = ${d.methodId} and tracking_code_norm = ${d.trackingCodeNorm} and id <> ${d.paymentId} order by id limit 1`
		if (code) throw new PaymentError('duplicate_tracking', { paymentId: String(code.id) })
	}
	if (d.methodId == null) return []
	const near = await tx.$queryRaw<Array<{ id: bigint }>>`
		select id from payments
		where method_id = ${d.methodId} and user_id <> ${d.userId} and id <> ${d.paymentId}
			and coalesce(receipt_amount, amount) = ${d.amount}
			and paid_at between ${new Date(d.paidAt.getTime() - NEAR_DUPLICATE_MS)} and ${new Date(d.paidAt.getTime() + NEAR_DUPLICATE_MS)}
			and status not in ('awaiting_transfer', 'cancelled')
		order by id limit 5`
	return near.map((r) => r.id)
}
