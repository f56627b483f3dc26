// The payment state machine's one move: a conditional UPDATE of the status (WHERE status IN from)
// plus its event, in the caller's transaction. Receipts and gateways both change payment rows only
// through it, so two concurrent moves from the same state (two admins, a double tap, a replayed
// callback) cannot both succeed: the second waits for the first's row lock, re-reads the row
// (READ COMMITTED re-evaluates the WHERE on the new version) and matches nothing → null.
import { Prisma, type Payment } from '~/generated/prisma/client'
import type { PaymentStatus } from '~/generated/prisma/enums'
import type { Tx } from '~/utils/db.server'

export interface TransitionOptions {
	/** Other columns set in the same move. */
	set?: Prisma.PaymentUncheckedUpdateInput
	/** An extra SQL condition on the row (alias-free column names), e.g. a claim rule. */
	where?: Prisma.Sql
	note?: string | null
	data?: Prisma.InputJsonValue
}

/** Moves payment `id` from one of `from` to `to`; null when it was in none of them (or `where` failed). */
export async function transition(tx: Tx, id: bigint, from: PaymentStatus[], to: PaymentStatus, actorId: number | null, opts: TransitionOptions = {}): Promise<Payment | null> {
	const rows = await tx.$queryRaw<Array<{ from_status: PaymentStatus }>>`
		with old as (
			select id, status from payments
			where id = ${id} and status::text = any(${from}::text[]) ${opts.where ? Prisma.sql`and (${opts.where})` : Prisma.empty}
			for update
		)
		update payments p set status = ${to}::text::"PaymentStatus", updated_at = now()
		from old where p.id = old.id
		returning old.status::text as from_status`
	const row = rows[0]
	if (!row) return null
	const payment = opts.set ? await tx.payment.update({ where: { id }, data: opts.set }) : await tx.payment.findUniqueOrThrow({ where: { id } })
	await tx.paymentEvent.create({ data: { paymentId: id, fromStatus: row.from_status, toStatus: to, actorId, note: opts.note ?? null, data: opts.data ?? Prisma.JsonNull } })
	return payment
}
