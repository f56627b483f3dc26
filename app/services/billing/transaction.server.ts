// One way to run a money transaction: bounded waits, and a bounded retry of the failures that
// only mean "the database was busy" (no pool connection in time, a deadlock, a serialisation or
// lock-wait failure). Executes are idempotent by their keys, so running one again is safe. When
// the retries are spent, the caller gets BillingError('busy') → 429 with Retry-After, never a 500.
import type { Tx } from '~/utils/db.server'
import { pool, prisma } from '~/utils/db.server'
import { sqlTransaction, type SqlClient } from '~/utils/sql.server'
import { BillingError } from './errors'

/** Waiting for a pool connection (maxWait) and the whole transaction (timeout). */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const
export const MAX_ATTEMPTS = 6
/** What a refused client is told to wait, seconds. */
export const BUSY_RETRY_AFTER_S = 2

const TRANSIENT = /Unable to start a transaction in the given time|Transaction already closed|expired transaction|deadlock detected|could not serialize access|lock timeout|canceling statement due to lock timeout|write conflict/i
const TRANSIENT_CODES = new Set(['P2028', 'P2034', '40001', '40P01', '55P03'])

/** Is this a failure of contention rather than of the request? */
export function isTransient(e: unknown): boolean {
	if (e instanceof BillingError) return false
	const err = e as { code?: string; message?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } }
	const cause = err?.meta?.driverAdapterError?.cause
	return TRANSIENT_CODES.has(err?.code ?? '') || TRANSIENT_CODES.has(cause?.originalCode ?? '') || cause?.kind === 'TransactionWriteConflict' || TRANSIENT.test(err?.message ?? '')
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** `fn` in a transaction, retried on contention; `fn` must be safe to run again (idempotent). */
export function moneyTransaction<T>(fn: (tx: Tx) => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> {
	return retried(() => prisma.$transaction(fn, TX_OPTIONS), attempts)
}

/**
 * The same on a plain pg connection of the same pool, for a path whose every statement is raw SQL
 * (the create execute): no ORM runtime per statement (utils/sql.server.ts).
 */
export function sqlMoneyTransaction<T>(fn: (tx: SqlClient) => Promise<T>, attempts = MAX_ATTEMPTS): Promise<T> {
	return retried(() => sqlTransaction(pool, fn, { maxWaitMs: TX_OPTIONS.maxWait }), attempts)
}

async function retried<T>(run: () => Promise<T>, attempts: number): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run()
		} catch (e) {
			if (!isTransient(e)) throw e
			if (attempt >= attempts) throw new BillingError('busy', { seconds: BUSY_RETRY_AFTER_S })
			// Full jitter: the losers of one collision do not collide again in step.
			await sleep(Math.random() * Math.min(1000, 50 * 2 ** attempt))
		}
	}
}
