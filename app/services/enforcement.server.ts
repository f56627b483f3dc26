// Enforcement (rules 2, 8, 9, 10): decides each customer's desired status from expiry, quota,
// the reseller's pool / window and negative credit, records auto_disabled / auto_enabled events,
// and enqueues the panel work. Manual disables are never touched.
//
// INTERFACE (called by the usage sync right after it wrote new usage, so an over-quota customer is
// disabled within seconds, not at the next periodic pass):
//   evaluateCustomers(customerIds) → { disabled: number, enabled: number }
// and enforceAll() for the periodic enforce_policies task.
//
// The decision is one set-based statement per batch: it computes every customer's cause, updates
// only the rows whose (status, reason) differ, writes their events and returns them; the reconcile
// jobs are added in the same transaction. Running it twice changes nothing the second time.
//
// One reason is stored when several apply, by priority: credit > pool > expiry > quota — the
// reseller-wide causes first, since they outlive the customer's own (an extend does not lift a
// negative balance). Status follows the reason: expiry → expired, quota → limited,
// pool / credit → disabled, none → active.
import { Prisma } from '~/generated/prisma/client'
import { prisma, type Tx } from '~/utils/db.server'
import { getSettings } from './settings.server'

export const AUTO_REASONS = ['credit', 'pool', 'expiry', 'quota'] as const
export type AutoReason = (typeof AUTO_REASONS)[number]
const PAGE = 5000

export interface EnforceResult {
	disabled: number
	enabled: number
}

function causeSql(negativeCreditHours: number) {
	return Prisma.sql`case
		when r.funding_model = 'wallet' and r.negative_since <= now() - make_interval(hours => ${negativeCreditHours}::int)
			-- Rule 2 + issue 11: receipts waiting for a decision are pending credit (seed 001's
			-- credit_confirmed + credit_pending < 0). They stop the clock from disabling his customers
			-- while they cover the debt; they never raise what he may spend (the ledger ignores them).
			and r.balance + coalesce((select sum(p.amount) from payments p
				where p.reseller_id = r.id and p.status in ('submitted', 'in_review') and p.currency = r.currency), 0) < 0 then 'credit'
		when r.funding_model = 'pool' and (r.pool_bytes <= 0 or r.pool_window_start > now() or r.pool_window_end <= now()) then 'pool'
		when c.expire_at <= now() then 'expiry'
		when c.data_limit_bytes > 0 and c.used_bytes >= c.data_limit_bytes
			-- seed 003: a pool reseller's customer may overrun his own limit while the pool has traffic
			and not coalesce(r.funding_model = 'pool' and r.allow_config_overrun and r.pool_bytes > 0, false) then 'quota'
	end`
}

/** Applies the policy to the customers matching `filter` (SQL on alias c) inside `tx`. */
export async function applyPolicies(tx: Tx, filter: Prisma.Sql, negativeCreditHours: number): Promise<EnforceResult> {
	const rows = await tx.$queryRaw<Array<{ id: number; want: AutoReason | null }>>`
		with cand as (
			select c.id, c.status, c.disabled_reason, c.expire_at, c.used_bytes, c.data_limit_bytes, ${causeSql(negativeCreditHours)} as want
			from customers c left join resellers r on r.id = c.reseller_id
			where (${filter}) and c.status not in ('refunded', 'deleted')
				-- rule 9: only what automation itself decided (or an untouched enabled state) is ours
				and (c.disabled_reason in ('credit', 'pool', 'expiry', 'quota')
					or (c.disabled_reason is null and c.status in ('active', 'expired', 'limited')))
		), target as (
			select cand.*, case want when 'expiry' then 'expired' when 'quota' then 'limited'
				when 'pool' then 'disabled' when 'credit' then 'disabled' else 'active' end as new_status
			from cand
		), changed as (
			select * from target where want is distinct from disabled_reason or status::text <> new_status
		), upd as (
			-- Optimistic: a row changed by someone else since the read (an extend, a manual disable,
			-- new usage) is left for the next pass instead of being overwritten with a stale decision.
			-- The reseller-wide causes (credit, pool) outrank everything the customer's own row holds,
			-- so for them only status and reason must be unchanged: new usage written by another
			-- node's sync at the same moment must not leave his customers enabled on an empty pool.
			update customers c set status = ch.new_status::"CustomerStatus", disabled_reason = ch.want, updated_at = now()
			from changed ch
			where c.id = ch.id and c.status = ch.status and c.disabled_reason is not distinct from ch.disabled_reason
				and (ch.want in ('credit', 'pool')
					or (c.expire_at = ch.expire_at and c.used_bytes = ch.used_bytes and c.data_limit_bytes = ch.data_limit_bytes))
			returning c.id, ch.status::text as old_status, ch.disabled_reason as old_reason, ch.want
		), ev as (
			insert into customer_events (customer_id, kind, reason, data)
			select id, case when want is null then 'auto_enabled' else 'auto_disabled' end,
				coalesce(want, old_reason, case old_status when 'expired' then 'expiry' when 'limited' then 'quota' end),
				case when want is not null and old_reason is not null then jsonb_build_object('previous', old_reason) end
			from upd
		)
		select id, want from upd order by id`
	if (rows.length) {
		// The same job as billing's reconcileJob (task, coalescing key per customer, attempts), for
		// a whole batch in one statement.
		await enqueueReconciles(tx, rows.map((r) => r.id))
	}
	return { disabled: rows.filter((r) => r.want).length, enabled: rows.filter((r) => !r.want).length }
}

/**
 * The same job as billing's reconcileJob (task, coalescing key per customer, 10 attempts) for a
 * whole batch: one add_jobs call with an array, not one add_job per customer (10k jobs: ~0.5 s
 * instead of ~10 s).
 *
 * Each job is queued at its turn on its nodes (issue 10, decision 010): the batch takes consecutive
 * slots in every node's virtual queue (nodes.rate_deferred_until, one interval per write at the
 * node's rate), and a customer's job runs at the latest of his slots, flagged `returning` (it has
 * waited its turn). 5,000 disables on one node are then 5,000 jobs spread over the time the limit
 * needs, not 5,000 jobs that all start at once only to be told to come back later — a first pass
 * that, on a busy machine, kept every worker slot and delayed the writes of every other node.
 */
/** How long before its write slot a spread reconcile job is due (less than remote-rate's MAX_WAIT_MS). */
export const RUN_LEAD_MS = 400

async function enqueueReconciles(tx: Tx, customerIds: number[]) {
	const { remoteOpsPerSec } = await getSettings()
	await tx.$queryRaw`
		with subs as (
			select s.customer_id, s.node_id, row_number() over (partition by s.node_id order by s.customer_id) as k
			from sub_accounts s join nodes n on n.id = s.node_id
			where s.customer_id = any(${customerIds}::int[]) and s.state in ('pending', 'active', 'removing') and n.deleted_at is null
		), per_node as (
			select node_id, count(*)::int as cnt from subs group by node_id
		), locked as (
			-- Same interval as remote-rate.server.ts (rounded up to the microsecond), nodes locked in id order.
			select n.id, make_interval(secs => ceil(1e6 / coalesce(n.rate_limit_per_sec, ${remoteOpsPerSec}::int))::float8 / 1e6) as i,
				-- the first free virtual slot: after the last one handed out, never before the real queue
				greatest(n.rate_deferred_until + make_interval(secs => ceil(1e6 / coalesce(n.rate_limit_per_sec, ${remoteOpsPerSec}::int))::float8 / 1e6),
					coalesce(n.rate_next_at, clock_timestamp()), clock_timestamp()) as base
			from nodes n where n.id in (select node_id from per_node) order by n.id for update
		), upd as (
			-- rate_deferred_until = the last slot handed out (as in remote-rate.server.ts)
			update nodes n set rate_deferred_until = l.base + (p.cnt - 1) * l.i
			from locked l join per_node p on p.node_id = l.id where n.id = l.id
			returning n.id
		), slots as (
			select s.customer_id, max(l.base + (s.k - 1) * l.i) as run_at from subs s join locked l on l.id = s.node_id group by s.customer_id
		)
		select (select count(*)::int from upd) as nodes, (select count(*)::int from graphile_worker.add_jobs(array(
			-- RUN_LEAD early: the job reads first and then waits (≤ MAX_WAIT_MS) for its slot, so each
			-- node's write happens on the slot instead of after it; a late write moves every later slot.
			select row('reconcile_customer', json_build_object('customerId', id, 'returning', true), null,
				case when sl.run_at is null then null else greatest(sl.run_at - make_interval(secs => ${RUN_LEAD_MS}::float8 / 1000), clock_timestamp()) end,
				10, 'customer:' || id, null, null)::graphile_worker.job_spec
			from unnest(${customerIds}::int[]) as id left join slots sl on sl.customer_id = id))) as jobs`
}

const add = (a: EnforceResult, b: EnforceResult) => ({ disabled: a.disabled + b.disabled, enabled: a.enabled + b.enabled })

async function inBatch(filter: Prisma.Sql, hours: number) {
	return prisma.$transaction((tx) => applyPolicies(tx, filter, hours))
}

/** Keyset pages over the customers matching `scope`, one transaction per page. */
async function paged(scope: Prisma.Sql, hours: number): Promise<EnforceResult> {
	let total: EnforceResult = { disabled: 0, enabled: 0 }
	let after = 0
	for (;;) {
		const [page] = await prisma.$queryRaw<Array<{ upto: number | null }>>`
			select max(id) as upto from (select c.id from customers c where (${scope}) and c.id > ${after} order by c.id limit ${PAGE}) p`
		if (page?.upto == null) return total
		total = add(total, await inBatch(Prisma.sql`(${scope}) and c.id > ${after} and c.id <= ${page.upto}`, hours))
		after = page.upto
	}
}

export async function evaluateCustomers(customerIds: number[]): Promise<EnforceResult> {
	const ids = [...new Set(customerIds)]
	if (!ids.length) return { disabled: 0, enabled: 0 }
	const { negativeCreditHours: hours } = await getSettings()
	let total: EnforceResult = { disabled: 0, enabled: 0 }
	for (let i = 0; i < ids.length; i += PAGE) total = add(total, await inBatch(Prisma.sql`c.id = any(${ids.slice(i, i + PAGE)}::int[])`, hours))
	// Usage that emptied a pool closes it for all of that reseller's customers, not only these.
	const closed = await prisma.$queryRaw<Array<{ id: number }>>`
		select distinct r.id from customers c join resellers r on r.id = c.reseller_id
		where c.id = any(${ids}::int[]) and r.funding_model = 'pool'
			and (r.pool_bytes <= 0 or r.pool_window_start > now() or r.pool_window_end <= now())`
	for (const r of closed) total = add(total, await evaluateReseller(r.id))
	return total
}

/**
 * For a caller that just changed these customers inside `tx` (extend, add traffic, manual enable):
 * the decision commits with the change, so the job it enqueues pushes the final state at once
 * instead of enabling a customer that the next pass disables again for another cause.
 */
export async function evaluateInTx(tx: Tx, customerIds: number[]): Promise<EnforceResult> {
	const { negativeCreditHours: hours } = await getSettings()
	return applyPolicies(tx, Prisma.sql`c.id = any(${customerIds}::int[])`, hours)
}

/** All customers of one reseller: after a top-up, an adjustment or a pool window change. */
export async function evaluateReseller(resellerId: number): Promise<EnforceResult> {
	const { negativeCreditHours: hours } = await getSettings()
	return paged(Prisma.sql`c.reseller_id = ${resellerId}::int`, hours)
}

/** The periodic pass over every customer (expiry, pool windows, negative credit, re-enables). */
export async function enforceAll(): Promise<EnforceResult> {
	const { negativeCreditHours: hours } = await getSettings()
	return paged(Prisma.sql`true`, hours)
}

/**
 * Panel work that stopped being retried (the reconcile job ran out of attempts) while the
 * sub-account still shows an error or drift: queue it again, a bounded number per pass, skipping
 * nodes known to be down (their outage is notified, and hammering them helps nobody).
 */
export async function requeueStuck(limit = 200): Promise<number> {
	return prisma.$transaction(async (tx) => {
		const rows = await tx.$queryRaw<Array<{ customer_id: number }>>`
			select distinct s.customer_id from sub_accounts s join nodes n on n.id = s.node_id
			where s.state in ('pending', 'active', 'removing') and (s.drift_error is not null or s.last_error is not null)
				and n.deleted_at is null and n.health <> 'down'
				and not exists (select 1 from graphile_worker.jobs j where j.key = 'customer:' || s.customer_id and j.attempts < j.max_attempts)
			limit ${limit}`
		if (!rows.length) return 0
		await enqueueReconciles(tx, rows.map((r) => r.customer_id))
		return rows.length
	})
}
