// A store service's node that finally failed (rule 5): its share of the invoice goes back to the
// end user's wallet through the ledger, never more than the invoice charged minus what was
// already credited for it. Called by provisioning's failSub inside its transaction.
import { moveWalletMoney } from '~/services/billing/ledger.server'
import type { Tx } from '~/utils/db.server'

export async function creditFailedStoreNode(tx: Tx, sub: { id: number; customerId: number; orderId: number | null; chargedAmount: bigint; nodeId: number }, code: string): Promise<bigint> {
	if (sub.orderId == null || sub.chargedAmount <= 0n) return 0n
	const [inv] = await tx.$queryRaw<Array<{ id: bigint; user_id: number; total: bigint }>>`
		select id, user_id, total from invoices where order_id = ${sub.orderId} and customer_id = ${sub.customerId} for update`
	if (!inv) return 0n
	const [done] = await tx.$queryRaw<Array<{ credited: bigint }>>`
		select coalesce(sum(amount), 0)::bigint as credited from ledger_entries
		where user_id = ${inv.user_id} and ref_type = 'invoice' and ref_id = ${String(inv.id)} and kind = 'reversal'`
	const open = inv.total - done!.credited
	const amount = sub.chargedAmount < open ? sub.chargedAmount : open
	if (amount <= 0n) return 0n
	await moveWalletMoney(tx, {
		wallet: { userId: inv.user_id },
		amount,
		counter: 'revenue',
		kind: 'reversal',
		refType: 'invoice',
		refId: String(inv.id),
		note: `node ${sub.nodeId} failed: ${code}`,
		idempotencyKey: `sub:${sub.id}:reversal:invoice:${inv.id}`,
	})
	return amount
}
