// One poll of one router (issue 13): read uptime and every peer's counters, compute each delta
// (delta.ts), and write the raw samples, the daily / cycle / hourly rollups, held anomalies and
// the peers' new counters in ONE transaction. Idempotent per poll: the router row's poll_seq (read
// before the router call) is compare-and-set at the start of the transaction, and each peer's
// counter update is compare-and-set on the counters it was computed from, so a replayed or
// concurrent poll applies nothing twice. Never overlapping in practice: the job runs on the
// router's own graphile-worker queue (schedule.server.ts).
// No network call inside the transaction (STYLE rule 9): the router is read first, enforcement
// (enforce.server.ts) runs after the commit.
import type { Router } from '~/generated/prisma/client'
import type { RosRow, RosTransport } from '~/services/panels/routeros-common'
import { isPanelError } from '~/services/panels/errors'
import { parseRouterOsDuration } from '~/services/panels/wireguard'
import { prisma } from '~/utils/db.server'
import { cycleStart, dayToDate, localDay } from './calendar'
import { routerTransport } from './connection.server'
import { isOnline, linkRateBound, peerDelta } from './delta'

export const PEER_PROPS = [
	'.id', 'interface', 'public-key', 'name', 'comment', 'allowed-address', 'endpoint-address', 'endpoint-port',
	'current-endpoint-address', 'current-endpoint-port', 'rx', 'tx', 'last-handshake', 'disabled',
]

export interface PollOptions {
	/** Test seam: the poll's clock (rollup day and cycle, handshake instants, link-rate window). */
	now?: Date
	/** Test seam: an already open transport (closed by its owner). */
	transport?: RosTransport
}

export interface PollResult {
	status: 'ok' | 'skipped' | 'failed'
	peers: number
	moved: number
	held: number
	bytes: bigint
	rebooted: boolean
	ms: number
	error?: string
}

interface StoredPeer {
	id: number
	lastRx: bigint
	lastTx: bigint
	counterEpoch: number
}

const toBig = (v: string | undefined) => (v && /^\d+$/.test(v) ? BigInt(v) : 0n)
export const peerKey = (iface: string, publicKey: string) => `${iface}\t${publicKey}`

export function endpointOf(row: RosRow) {
	const address = row['current-endpoint-address']
	if (!address) return null
	const port = row['current-endpoint-port']
	return port && port !== '0' ? `${address.includes(':') ? `[${address}]` : address}:${port}` : address
}

// Every peer of the poll as one JSON parameter (one statement for 2,000 peers; see decision 007
// on why arrays travel as text through Prisma's driver adapter).
const APPLY_SQL = `
with x as (
	select * from json_to_recordset($1::json) as x(id int, prx text, ptx text, pep int, rx text, tx text, ep int,
		drx text, dtx text, hrx text, htx text, reset bool, hs timestamptz, seen timestamptz, online bool,
		cep text, disabled bool, elapsed int, lim text)
), upd as (
	update router_peers p set
		last_rx = x.rx::bigint, last_tx = x.tx::bigint, counter_epoch = x.ep,
		total_bytes = p.total_bytes + x.drx::bigint + x.dtx::bigint,
		cycle_bytes = case when p.cycle_start = $3::date then p.cycle_bytes else 0 end + x.drx::bigint + x.dtx::bigint,
		notified_pct = case when p.cycle_start = $3::date then p.notified_pct else 0 end,
		cycle_start = $3::date,
		last_handshake_at = coalesce(x.hs, p.last_handshake_at),
		last_seen_at = greatest(p.last_seen_at, x.seen),
		online = x.online, current_endpoint = coalesce(x.cep, p.current_endpoint),
		disabled = x.disabled,
		-- enabled on the router by someone else: nobody's disable is in force any more
		disabled_by = case when x.disabled then p.disabled_by end,
		disabled_cycle = case when x.disabled then p.disabled_cycle end,
		missing_at = null
	from x
	where p.id = x.id and p.router_id = $5 and p.last_rx = x.prx::bigint and p.last_tx = x.ptx::bigint and p.counter_epoch = x.pep
	returning p.id
), a as (
	select x.* from x join upd using (id)
), samples as (
	insert into router_samples (poll_id, peer_id, at, rx, tx, rx_counter, tx_counter, reset, held)
	select $2, id, $4, drx::bigint + hrx::bigint, dtx::bigint + htx::bigint, rx::bigint, tx::bigint, reset, (hrx::bigint + htx::bigint) > 0
	from a where drx::bigint + dtx::bigint + hrx::bigint + htx::bigint > 0 or reset
	on conflict do nothing
), daily as (
	insert into router_peer_daily as d (peer_id, day, router_id, rx, tx)
	select id, $6::date, $5, drx::bigint, dtx::bigint from a where drx::bigint + dtx::bigint > 0
	on conflict (peer_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx
), cycles as (
	insert into router_peer_cycles as c (peer_id, cycle_start, router_id, rx, tx)
	select id, $3::date, $5, drx::bigint, dtx::bigint from a where drx::bigint + dtx::bigint > 0
	on conflict (peer_id, cycle_start) do update set rx = c.rx + excluded.rx, tx = c.tx + excluded.tx
), anomalies as (
	insert into router_anomalies (router_id, peer_id, poll_id, at, rx, tx, elapsed_sec, limit_bytes)
	select $5, id, $2, $4, hrx::bigint, htx::bigint, elapsed, lim::bigint from a where hrx::bigint + htx::bigint > 0
	on conflict do nothing
), sums as (
	select coalesce(sum(drx::bigint), 0) as rx, coalesce(sum(dtx::bigint), 0) as tx, count(*) filter (where drx::bigint + dtx::bigint > 0) as moved,
		count(*) filter (where hrx::bigint + htx::bigint > 0) as held, count(*) as applied
	from a
), rday as (
	insert into router_daily as d (router_id, day, rx, tx) select $5, $6::date, rx, tx from sums where rx + tx > 0
	on conflict (router_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx
), rhour as (
	insert into router_hourly as h (router_id, hour, rx, tx) select $5, date_trunc('hour', $4::timestamptz), rx, tx from sums where rx + tx > 0
	on conflict (router_id, hour) do update set rx = h.rx + excluded.rx, tx = h.tx + excluded.tx
)
select rx::text, tx::text, moved::int, held::int, applied::int from sums`

/** Reads the router; on failure marks it stale (enforcement pauses) and reports the error. */
export async function pollRouter(routerId: number, opts: PollOptions = {}): Promise<PollResult> {
	const started = performance.now()
	const router = await prisma.router.findFirst({ where: { id: routerId, deletedAt: null } })
	const empty = { peers: 0, moved: 0, held: 0, bytes: 0n, rebooted: false }
	if (!router || router.interfaces.length === 0) return { status: 'skipped', ...empty, ms: 0 }
	const stored = await storedPeers(router.id)
	if (stored.size === 0) return { status: 'skipped', ...empty, ms: 0 }

	const ros = opts.transport ?? routerTransport(router)
	let resource: RosRow | undefined
	let rows: RosRow[]
	try {
		;[[resource], rows] = await Promise.all([ros.print('system/resource', {}, ['uptime']), ros.print('interface/wireguard/peers', {}, PEER_PROPS)])
	} catch (e) {
		const error = (isPanelError(e) ? `${e.code}${e.reason ? `: ${e.reason}` : ''}` : String(e)).slice(0, 500)
		await prisma.router.update({ where: { id: router.id }, data: { stale: true, lastPollAt: opts.now ?? new Date(), lastPollError: error } })
		return { status: 'failed', ...empty, ms: Math.round(performance.now() - started), error }
	} finally {
		if (!opts.transport) await ros.close().catch(() => {})
	}
	const now = opts.now ?? new Date()
	return apply(router, stored, resource, rows, now, started)
}

async function storedPeers(routerId: number) {
	const rows = await prisma.$queryRawUnsafe<Array<{ rows: Array<[number, string, string, string, string, number]> }>>(
		`select coalesce(json_agg(json_build_array(id, interface, public_key, last_rx::text, last_tx::text, counter_epoch)), '[]') as rows
		 from router_peers where router_id = $1`,
		routerId,
	)
	const map = new Map<string, StoredPeer>()
	for (const [id, iface, key, rx, tx, epoch] of rows[0].rows) map.set(peerKey(iface, key), { id, lastRx: BigInt(rx), lastTx: BigInt(tx), counterEpoch: epoch })
	return map
}

async function apply(router: Router, stored: Map<string, StoredPeer>, resource: RosRow | undefined, rows: RosRow[], now: Date, started: number): Promise<PollResult> {
	const uptimeMs = parseRouterOsDuration(resource?.uptime)
	const uptimeSec = uptimeMs === null ? null : BigInt(Math.floor(uptimeMs / 1000))
	// Uptime only grows while the router runs: less than last time means it booted since.
	const rebooted = uptimeSec !== null && router.lastUptimeSec !== null && uptimeSec < router.lastUptimeSec
	const sinceLast = router.lastPollOkAt ? (now.getTime() - router.lastPollOkAt.getTime()) / 1000 : Number(uptimeSec ?? 0n)
	// After a boot the counters only hold what flowed since it.
	const elapsedSec = rebooted && uptimeSec !== null ? Math.min(sinceLast, Number(uptimeSec)) : sinceLast
	const maxBytes = linkRateBound(router.linkRateMbps, elapsedSec)
	const rule = { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar }
	const cycle = cycleStart(now, rule)
	const day = localDay(now, router.timezone)
	const wanted = new Set(router.interfaces)

	const input: object[] = []
	const seen = new Set<number>()
	for (const row of rows) {
		if (!wanted.has(row.interface)) continue
		const peer = stored.get(peerKey(row.interface, row['public-key']))
		if (!peer || seen.has(peer.id)) continue
		seen.add(peer.id)
		const d = peerDelta(peer, toBig(row.rx), toBig(row.tx), { rebooted, maxBytes })
		const age = parseRouterOsDuration(row['last-handshake'])
		const handshakeAt = age === null ? null : new Date(now.getTime() - age)
		input.push({
			id: peer.id, prx: String(peer.lastRx), ptx: String(peer.lastTx), pep: peer.counterEpoch,
			rx: String(d.nextRx), tx: String(d.nextTx), ep: d.nextEpoch,
			drx: String(d.rx), dtx: String(d.tx), hrx: String(d.heldRx), htx: String(d.heldTx), reset: d.reset,
			hs: handshakeAt?.toISOString() ?? null,
			seen: d.moved ? now.toISOString() : (handshakeAt?.toISOString() ?? null),
			online: isOnline(age, router.onlineThresholdSec, d.moved),
			cep: endpointOf(row), disabled: row.disabled === 'true',
			elapsed: Math.round(elapsedSec), lim: String(maxBytes),
		})
	}
	const missing = [...stored.values()].filter((p) => !seen.has(p.id)).map((p) => p.id)

	const result = await prisma.$transaction(async (tx) => {
		const claimed = await tx.router.updateMany({
			where: { id: router.id, pollSeq: router.pollSeq, deletedAt: null },
			data: { pollSeq: { increment: 1 } },
		})
		if (claimed.count === 0) return null // another poll applied first; its reading stands
		const poll = await tx.routerPoll.create({ data: { routerId: router.id, at: now, uptimeSec, rebooted, peers: input.length } })
		const [sums] = await tx.$queryRawUnsafe<Array<{ rx: string; tx: string; moved: number; held: number; applied: number }>>(
			APPLY_SQL, JSON.stringify(input), poll.id, cycle, now, router.id, day,
		)
		if (missing.length) {
			await tx.$executeRawUnsafe(
				`update router_peers set missing_at = $2, online = false where router_id = $1 and missing_at is null and id = any(string_to_array($3, ',')::int[])`,
				router.id, now, missing.join(','),
			)
		}
		const bytes = BigInt(sums.rx) + BigInt(sums.tx)
		const ms = Math.round(performance.now() - started)
		await tx.routerPoll.update({ where: { id: poll.id }, data: { moved: sums.moved, bytes, ms } })
		await tx.router.update({
			where: { id: router.id },
			data: {
				lastUptimeSec: uptimeSec ?? router.lastUptimeSec,
				bootEpoch: rebooted ? { increment: 1 } : undefined,
				lastPollAt: now, lastPollOkAt: now, lastPollMs: ms, lastPollError: null, stale: false,
				cycleStart: dayToDate(cycle),
			},
		})
		return { moved: sums.moved, held: sums.held, bytes, applied: sums.applied, ms }
	})
	if (!result) return { status: 'skipped', peers: 0, moved: 0, held: 0, bytes: 0n, rebooted, ms: Math.round(performance.now() - started) }
	return { status: 'ok', peers: result.applied, moved: result.moved, held: result.held, bytes: result.bytes, rebooted, ms: result.ms }
}
