// Rule 11: remote operations on one node go at most N per second (node.rateLimitPerSec, else the
// setting remoteOpsPerSec). A "remote operation" is a call that changes the panel (create,
// update, enable, disable, delete, reset, revoke) — seed 003's "3 configs/sec". Reads are not
// counted: the verify read-back must never wait behind a bulk disable, and the usage sync's bulk
// list calls have their own per-node queue.
//
// The limiter is IN-PROCESS: with K worker processes a node sees at most K×N writes per second.
// A limit shared across processes needs one column (see the issue 5 report: nodes.rate_next_at,
// a GCRA "theoretical arrival time" advanced by one UPDATE … RETURNING per operation).
//
// A job never waits long for its turn: past MAX_WAIT_MS the caller is told to come back later
// (Throttled) with a slot of its own in a virtual queue, so 10k queued disables become jobs spread
// over time instead of worker slots blocked on one busy node while other nodes' work starves.
import type { PanelAdapter } from './panels/types'

export const MAX_WAIT_MS = 5_000
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

interface Bucket {
	/** When the next operation may start (ms epoch); operations are spaced 1000/rate apart. */
	next: number
	/** End of the virtual queue handed out to deferred callers (always ≥ next). */
	deferredUntil: number
	downUntil: number
}

const buckets = new Map<number, Bucket>()
const bucket = (nodeId: number) => {
	let b = buckets.get(nodeId)
	if (!b) buckets.set(nodeId, (b = { next: 0, deferredUntil: 0, downUntil: 0 }))
	return b
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function defer(nodeId: number, b: Bucket, interval: number, now: number): never {
	// Strictly spaced slots (no burst), so a window of W ms holds at most ⌈W/interval⌉ + 1 calls.
	b.deferredUntil = Math.max(b.deferredUntil, b.next) + interval
	throw new Throttled(nodeId, Math.max(1, b.deferredUntil - now))
}

/** Checked before any call to the node: a long backlog means "come back at your slot". */
export function admit(nodeId: number, perSec: number) {
	const b = bucket(nodeId)
	const now = Date.now()
	if (b.downUntil > now) throw new NodeDown(nodeId)
	if (b.next - now > MAX_WAIT_MS) defer(nodeId, b, 1000 / perSec, now)
}

/** Waits for this node's next slot (reserving it), or throws Throttled when that is too far. */
export async function take(nodeId: number, perSec: number) {
	const b = bucket(nodeId)
	const interval = 1000 / perSec
	const now = Date.now()
	const start = Math.max(now, b.next)
	if (start - now > MAX_WAIT_MS) defer(nodeId, b, interval, now)
	b.next = start + interval
	if (start > now) await sleep(start - now)
}

/** The node did not answer: skip its work for a while instead of waiting out timeouts per job. */
export function markDown(nodeId: number) {
	bucket(nodeId).downUntil = Date.now() + BREAKER_MS
}

export function markUp(nodeId: number) {
	bucket(nodeId).downUntil = 0
}

/** Tests: forget every bucket and breaker. */
export function resetRemoteRate() {
	buckets.clear()
}

const WRITES = ['createAccount', 'updateAccount', 'enable', 'disable', 'resetUsage', 'deleteAccount', 'revokeSubscription'] as const

/** The adapter with every panel-changing call waiting for the node's slot first. */
export function throttled(adapter: PanelAdapter, nodeId: number, perSec: number): PanelAdapter {
	const wrapped: PanelAdapter = Object.create(adapter)
	for (const name of WRITES) {
		const fn = adapter[name] as ((...args: unknown[]) => Promise<unknown>) | undefined
		if (!fn) continue
		Object.defineProperty(wrapped, name, {
			value: async (...args: unknown[]) => {
				await take(nodeId, perSec)
				return fn.apply(adapter, args)
			},
		})
	}
	return wrapped
}
