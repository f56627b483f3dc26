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
import { readReseller } from '~/models/reseller-row.server'
import { prisma, type Tx } from '~/utils/db.server'
import type { SqlDb } from '~/utils/sql.server'
import { BillingError } from './errors'

export type LedgerKind = 'charge' | 'reversal' | 'node_credit' | 'refund' | 'adjustment_credit' | 'adjustment_debit' | 'pool_usage' | 'top_up'

export interface PostInput {
	resellerId: number
	account: LedgerAccount
	/** Signed: positive credits the reseller, negative debits. */
	amount: bigint
	kind: LedgerKind
	refType?: 'order' | 'adjustment' | 'payment' | 'usage' | 'invoice'
	refId?: string | number
	actorId?: number | null
	note?: string
	idempotencyKey: string
	/**
	 * Debits normally may not take money below −creditLimit (or a pool below 0). Usage already
	 * consumed is real and is posted in full (pool_usage); reversals and refunds only credit.
	 */
	allowOverdraft?: boolean
	/** The other side (default by kind: revenue for charges and credits, cash:manual for adjustments). */
	counter?: WalletMoveInput['counter']
	/** Backdated history only (demo data, report tests): live callers never pass it; the entry's time is now(). */
	at?: Date
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

/** `tx`: a Prisma transaction, or a SqlClient's (a create's execute): every statement here is raw SQL. */
export async function post(tx: SqlDb, input: PostInput, guard?: ExecuteGuard): Promise<Posted> {
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
				returning id as reseller_id, null::int as user_id, 'wallet:reseller:' || id as code, balance - ${amount} as before, balance as after, currency`
			: Prisma.sql`
				update resellers set pool_bytes = pool_bytes + ${amount}, updated_at = now()
				where id = ${input.resellerId} and (${free} or pool_bytes + ${amount} >= 0) ${guardSql(guard)}
				returning id as reseller_id, null::int as user_id, 'pool:reseller:' || id as code, pool_bytes - ${amount} as before, pool_bytes as after, 'B'::text as currency`
	const row = await postLegs(tx, update, { ...input, counter: input.counter ?? counterFor(input.account, input.kind) })
	if (!row) throw await refusal(tx, input.resellerId, input.account, guard)
	return row
}

type Legs = Pick<WalletMoveInput, 'amount' | 'kind' | 'refType' | 'refId' | 'actorId' | 'note' | 'idempotencyKey' | 'at'> & { account: LedgerAccount; counter: WalletMoveInput['counter'] }

/**
 * The one statement that writes the ledger: the guarded wallet update (`wallet`, returning the
 * wallet's owner, account code, before, after and currency), the transaction row and all its legs.
 * Matching no wallet row writes nothing and returns null. The legs sum to zero by construction;
 * the deferred trigger ledger_entries_balanced checks it again at commit.
 */
async function postLegs(tx: SqlDb, wallet: Prisma.Sql, input: Legs): Promise<Posted | null> {
	const counters = typeof input.counter === 'string' ? [{ account: input.counter, amount: -input.amount }] : input.counter
	const total = counters.reduce((sum, c) => sum + c.amount, 0n)
	if (total !== -input.amount) throw new Error(`ledger: counter legs sum to ${total}, not ${-input.amount}`)
	for (const c of counters) if (/^(wallet|pool):/.test(c.account)) throw new Error(`ledger: ${c.account} is a wallet; move money between wallets in two transactions`)
	const refType = input.refType ?? null
	const refId = input.refId == null ? null : String(input.refId)
	const at = input.at ?? null
	const rows = await tx.$queryRaw<Array<{ id: bigint; balance_before: bigint; balance_after: bigint }>>`
		with w as (${wallet}),
		t as (
			insert into ledger_transactions (kind, idempotency_key, ref_type, ref_id, actor_id, note, created_at)
			select ${input.kind}::text, ${input.idempotencyKey}::text, ${refType}::text, ${refId}::text, ${input.actorId ?? null}::int, ${input.note ?? null}::text, coalesce(${at}::timestamptz, now()) from w
			returning id),
		e as (
			insert into ledger_entries (transaction_id, account_code, reseller_id, user_id, account, amount, currency, balance_before, balance_after, kind, ref_type, ref_id, actor_id, note, idempotency_key, created_at)
			select t.id, w.code, w.reseller_id, w.user_id, ${input.account}::text::"LedgerAccount", ${input.amount}::bigint, w.currency, w.before, w.after, ${input.kind}::text,
				${refType}::text, ${refId}::text, ${input.actorId ?? null}::int, ${input.note ?? null}::text, ${input.idempotencyKey}::text, coalesce(${at}::timestamptz, now())
			from w, t
			union all
			select t.id, c.code, null, null, ${input.account}::text::"LedgerAccount", c.amount, w.currency, null, null, ${input.kind}::text, null, null, ${input.actorId ?? null}::int, null, null, coalesce(${at}::timestamptz, now())
			from w, t, unnest(${counters.map((c) => c.account)}::text[], ${counters.map((c) => c.amount.toString())}::bigint[]) as c(code, amount)
			returning id, balance_before, balance_after, account_code)
		select id, balance_before, balance_after from e where account_code = (select code from w)`
	const row = rows[0]
	return row ? { id: row.id, balanceBefore: row.balance_before, balanceAfter: row.balance_after } : null
}

/** The other side of a reseller entry posted without an explicit counter account. */
export function counterFor(account: LedgerAccount, kind: LedgerKind): string {
	if (account === 'traffic') return kind === 'pool_usage' || kind === 'charge' || kind === 'reversal' || kind === 'refund' ? 'traffic:consumed' : 'traffic:issued'
	if (kind === 'adjustment_credit' || kind === 'adjustment_debit' || kind === 'top_up') return 'cash:manual'
	return 'revenue'
}

/**
 * A quote's execute with nothing to post (a pool reseller, a free operation) still takes the
 * reseller's lock and re-checks the guard, in one statement.
 */
export async function lockForExecute(tx: SqlDb, resellerId: number, guard: ExecuteGuard) {
	const rows = await tx.$queryRaw<Array<{ id: number }>>`update resellers set updated_at = now() where id = ${resellerId} ${guardSql(guard)} returning id`
	if (!rows[0]) throw await refusal(tx, resellerId, 'money', guard)
}

/** Why the guarded update matched no row, as the reseller is now. */
async function refusal(tx: SqlDb, resellerId: number, account: LedgerAccount, guard?: ExecuteGuard) {
	const r = await readReseller(tx, { id: resellerId })
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
	 * method), `gateway_clearing:zarinpal`, `revenue`, `promo` — or several legs (revenue and
	 * tax_payable) whose amounts sum to −amount.
	 */
	counter: string | Array<{ account: string; amount: bigint }>
	kind: LedgerKind
	refType?: 'order' | 'adjustment' | 'payment' | 'usage' | 'invoice'
	refId?: string | number
	actorId?: number | null
	note?: string
	/** Unique per transaction: a retried post fails the DB transaction instead of posting twice. */
	idempotencyKey: string
	/** A reversal of a settled top-up may take the wallet below zero (the money is already spent). */
	allowOverdraft?: boolean
	/** Backdated history only (demo data, report tests): live callers never pass it; the entry's time is now(). */
	at?: Date
}

/**
 * Moves money between a wallet and other ledger accounts in one double-entry transaction
 * (issue 11). Call it inside the DB transaction that changes the payment/invoice row, last: the
 * wallet row's lock is held from here to the commit. A debit that would take the wallet below
 * what it may spend (a reseller's −credit limit, a user's 0) throws insufficient_funds.
 */
export async function moveWalletMoney(tx: Tx, input: WalletMoveInput): Promise<Posted> {
	if ('resellerId' in input.wallet) return post(tx, { ...input, resellerId: input.wallet.resellerId, account: 'money' })
	const userId = input.wallet.userId
	const free = input.allowOverdraft || input.amount >= 0n
	const wallet = Prisma.sql`
		update users set wallet_balance = wallet_balance + ${input.amount}, updated_at = now()
		where id = ${userId} and (${free} or wallet_balance + ${input.amount} >= 0)
		returning null::int as reseller_id, id as user_id, 'wallet:user:' || id as code, wallet_balance - ${input.amount} as before, wallet_balance as after, 'IRR'::text as currency`
	const row = await postLegs(tx, wallet, { ...input, account: 'money' })
	if (row) return row
	const exists = await tx.user.findUnique({ where: { id: userId }, select: { id: true } })
	throw new BillingError(exists ? 'insufficient_funds' : 'not_found')
}
