// The ledger's single writer. Every change of a reseller's money or traffic pool is one
// append-only entry with balance before/after, posted in the caller's transaction together with
// a guarded update of the cached balance: the UPDATE … WHERE refuses to pass the credit limit, and
// the row lock it takes serialises concurrent posts for one reseller. The entry's unique
// idempotency key makes a retried post fail the transaction instead of posting twice.
import type { LedgerAccount } from '~/generated/prisma/enums'
import { prisma, type Tx } from '~/utils/db.server'
import { BillingError } from './errors'

export interface PostInput {
	resellerId: number
	account: LedgerAccount
	/** Signed: positive credits the reseller, negative debits. */
	amount: bigint
	kind: 'charge' | 'reversal' | 'refund' | 'adjustment_credit' | 'adjustment_debit' | 'pool_usage' | 'top_up'
	refType?: 'order' | 'adjustment' | 'payment' | 'usage'
	refId?: string | number
	actorId?: number | null
	note?: string
	idempotencyKey: string
	/**
	 * Debits normally may not take money below −creditLimit (or a pool below 0). Usage already
	 * consumed is real and is posted in full (pool_usage); reversals and refunds only credit.
	 */
	allowOverdraft?: boolean
}

export async function findPosted(idempotencyKey: string, db: Tx | typeof prisma = prisma) {
	return db.ledgerEntry.findUnique({ where: { idempotencyKey } })
}

export async function post(tx: Tx, input: PostInput) {
	const amount = input.amount
	const guard = input.allowOverdraft || amount >= 0n
	let rows: Array<{ before: bigint; after: bigint; currency: string }>
	if (input.account === 'money') {
		rows = await tx.$queryRaw`
			update resellers set
				balance = balance + ${amount},
				negative_since = case
					when balance + ${amount} < 0 then coalesce(negative_since, now())
					else null end,
				updated_at = now()
			where id = ${input.resellerId}
				and (${guard} or balance + ${amount} >= -credit_limit)
			returning balance - ${amount} as before, balance as after, currency`
	} else {
		rows = await tx.$queryRaw`
			update resellers set pool_bytes = pool_bytes + ${amount}, updated_at = now()
			where id = ${input.resellerId}
				and (${guard} or pool_bytes + ${amount} >= 0)
			returning pool_bytes - ${amount} as before, pool_bytes as after, 'B'::text as currency`
	}
	const row = rows[0]
	if (!row) {
		const exists = await tx.reseller.count({ where: { id: input.resellerId } })
		throw new BillingError(exists ? (input.account === 'money' ? 'insufficient_funds' : 'pool_exhausted') : 'not_found')
	}
	return tx.ledgerEntry.create({
		data: {
			resellerId: input.resellerId,
			account: input.account,
			amount,
			currency: row.currency,
			balanceBefore: row.before,
			balanceAfter: row.after,
			kind: input.kind,
			refType: input.refType ?? null,
			refId: input.refId == null ? null : String(input.refId),
			actorId: input.actorId ?? null,
			note: input.note ?? null,
			idempotencyKey: input.idempotencyKey,
		},
	})
}

/** Is this error the unique idempotency key (or another unique key) of a concurrent twin? */
export function isUniqueViolation(e: unknown): boolean {
	const err = e as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } }; message?: string }
	return err?.code === 'P2002' || err?.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation' || /unique constraint/i.test(err?.message ?? '')
}

/** Available to spend (rule 1): balance + credit line, or the pool for pool resellers. */
export function available(r: { fundingModel: 'wallet' | 'pool'; balance: bigint; creditLimit: bigint; poolBytes: bigint }) {
	return r.fundingModel === 'wallet' ? r.balance + r.creditLimit : r.poolBytes
}
