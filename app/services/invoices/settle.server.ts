// The hook every way of paying a store invoice ends in (issue 12): wallet (pay-wallet.server.ts),
// a settled receipt or gateway payment (app/services/payments/*, purpose 'invoice'), or nothing at
// all for a 0-total invoice. A pure DB-transaction function: it marks the invoice paid — a
// conditional UPDATE, so two settlements of one invoice activate it once — turns the coupon's
// reservation into a use, credits a proration excess to the wallet through the ledger, and
// activates (customer state + order + reconcile job, activate.server.ts). No panel call.
import { moveWalletMoney } from '~/services/billing/ledger.server'
import type { Tx } from '~/utils/db.server'
import { activateInvoice } from './activate.server'
import { markCouponUsed } from './coupons.server'
import { InvoiceError } from './errors'

export interface Settled {
	invoiceId: bigint
	/** False when the invoice was already paid (a replay): nothing was done again. */
	activated: boolean
	customerId: number | null
	orderId: number | null
}

export async function onInvoicePaid(tx: Tx, invoiceId: bigint | number, paymentId: bigint | number | null, now = new Date()): Promise<Settled> {
	const id = BigInt(invoiceId)
	const [inv] = await tx.$queryRaw<Array<{ id: bigint; user_id: number; kind: string; plan_id: number | null; customer_id: number | null; traffic_bytes: bigint; total: bigint; wallet_credit: bigint }>>`
		update invoices set status = 'paid', payment_status = 'paid', paid_at = ${now}, payment_id = ${paymentId == null ? null : BigInt(paymentId)}::bigint, updated_at = now()
		where id = ${id} and type = 'invoice' and status = 'open'
		returning id, user_id, kind, plan_id, customer_id, traffic_bytes, total, wallet_credit`
	if (!inv) {
		const [seen] = await tx.$queryRaw<Array<{ status: string; customer_id: number | null; order_id: number | null }>>`select status::text, customer_id, order_id from invoices where id = ${id}`
		if (seen?.status === 'paid') return { invoiceId: id, activated: false, customerId: seen.customer_id, orderId: seen.order_id }
		throw new InvoiceError(seen ? 'invalid_state' : 'not_found')
	}
	await markCouponUsed(tx, id)
	const activated = await activateInvoice(tx, { id, userId: inv.user_id, kind: inv.kind, planId: inv.plan_id, customerId: inv.customer_id, trafficBytes: inv.traffic_bytes, total: inv.total }, now)
	// Last: the wallet row's lock is held only from here to the commit.
	if (inv.wallet_credit > 0n) {
		await moveWalletMoney(tx, {
			wallet: { userId: inv.user_id },
			amount: inv.wallet_credit,
			counter: 'revenue',
			kind: 'refund',
			refType: 'invoice',
			refId: String(id),
			note: 'proration excess',
			idempotencyKey: `invoice:${id}:proration_excess`,
		})
	}
	return { invoiceId: id, activated: true, ...activated }
}
