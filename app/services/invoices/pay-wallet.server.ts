// Paying an open store invoice from the user's wallet (issue 12): one transaction locks the
// invoice, moves its total wallet:user:N → revenue (+ tax_payable for its tax) through the ledger
// and settles it (settle.server.ts). A double submit waits on the invoice's row lock and then
// finds it paid: it returns without charging again. The ledger's idempotency key
// `invoice:<id>:wallet` would refuse a second charge even if that check were gone.
import { moveWalletMoney } from '~/services/billing/ledger.server'
import { invoiceTransaction } from './checkout.server'
import { InvoiceError } from './errors'
import { onInvoicePaid } from './settle.server'

export async function payWithWallet(userId: number, invoiceId: bigint, now = new Date()) {
	return invoiceTransaction(async (tx) => {
		const [inv] = await tx.$queryRaw<Array<{ id: bigint; status: string; total: bigint; tax_amount: bigint }>>`
			select id, status::text, total, tax_amount from invoices where id = ${invoiceId} and user_id = ${userId} and type = 'invoice' for update`
		if (!inv) throw new InvoiceError('not_found')
		if (inv.status === 'paid') return { charged: false }
		if (inv.status !== 'open') throw new InvoiceError('invalid_state')
		await onInvoicePaid(tx, inv.id, null, now)
		// Last: the wallet's row lock lives from here to the commit. Short of money, everything rolls back.
		if (inv.total > 0n) {
			const revenue = inv.total - inv.tax_amount
			const counter = inv.tax_amount > 0n ? [{ account: 'revenue', amount: revenue }, { account: 'tax_payable', amount: inv.tax_amount }] : 'revenue'
			await moveWalletMoney(tx, { wallet: { userId }, amount: -inv.total, counter, kind: 'charge', refType: 'invoice', refId: String(inv.id), actorId: userId, idempotencyKey: `invoice:${inv.id}:wallet` })
		}
		return { charged: true }
	})
}
