// One batch of counter readings → ONE transaction: the sub-accounts' new counters, the customers'
// usage, the daily rollup, held jumps, the pool charge of each traffic-pool reseller and the
// drift-healing jobs. Counters and charges commit together, so a worker killed mid-batch can
// neither charge twice nor lose a delta: the next run recomputes from the committed counters.
//
// Every counter update is a compare-and-set on (last_counter, counter_epoch) as read before the
// panel call: a reading that another run already applied (two syncs of one node racing outside
// the queue, a username listed twice) is skipped instead of counted twice.
//
// On a plain pg connection (utils/sql.server.ts), not a Prisma interactive transaction: every
// statement here is raw SQL, and through the ORM each one paid its client runtime in the worker
// and went unnamed, so Postgres parsed and planned the big write statement on every batch
// (decision 034). Named statements are planned once per connection.
import { Prisma } from '~/generated/prisma/client'
import { post } from '~/services/billing/ledger.server'
import { reconcileJob } from '~/services/billing/orders.server'
import { pool } from '~/utils/db.server'
import { sqlTransaction, type SqlClient } from '~/utils/sql.server'

export interface BatchRow {
	subId: number
	customerId: number
	/** The customer's reseller when it is funded by a traffic pool (charged per batch). */
	poolResellerId: number | null
	prevCounter: bigint
	prevEpoch: number
	nextCounter: bigint
	nextEpoch: number
	counted: bigint
	held: bigint
	/** The panel's last-online time read with this counter (ms), written in the same row update. */
	onlineAtMs?: number | null
}

export interface BatchInput {
	nodeId: number
	/** Unique per sync run; with batchNo it makes the pool charge's idempotency key. */
	runId: string
	batchNo: number
	rows: BatchRow[]
	/** Customers whose panel status differs from ours (reconcile enqueued unless one is queued). */
	drift: number[]
	/** Test seam: runs inside the transaction right after the counters were written. */
	afterCounters?: (batchNo: number) => void | Promise<void>
}

export interface BatchResult {
	applied: number
	/** Customers whose counted usage grew in this batch. */
	usageChanged: number[]
	/**
	 * …of which usage may change an enforcement decision: now at or past their own limit, or
	 * customers of a pool reseller whose pool this batch emptied (enforcement then takes in all
	 * of that reseller's customers). Usage only grows, so for every other customer no
	 * usage-driven decision (quota, pool) can have changed.
	 */
	mayCross: number[]
	held: number
	poolCharged: bigint
	reconciles: number
}

const WRITE_SQL = `
with v as (
	select * from unnest(
		string_to_array($2, ',')::int[], string_to_array($3, ',')::int[], string_to_array($4, ',')::bigint[], string_to_array($5, ',')::int[],
		string_to_array($6, ',')::bigint[], string_to_array($7, ',')::int[], string_to_array($8, ',')::bigint[], string_to_array($9, ',')::bigint[],
		string_to_array($10, ',', '')::bigint[]
	) as v(sub_id, customer_id, prev_counter, prev_epoch, next_counter, next_epoch, counted, held, online_ms)
), upd as (
	update sub_accounts s set
		last_counter = v.next_counter, counter_epoch = v.next_epoch, last_counter_at = now(), last_change_at = now(),
		used_bytes = s.used_bytes + v.counted, updated_at = now(),
		-- the online dot's time rides on this update: a second UPDATE of the same row (online.server)
		-- would write every moving account twice per round. greatest() ignores a missing reading.
		online_at = greatest(s.online_at, to_timestamp(v.online_ms / 1000.0))
	from v
	where s.id = v.sub_id and s.node_id = $1 and s.state = 'active'
		and s.last_counter = v.prev_counter and s.counter_epoch = v.prev_epoch
	returning s.id, s.customer_id, v.prev_counter, v.next_counter, v.counted, v.held
), per_customer as (
	select customer_id, sum(counted)::bigint as counted from upd where counted > 0 group by customer_id
), customers_upd as (
	update customers c set used_bytes = c.used_bytes + p.counted, updated_at = now()
	from per_customer p where c.id = p.customer_id
	returning c.id, c.data_limit_bytes > 0 and c.used_bytes >= c.data_limit_bytes as over_limit
), daily as (
	insert into usage_daily (customer_id, node_id, day, bytes)
	select customer_id, $1, (now() at time zone 'UTC')::date, counted from per_customer
	on conflict (customer_id, node_id, day) do update set bytes = usage_daily.bytes + excluded.bytes
	returning customer_id
), half_hour as (
	-- the admin dashboard's last 24 h (usage_half_hours: half hours, so Tehran's hours are whole slots)
	insert into usage_half_hours (node_id, slot, bytes)
	select $1, date_bin('30 minutes', now(), timestamptz '2000-01-01 00:00:00+00'), sum(counted) from per_customer having sum(counted) > 0
	on conflict (node_id, slot) do update set bytes = usage_half_hours.bytes + excluded.bytes
	returning node_id
), holds as (
	insert into usage_holds (sub_account_id, customer_id, node_id, counter_before, counter_after, delta)
	select id, customer_id, $1, prev_counter, next_counter, held from upd where held > 0
	returning id
)
select (select coalesce(string_agg(id::text, ','), '') from upd) as ids,
	(select coalesce(string_agg(id::text, ','), '') from customers_upd where over_limit) as over_limit`

// Arrays travel as one comma-joined text parameter each: cheap to build and to send (it was chosen
// when the statement went through Prisma's driver adapter, which is slow with array parameters).
const csv = (values: Array<number | bigint>) => values.join(',')

const MAX_ATTEMPTS = 5
const LOCK_TIMEOUT = '500ms'
/** A bound on each statement, as the interactive transaction's 60 s bound was on the whole batch. */
const STATEMENT_TIMEOUT_MS = 60_000
const RETRYABLE_CODES = new Set(['40P01', '40001', '55P03'])
const isRetryable = (e: unknown) =>
	RETRYABLE_CODES.has((e as { code?: string })?.code ?? '') || /deadlock detected|could not serialize|lock timeout|40P01|40001|55P03/i.test(String((e as Error)?.message ?? e))

export async function writeBatch(input: BatchInput): Promise<BatchResult> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await sqlTransaction(pool, (tx) => writeInTx(tx, input), { maxWaitMs: 30_000, statementTimeoutMs: STATEMENT_TIMEOUT_MS })
		} catch (e) {
			// The whole batch rolled back: retrying it is safe (compare-and-set, same idempotency keys).
			if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e
			await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50))
		}
	}
}

async function writeInTx(tx: SqlClient, input: BatchInput): Promise<BatchResult> {
	const { nodeId, rows } = input
	// Sorted, so concurrent node syncs that share customers queue behind each other, never deadlock.
	const customers = [...new Set(rows.filter((r) => r.counted > 0n).map((r) => r.customerId))].sort((a, b) => a - b)
	if (customers.length) await lockCustomers(tx, customers)

	let appliedIds = new Set<number>()
	let overLimit: number[] = []
	if (rows.length) {
		const [applied] = await tx.queryText<{ ids: string; over_limit: string }>(WRITE_SQL, [
			nodeId,
			csv(rows.map((r) => r.subId)),
			csv(rows.map((r) => r.customerId)),
			csv(rows.map((r) => r.prevCounter)),
			csv(rows.map((r) => r.prevEpoch)),
			csv(rows.map((r) => r.nextCounter)),
			csv(rows.map((r) => r.nextEpoch)),
			csv(rows.map((r) => r.counted)),
			csv(rows.map((r) => r.held)),
			rows.map((r) => r.onlineAtMs ?? '').join(','),
		])
		appliedIds = new Set(applied?.ids ? applied.ids.split(',').map(Number) : [])
		overLimit = applied?.over_limit ? applied.over_limit.split(',').map(Number) : []
	}
	await input.afterCounters?.(input.batchNo)
	const done = rows.filter((r) => appliedIds.has(r.subId))
	const reconciles = await healDrift(tx, input.drift)
	const { charged: poolCharged, emptied } = await chargePools(tx, input, done)
	const counted = done.filter((r) => r.counted > 0n)
	return {
		applied: done.length,
		usageChanged: [...new Set(counted.map((r) => r.customerId))],
		mayCross: [...new Set([...overLimit, ...counted.filter((r) => emptied.has(r.poolResellerId!)).map((r) => r.customerId)])],
		held: done.filter((r) => r.held > 0n).length,
		poolCharged,
		reconciles,
	}
}

/**
 * One pool_usage entry per reseller, LAST in the transaction: the reseller row is the one hot row
 * every node's batches share, so it is locked only for the post and the commit. A purchase locks
 * reseller then customer — the opposite order — so the wait is bounded: past LOCK_TIMEOUT this
 * batch gives way (rolls back, retried) instead of deadlocking a reseller's request.
 */
async function chargePools(tx: SqlClient, input: BatchInput, done: BatchRow[]) {
	const perReseller = new Map<number, bigint>()
	for (const r of done) if (r.poolResellerId && r.counted > 0n) perReseller.set(r.poolResellerId, (perReseller.get(r.poolResellerId) ?? 0n) + r.counted)
	const emptied = new Set<number>()
	if (!perReseller.size) return { charged: 0n, emptied }
	await tx.$executeRaw(Prisma.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`))
	let charged = 0n
	for (const [resellerId, bytes] of [...perReseller].sort((a, b) => a[0] - b[0])) {
		const entry = await post(tx, {
			resellerId,
			account: 'traffic',
			amount: -bytes,
			kind: 'pool_usage',
			refType: 'usage',
			refId: `node:${input.nodeId}`,
			note: `usage on node ${input.nodeId}`,
			// Used bytes are real: posted in full even past zero (enforcement disables the customers).
			allowOverdraft: true,
			idempotencyKey: `usage:${input.nodeId}:${input.runId}:${input.batchNo}:${resellerId}`,
		})
		charged += bytes
		// The crossing only: once empty, the reseller's customers are already being disabled.
		if (entry.balanceBefore > 0n && entry.balanceAfter <= 0n) emptied.add(resellerId)
	}
	return { charged, emptied }
}

/** Row locks in id order, one round trip, no rows sent back. */
async function lockCustomers(tx: SqlClient, sortedIds: number[]) {
	await tx.queryText(`select count(*)::int as n from (select id from customers where id = any(string_to_array($1, ',')::int[]) order by id for update) l`, [csv(sortedIds)])
}

/** A panel that acknowledged a change but did not apply it: reconcile, unless one is queued. */
async function healDrift(tx: SqlClient, customerIds: number[]) {
	if (!customerIds.length) return 0
	const keys = customerIds.map((id) => `customer:${id}`)
	// A queued reconcile will apply the desired state anyway; replacing it would drop its orderId.
	const queued = await tx.queryText<{ key: string }>(`select key from graphile_worker.jobs where key = any($1::text[])`, [keys])
	const skip = new Set(queued.map((q) => q.key))
	let n = 0
	for (const id of customerIds) {
		if (skip.has(`customer:${id}`)) continue
		await reconcileJob(tx, id)
		n++
	}
	return n
}
