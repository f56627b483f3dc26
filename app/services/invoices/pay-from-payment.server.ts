// A store invoice paid by money that came in from outside (issue 12): a gateway payment settled
// (app/services/payments/gateway-settle.server.ts) or a card-to-card / IBAN / crypto receipt an
// admin approved (app/services/payments/receipts.server.ts). The same steps for both, inside the
// caller's transaction, which already holds the payment row's lock:
//   1. lock the invoice (payment → invoice → wallet: pay-wallet.server.ts takes invoice → wallet,
//      so the two orders never deadlock);
//   2. the money lands in the payer's wallet (key payment:<id>:settle) — never lost, whatever
//      happened to the invoice meanwhile;
//   3. if the invoice is still open and the payment covers it (a Toman gateway is charged the total
//      rounded up to whole Toman; the Rial over it stay in the wallet), it is paid from the wallet at once —
//      onInvoicePaid (conditional: activates once) and the same legs and key
//      (`invoice:<id>:wallet`) as paying it from the wallet, so an invoice is charged once
//      whichever ways it was paid. Voided or paid another way meanwhile: the money stays credit.
import { moveWalletMoney } from '~/services/billing/ledger.server'
import type { Tx } from '~/utils/db.server'
import { onInvoicePaid } from './settle.server'

export interface IncomingPayment {
	id: bigint
	userId: number
	amount: bigint
	invoiceId: bigint
	/** The ledger account the money came from: `gateway_clearing:<provider>` or `cash:method:<id>`. */
	counter: string
	/** The admin who approved a receipt (null for a gateway). */
	actorId?: number | null
}

/** Returns whether the invoice was paid by this payment (false: the money stayed in the wallet). */
export async function payInvoiceFromPayment(tx: Tx, p: IncomingPayment): Promise<boolean> {
	const [inv] = await tx.$queryRaw<Array<{ id: bigint; status: string; total: bigint; tax_amount: bigint }>>`
		select id, status::text, total, tax_amount from invoices where id = ${p.invoiceId} and user_id = ${p.userId} and type = 'invoice' for update`
	await moveWalletMoney(tx, {
		wallet: { userId: p.userId }, amount: p.amount, counter: p.counter, kind: 'top_up',
		refType: 'payment', refId: String(p.id), actorId: p.actorId ?? null, idempotencyKey: `payment:${p.id}:settle`,
	})
	if (!inv || inv.status !== 'open' || p.amount < inv.total) return false
	await onInvoicePaid(tx, inv.id, p.id)
	const revenue = inv.total - inv.tax_amount
	const counter = inv.tax_amount > 0n ? [{ account: 'revenue', amount: revenue }, { account: 'tax_payable', amount: inv.tax_amount }] : 'revenue'
	await moveWalletMoney(tx, { wallet: { userId: p.userId }, amount: -inv.total, counter, kind: 'charge', refType: 'invoice', refId: String(inv.id), idempotencyKey: `invoice:${inv.id}:wallet` })
	return true
}
