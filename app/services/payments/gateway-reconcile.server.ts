// The reconciliation job's work (docs/decisions/014): payers who paid but never came back (and
// IPNs that never arrived). Every gateway payment still `awaiting_gateway` 10 minutes after it
// was created is inquired and, if paid, verified and settled; past its 24 h expiry it is closed
// as expired unless the gateway says it was paid. Two workers running it at once only ask the
// gateway twice: the settlement re-checks the row under its lock and credits once.
import { prisma } from '~/utils/db.server'
import { confirmGatewayPayment } from './gateway-settle.server'

/** Younger payments may still have their payer at the bank: leave them to the return. */
export const RECONCILE_AFTER_MS = 10 * 60_000
/** Per run; the oldest first, so a backlog drains in order. */
export const RECONCILE_BATCH = 200

export async function reconcileGatewayPayments(now = new Date()) {
	const due = await prisma.$queryRaw<Array<{ id: bigint; expires_at: Date }>>`
		select id, expires_at from payments
		where status = 'awaiting_gateway' and created_at <= ${new Date(now.getTime() - RECONCILE_AFTER_MS)}
		order by created_at, id
		limit ${RECONCILE_BATCH}`
	let settled = 0
	let closed = 0
	const errors: string[] = []
	for (const p of due) {
		try {
			const r = await confirmGatewayPayment(p.id, { source: 'reconcile', expireIfOpen: p.expires_at <= now })
			if (r.changed && r.status === 'settled') settled++
			else if (r.changed) closed++
		} catch (e) {
			errors.push(`payment ${p.id}: ${(e as Error).message}`)
		}
	}
	return { items: due.length, settled, closed, failures: errors.length, errors }
}
