// Issue 11, `reversed`: fraud found after a payment settled takes the money back (the ledger's
// reversing transaction) AND suspends what the payment bought. A payment that paid a store invoice
// bought that invoice's service: it is disabled with its own reason, which enforcement never lifts
// (only credit/pool/expiry/quota are automatic), and its panels follow through the reconcile job.
import type { Tx } from '~/utils/db.server'
import { audit } from '~/utils/audit.server'

export const REVERSAL_REASON = 'payment_reversed'

/** Suspends the service the invoice activated; returns its customer id, or null when there is none to suspend. */
export async function suspendInvoiceService(tx: Tx, invoiceId: bigint, actorId: number, paymentId: bigint): Promise<number | null> {
	const [c] = await tx.$queryRaw<Array<{ id: number; old_status: string }>>`
		update customers c set status = 'disabled', disabled_reason = ${REVERSAL_REASON}, updated_at = now()
		from invoices i, customers before
		where i.id = ${invoiceId} and c.id = i.customer_id and before.id = c.id
			and c.reseller_id is null and c.status not in ('deleted', 'refunded')
		returning c.id, before.status::text as old_status`
	if (!c) return null
	await tx.customerEvent.create({ data: { customerId: c.id, kind: 'suspended', reason: REVERSAL_REASON, actorId, data: { paymentId: String(paymentId) } } })
	await audit({ actorId, action: 'customer.suspend', entityType: 'customer', entityId: c.id, before: { status: c.old_status }, after: { status: 'disabled', reason: REVERSAL_REASON, paymentId: String(paymentId) } }, tx)
	await tx.$executeRaw`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', ${c.id}::int), max_attempts := 10, job_key := ${`customer:${c.id}`}::text, job_key_mode := 'replace')`
	return c.id
}
