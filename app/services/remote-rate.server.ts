// Rule 11: remote operations on one node go at most N per second (node.rateLimitPerSec, else the
// setting remoteOpsPerSec). A "remote operation" is a call that changes the panel (create,
// update, enable, disable, delete, reset, revoke) — seed 003's "3 configs/sec". Reads are not
// counted: the verify read-back must never wait behind a bulk disable, and the usage sync's bulk
// list calls have their own per-node queue.
//
// The limiter is SHARED by every worker process (decision 010): the node row holds the GCRA
// "theoretical arrival time" (nodes.rate_next_at), advanced by one UPDATE … RETURNING per write on
// the database's clock, so K processes together still hand out one slot per 1000/N ms.
//
// A job never sleeps long for its turn while holding a worker slot: past MAX_WAIT_MS the caller is
// told to come back later (Throttled) with a slot of its own in a virtual queue
// (nodes.rate_deferred_until). That queue does not consume real slots; it only spreads the
// returns, so a burst of 100 disables on 10 nodes becomes 10 node-paced streams instead of worker
// slots blocked on one busy node while the other nodes' work starves (issue 10). The queue is
// first come, first served: while callers wait in it, a newcomer queues behind them instead of
// taking the real slots they were promised; a caller back from the queue (`returning`) may take one.
import { prisma } from '~/utils/db.server'
import type { PanelAdapter } from './panels/types'

/**
 * Longest sleep for a slot inside a job. About the worker's poll interval (1 s): jobs that come
 * back at their virtual slot arrive together at a poll tick and then wait up to ~1 s between them;
 * a shorter bound would push them to the end of the queue again.
 */
export const MAX_WAIT_MS = 1_000
/** After a node failed to answer (unreachable / timeout), its work is skipped for this long. */
export const BREAKER_MS = 20_000

/** The node failed to answer moments ago; the caller retries later with its normal backoff. */
export class NodeDown extends Error {
	constructor(readonly nodeId: number) {
		super(`node ${nodeId}: not answering, skipped`)
	}
}

export class Throttled extends Error {
	constructor(readonly nodeId: number, readonly retryInMs: number) {
		super(`node ${nodeId}: rate limit, retry in ${retryInMs} ms`)
	}
}

/** Anything that runs a raw query: the app's client, or another process's (tests). */
type Db = Pick<typeof prisma, '$queryRaw'>

/** Times are ms since the epoch on the database's clock (the one every process shares). */
export type Slot = { admitted: true; at: number; waitMs: number } | { admitted: false; until: number; retryInMs: number }

/**
 * One statement on the node row (its row lock serialises every process):
 *   start = max(rate_next_at, now)
 *   start − now ≤ maxWait, and nobody waits in the virtual queue (or the caller is `returning`
 *                        from it) → the slot is `start`; rate_next_at = start + interval  (when consume)
 *   otherwise            → deferred: rate_deferred_until = max(it, start) + interval
 * `consume = false` is the pre-check before any call: it never takes a real slot.
 */
export async function reserveSlot(nodeId: number, perSec: number, opts: { consume: boolean; returning?: boolean; maxWaitMs?: number; db?: Db }): Promise<Slot> {
	// Rounded up to the microsecond the column keeps: N intervals must never fit inside one second.
	const intervalUs = Math.max(1, Math.ceil(1_000_000 / perSec))
	const maxWaitUs = Math.round((opts.maxWaitMs ?? MAX_WAIT_MS) * 1000)
	const db = opts.db ?? prisma
	const returning = opts.returning ?? false
	const rows = await db.$queryRaw<Array<{ admitted: boolean; at_ms: number; wait_ms: number; until_ms: number; retry_ms: number }>>`
		with t as (select clock_timestamp() as now, make_interval(secs => ${intervalUs}::float8 / 1e6) as i, make_interval(secs => ${maxWaitUs}::float8 / 1e6) as w),
		cur as (
			select n.id, greatest(coalesce(n.rate_next_at, t.now), t.now) as start, n.rate_deferred_until as deferred, t.*,
				-- a newcomer may not pass callers still waiting in the virtual queue
				greatest(coalesce(n.rate_next_at, t.now), t.now) <= t.now + t.w and (${returning} or coalesce(n.rate_deferred_until <= t.now, true)) as ok
			from nodes n, t where n.id = ${nodeId}::int for update of n
		), upd as (
			update nodes n set
				rate_next_at = case when cur.ok and ${opts.consume} then cur.start + cur.i else n.rate_next_at end,
				rate_deferred_until = case when cur.ok then n.rate_deferred_until
					else greatest(coalesce(cur.deferred, cur.start), cur.start) + cur.i end
			from cur where n.id = cur.id
			returning cur.ok as admitted, cur.start, cur.now, n.rate_deferred_until
		)
		select admitted, extract(epoch from start) * 1000 as at_ms, extract(epoch from start - now) * 1000 as wait_ms,
			extract(epoch from rate_deferred_until) * 1000 as until_ms, extract(epoch from rate_deferred_until - now) * 1000 as retry_ms
		from upd`
	const r = rows[0]
	// A node row that is gone (never in practice: nodes are soft-deleted) limits nothing.
	if (!r) return { admitted: true, at: Date.now(), waitMs: 0 }
	if (r.admitted) return { admitted: true, at: Number(r.at_ms), waitMs: Math.max(0, Number(r.wait_ms)) }
	return { admitted: false, until: Number(r.until_ms), retryInMs: Math.max(1, Math.ceil(Number(r.retry_ms))) }
}

// The breaker stays per process: it only saves this process from waiting out timeouts per job.
const downUntil = new Map<number, number>()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Checked before any call to the node: a long backlog means "come back at your slot". */
export async function admit(nodeId: number, perSec: number, returning = false) {
	if ((downUntil.get(nodeId) ?? 0) > Date.now()) throw new NodeDown(nodeId)
	const s = await reserveSlot(nodeId, perSec, { consume: false, returning })
	if (!s.admitted) throw new Throttled(nodeId, s.retryInMs)
}

/**
 * Tests watch the slots handed out (database clock, ms since the epoch): on a loaded machine the
 * panel can receive late writes close together, so the limiter's own promise — slots 1000/N ms
 * apart, no write before its slot — is what a test can check without timing assumptions.
 */
export const slotWatch: { onSlot?: (nodeId: number, atMs: number) => void } = {}

/** Takes this node's next slot and waits for it, or throws Throttled when that is too far. */
export async function take(nodeId: number, perSec: number, returning = false) {
	const s = await reserveSlot(nodeId, perSec, { consume: true, returning })
	if (!s.admitted) throw new Throttled(nodeId, s.retryInMs)
	slotWatch.onSlot?.(nodeId, s.at)
	if (s.waitMs > 0) await sleep(s.waitMs)
}

/** The node did not answer: skip its work for a while instead of waiting out timeouts per job. */
export function markDown(nodeId: number) {
	downUntil.set(nodeId, Date.now() + BREAKER_MS)
}

export function markUp(nodeId: number) {
	downUntil.delete(nodeId)
}

/** Tests: forget every breaker and every node's queue. */
export async function resetRemoteRate() {
	downUntil.clear()
	await prisma.$executeRaw`update nodes set rate_next_at = null, rate_deferred_until = null where rate_next_at is not null or rate_deferred_until is not null`
}

const WRITES = ['createAccount', 'updateAccount', 'enable', 'disable', 'resetUsage', 'deleteAccount', 'revokeSubscription'] as const

/** The adapter with every panel-changing call waiting for the node's slot first. */
export function throttled(adapter: PanelAdapter, nodeId: number, perSec: number, returning = false): PanelAdapter {
	const wrapped: PanelAdapter = Object.create(adapter)
	for (const name of WRITES) {
		const fn = adapter[name] as ((...args: unknown[]) => Promise<unknown>) | undefined
		if (!fn) continue
		Object.defineProperty(wrapped, name, {
			value: async (...args: unknown[]) => {
				await take(nodeId, perSec, returning)
				return fn.apply(adapter, args)
			},
		})
	}
	return wrapped
}
