// The ledger's single writer. Every change of a reseller's money or traffic pool is one
// append-only entry with balance before/after, written by ONE statement together with a guarded
// update of the cached balance: the UPDATE … WHERE refuses to pass the credit limit (and, for a
// quote's execute, refuses when the reseller's config changed or a rule forbids acting), and the
// row lock it takes serialises concurrent posts for one reseller — held from this statement to
// the commit only, because callers post last. The entry's unique idempotency key makes a retried
// post fail the transaction instead of posting twice.
import type { Reseller } from '~/generated/prisma/client'
import { Prisma } from '~/generated/prisma/client'
import type { LedgerAccount } from '~/generated/prisma/enums'
import { prisma, type Tx } from '~/utils/db.server'
import { BillingError } from './errors'

export type LedgerKind = 'charge' | 'reversal' | 'node_credit' | 'refund' | 'adjustment_credit' | 'adjustment_debit' | 'pool_usage' | 'top_up'

export interface PostInput {
	resellerId: number
	account: LedgerAccount
	/** Signed: positive credits the reseller, negative debits. */
	amount: bigint
	kind: LedgerKind
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

/**
 * What a quote's execute re-checks in the same statement that takes the reseller's lock: his
 * config is the one the quote was priced with, and rules 1, 2 and 10 still let him act.
 */
export interface ExecuteGuard {
	configVersion: number
	action: 'create' | 'change'
	now: Date
}

export interface Posted {
	id: bigint
	balanceBefore: bigint
	balanceAfter: bigint
}

export async function findPosted(idempotencyKey: string, db: Tx | typeof prisma = prisma) {
	return db.ledgerEntry.findUnique({ where: { idempotencyKey } })
}

function guardSql(g: ExecuteGuard | undefined) {
	if (!g) return Prisma.empty
	return Prisma.sql`
		and config_version = ${g.configVersion}
		and case funding_model
			when 'wallet' then balance + credit_limit > 0 and (${g.action === 'change'} or balance >= 0)
			else pool_bytes > 0 and (pool_window_start is null or pool_window_start <= ${g.now}) and (pool_window_end is null or pool_window_end >= ${g.now})
		end`
}

export async function post(tx: Tx, input: PostInput, guard?: ExecuteGuard): Promise<Posted> {
	const amount = input.amount
	const free = input.allowOverdraft || amount >= 0n
	const update =
		input.account === 'money'
			? Prisma.sql`
				update resellers set
					balance = balance + ${amount},
					negative_since = case when balance + ${amount} < 0 then coalesce(negative_since, now()) else null end,
					updated_at = now()
				where id = ${input.resellerId} and (${free} or balance + ${amount} >= -credit_limit) ${guardSql(guard)}
				returning id, balance - ${amount} as before, balance as after, currency`
			: Prisma.sql`
				update resellers set pool_bytes = pool_bytes + ${amount}, updated_at = now()
				where id = ${input.resellerId} and (${free} or pool_bytes + ${amount} >= 0) ${guardSql(guard)}
				returning id, pool_bytes - ${amount} as before, pool_bytes as after, 'B'::text as currency`
	const rows = await tx.$queryRaw<Array<{ id: bigint; balance_before: bigint; balance_after: bigint }>>`
		with u as (${update})
		insert into ledger_entries (reseller_id, account, amount, currency, balance_before, balance_after, kind, ref_type, ref_id, actor_id, note, idempotency_key)
		select u.id, ${input.account}::text::"LedgerAccount", ${amount}::bigint, u.currency, u.before, u.after, ${input.kind}::text, ${input.refType ?? null}::text,
			${input.refId == null ? null : String(input.refId)}::text, ${input.actorId ?? null}::int, ${input.note ?? null}::text, ${input.idempotencyKey}::text
		from u
		returning id, balance_before, balance_after`
	const row = rows[0]
	if (!row) throw await refusal(tx, input.resellerId, input.account, guard)
	return { id: row.id, balanceBefore: row.balance_before, balanceAfter: row.balance_after }
}

/**
 * A quote's execute with nothing to post (a pool reseller, a free operation) still takes the
 * reseller's lock and re-checks the guard, in one statement.
 */
export async function lockForExecute(tx: Tx, resellerId: number, guard: ExecuteGuard) {
	const rows = await tx.$queryRaw<Array<{ id: number }>>`update resellers set updated_at = now() where id = ${resellerId} ${guardSql(guard)} returning id`
	if (!rows[0]) throw await refusal(tx, resellerId, 'money', guard)
}

/** Why the guarded update matched no row, as the reseller is now. */
async function refusal(tx: Tx, resellerId: number, account: LedgerAccount, guard?: ExecuteGuard) {
	const r = await tx.reseller.findUnique({ where: { id: resellerId } })
	if (!r) return new BillingError('not_found')
	if (guard && r.configVersion !== guard.configVersion) return new BillingError('quote_stale')
	if (guard) {
		const blocked = mayActError(r, guard.action, guard.now)
		if (blocked) return blocked
	}
	return new BillingError(account === 'money' ? 'insufficient_funds' : 'pool_exhausted')
}

/**
 * Rule 1: with nothing available (balance + credit ≤ 0, or an empty pool) only listing and viewing
 * are allowed. Rule 2: while the balance is negative, no new customers. Rule 10: a pool outside its
 * window is closed. (The guard above is the same rules in SQL, evaluated under the lock.)
 */
export function mayActError(r: Pick<Reseller, 'fundingModel' | 'balance' | 'creditLimit' | 'poolBytes' | 'poolWindowStart' | 'poolWindowEnd'>, action: 'create' | 'change', now = new Date()) {
	if (available(r) <= 0n) return new BillingError(r.fundingModel === 'pool' ? 'pool_exhausted' : 'blocked_zero_balance')
	if (r.fundingModel === 'wallet' && action === 'create' && r.balance < 0n) return new BillingError('blocked_negative_balance')
	if (r.fundingModel === 'pool') {
		if ((r.poolWindowStart && now < r.poolWindowStart) || (r.poolWindowEnd && now > r.poolWindowEnd)) return new BillingError('pool_window_closed')
	}
	return null
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

/** Whose wallet a money movement touches: a reseller's (his currency) or an end user's (IRR). */
export type WalletRef = { resellerId: number } | { userId: number }

export interface WalletMoveInput {
	wallet: WalletRef
	/** Signed, on the wallet: positive credits it (a settled top-up), negative debits it (a reversal). */
	amount: bigint
	/**
	 * The other side of the double-entry transaction, e.g. `cash:method:3` (a card/IBAN/crypto
	 * method), `gateway_clearing:zarinpal`, `revenue`, `promo`.
	 */
	counter: string
	kind: LedgerKind
	refType?: 'order' | 'adjustment' | 'payment' | 'usage' | 'invoice'
	refId?: string | number
	actorId?: number | null
	note?: string
	/** Unique per transaction: a retried post fails the DB transaction instead of posting twice. */
	idempotencyKey: string
	/** A reversal of a settled top-up may take the wallet below zero (the money is already spent). */
	allowOverdraft?: boolean
}

/**
 * Moves money between a wallet and another ledger account in one double-entry transaction
 * (issue 11). Call it inside the DB transaction that changes the payment/invoice row, last.
 */
export async function moveWalletMoney(tx: Tx, input: WalletMoveInput): Promise<Posted> {
	if ('userId' in input.wallet) throw new Error('moveWalletMoney: end-user wallets arrive with the double-entry ledger migration')
	return post(tx, {
		resellerId: input.wallet.resellerId,
		account: 'money',
		amount: input.amount,
		kind: input.kind,
		refType: input.refType === 'invoice' ? 'payment' : input.refType,
		refId: input.refId,
		actorId: input.actorId,
		note: input.note,
		idempotencyKey: input.idempotencyKey,
		allowOverdraft: input.allowOverdraft,
	})
}
