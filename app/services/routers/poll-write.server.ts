// The write half of one poll (issue 13): every peer's new counters, the raw samples, the daily /
// cycle / hourly rollups, held anomalies and the poll row in ONE transaction of a fixed number of
// statements, whatever the number of peers: the claim, one set-based statement for all of it, the
// missing peers, the router row, its dashboard counts.
// On plain pg (utils/sql.server.ts), not Prisma: through Prisma's query compiler the one big
// statement cost ~200 ms of CPU per 2,000-peer poll in our process before Postgres saw it
// (npm run bench -- routers with BENCH_CPU_PROF), more than all the rest of the poll. The
// peers travel as one typed array per column (unnest), not one JSON object per peer.
import { Prisma } from '~/generated/prisma/client'
import { pool } from '~/utils/db.server'
import { sqlTransaction, type SqlClient } from '~/utils/sql.server'
import { refreshRouterStats } from './stats.server'

/** One column per field, one entry per peer (the order of `id`). */
export interface PeerColumns {
	id: number[]
	/** The counters the delta was computed from: a peer whose row moved on since is left alone. */
	prevRx: bigint[]
	prevTx: bigint[]
	prevEpoch: number[]
	rx: bigint[]
	tx: bigint[]
	epoch: number[]
	/** Counted bytes, and bytes held for review (not counted). */
	dRx: bigint[]
	dTx: bigint[]
	heldRx: bigint[]
	heldTx: bigint[]
	reset: boolean[]
	/** Milliseconds since the last handshake, as the router printed it; null: none yet. */
	handshakeAgeMs: Array<number | null>
	moved: boolean[]
	online: boolean[]
	endpoint: Array<string | null>
	disabled: boolean[]
}

export const emptyColumns = (): PeerColumns => ({
	id: [], prevRx: [], prevTx: [], prevEpoch: [], rx: [], tx: [], epoch: [], dRx: [], dTx: [], heldRx: [], heldTx: [],
	reset: [], handshakeAgeMs: [], moved: [], online: [], endpoint: [], disabled: [],
})

/** A Postgres array literal of numbers or booleans (nothing to quote); pg quotes text arrays itself. */
const literal = (values: ReadonlyArray<number | bigint | boolean | null>) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`

export interface PollWrite {
	routerId: number
	/** The poll_seq read before the router was: the compare-and-set token. */
	pollSeq: number
	now: Date
	/** Local day (router's zone) and cycle start of `now`. */
	day: string
	cycle: string
	uptimeSec: bigint | null
	rebooted: boolean
	elapsedSec: number
	limitBytes: bigint
	peers: PeerColumns
	missing: number[]
	started: number
}

export interface PollWritten {
	moved: number
	held: number
	bytes: bigint
	applied: number
	ms: number
}

/** Applies one poll; null when another poll (or an import) moved the router on first. */
export function writePoll(w: PollWrite): Promise<PollWritten | null> {
	return sqlTransaction(pool, async (tx) => {
		// The router row stays locked to the end: a concurrent poll, import or peer change waits.
		const claimed = await tx.$executeRaw`update routers set poll_seq = poll_seq + 1 where id = ${w.routerId} and poll_seq = ${w.pollSeq} and deleted_at is null`
		if (claimed === 0) return null
		const [sums] = await tx.$queryRaw<Array<{ poll_id: string; rx: string; tx: string; moved: number; held: number; applied: number }>>(applySql(w))
		const at = w.now.toISOString()
		if (w.missing.length) {
			await tx.$executeRaw`update router_peers set missing_at = ${at}::timestamptz, online = false
				where router_id = ${w.routerId} and missing_at is null and id = any(${literal(w.missing)}::int[])`
		}
		const ms = Math.round(performance.now() - w.started)
		const bytes = BigInt(sums!.rx) + BigInt(sums!.tx)
		await finish(tx, w, sums!.poll_id, ms)
		await refreshRouterStats(tx, w.routerId)
		return { moved: sums!.moved, held: sums!.held, bytes, applied: sums!.applied, ms }
	}, { maxWaitMs: 10_000 })
}

/**
 * Every peer in one statement. `upd` applies the new counters only where the stored ones are
 * still those the delta was computed from (so nothing is counted twice) and hands on, through
 * RETURNING, exactly the peers it changed; everything after reads `upd`, so a peer skipped there
 * has no sample, no rollup and no share of the sums.
 */
function applySql(w: PollWrite) {
	const p = w.peers
	const at = w.now.toISOString()
	const cycle = w.cycle
	return Prisma.sql`
with x as (
	select * from unnest(${literal(p.id)}::int[], ${literal(p.prevRx)}::bigint[], ${literal(p.prevTx)}::bigint[], ${literal(p.prevEpoch)}::int[],
		${literal(p.rx)}::bigint[], ${literal(p.tx)}::bigint[], ${literal(p.epoch)}::int[], ${literal(p.dRx)}::bigint[], ${literal(p.dTx)}::bigint[],
		${literal(p.heldRx)}::bigint[], ${literal(p.heldTx)}::bigint[], ${literal(p.reset)}::bool[], ${literal(p.handshakeAgeMs)}::bigint[],
		${literal(p.moved)}::bool[], ${literal(p.online)}::bool[], ${p.endpoint}::text[], ${literal(p.disabled)}::bool[])
		as x(id, prx, ptx, pep, rx, tx, ep, drx, dtx, hrx, htx, reset, hs_age, moved, online, cep, disabled)
), upd as (
	update router_peers p set
		last_rx = x.rx, last_tx = x.tx, counter_epoch = x.ep,
		total_bytes = p.total_bytes + x.drx + x.dtx,
		cycle_bytes = case when p.cycle_start = ${cycle}::date then p.cycle_bytes else 0 end + x.drx + x.dtx,
		notified_pct = case when p.cycle_start = ${cycle}::date then p.notified_pct else 0 end,
		cycle_start = ${cycle}::date,
		last_handshake_at = coalesce(${at}::timestamptz - x.hs_age * interval '1 millisecond', p.last_handshake_at),
		last_seen_at = greatest(p.last_seen_at, case when x.moved then ${at}::timestamptz else ${at}::timestamptz - x.hs_age * interval '1 millisecond' end),
		online = x.online, current_endpoint = coalesce(x.cep, p.current_endpoint),
		disabled = x.disabled,
		-- enabled on the router by someone else: nobody's disable is in force any more
		disabled_by = case when x.disabled then p.disabled_by end,
		disabled_cycle = case when x.disabled then p.disabled_cycle end,
		missing_at = null
	from x
	where p.id = x.id and p.router_id = ${w.routerId} and p.last_rx = x.prx and p.last_tx = x.ptx and p.counter_epoch = x.pep
	returning p.id, x.rx, x.tx, x.drx, x.dtx, x.hrx, x.htx, x.reset
), sums as (
	select coalesce(sum(drx), 0) as rx, coalesce(sum(dtx), 0) as tx, count(*) filter (where drx + dtx > 0)::int as moved,
		count(*) filter (where hrx + htx > 0)::int as held, count(*)::int as applied
	from upd
), poll as (
	insert into router_polls (router_id, at, uptime_sec, rebooted, peers, moved, bytes)
	select ${w.routerId}, ${at}::timestamptz, ${w.uptimeSec}::bigint, ${w.rebooted}, ${p.id.length}, moved, rx + tx from sums
	returning id
), samples as (
	insert into router_samples (poll_id, peer_id, at, rx, tx, rx_counter, tx_counter, reset, held)
	select poll.id, u.id, ${at}::timestamptz, u.drx + u.hrx, u.dtx + u.htx, u.rx, u.tx, u.reset, u.hrx + u.htx > 0
	from upd u, poll where u.drx + u.dtx + u.hrx + u.htx > 0 or u.reset
	on conflict do nothing
), daily as (
	insert into router_peer_daily as d (peer_id, day, router_id, rx, tx)
	select id, ${w.day}::date, ${w.routerId}, drx, dtx from upd where drx + dtx > 0
	on conflict (peer_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx
), cycles as (
	insert into router_peer_cycles as c (peer_id, cycle_start, router_id, rx, tx)
	select id, ${cycle}::date, ${w.routerId}, drx, dtx from upd where drx + dtx > 0
	on conflict (peer_id, cycle_start) do update set rx = c.rx + excluded.rx, tx = c.tx + excluded.tx
), anomalies as (
	insert into router_anomalies (router_id, peer_id, poll_id, at, rx, tx, elapsed_sec, limit_bytes)
	select ${w.routerId}, u.id, poll.id, ${at}::timestamptz, u.hrx, u.htx, ${Math.round(w.elapsedSec)}, ${w.limitBytes}::bigint
	from upd u, poll where u.hrx + u.htx > 0
	on conflict do nothing
), rday as (
	insert into router_daily as d (router_id, day, rx, tx) select ${w.routerId}, ${w.day}::date, rx, tx from sums where rx + tx > 0
	on conflict (router_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx
), rhour as (
	insert into router_hourly as h (router_id, hour, rx, tx) select ${w.routerId}, date_trunc('hour', ${at}::timestamptz), rx, tx from sums where rx + tx > 0
	on conflict (router_id, hour) do update set rx = h.rx + excluded.rx, tx = h.tx + excluded.tx
)
select poll.id::text as poll_id, sums.rx::text, sums.tx::text, sums.moved, sums.held, sums.applied from sums, poll`
}

/** The poll row's duration and the router row: polled, not stale, this uptime and cycle. */
async function finish(tx: SqlClient, w: PollWrite, pollId: string, ms: number) {
	const at = w.now.toISOString()
	await tx.$executeRaw`
		with poll as (update router_polls set ms = ${ms} where id = ${pollId}::bigint)
		update routers set last_uptime_sec = coalesce(${w.uptimeSec}::bigint, last_uptime_sec), boot_epoch = boot_epoch + ${w.rebooted ? 1 : 0},
			last_poll_at = ${at}::timestamptz, last_poll_ok_at = ${at}::timestamptz, last_poll_ms = ${ms}, last_poll_error = null, stale = false,
			cycle_start = ${w.cycle}::date, updated_at = now()
		where id = ${w.routerId}`
}
