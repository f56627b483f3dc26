// One poll of one router (issue 13): read uptime and every peer's counters, compute each delta
// (delta.ts), and write the raw samples, the daily / cycle / hourly rollups, held anomalies and
// the peers' new counters in ONE transaction (poll-write.server.ts). Idempotent per poll: the
// router row's poll_seq (read before the router call) is compare-and-set at the start of the
// transaction, and each peer's counter update is compare-and-set on the counters it was computed
// from, so a replayed or concurrent poll applies nothing twice. Never overlapping in practice: the
// job runs on the router's own graphile-worker queue (schedule.server.ts).
// No network call inside the transaction (STYLE rule 9): the router is read first, enforcement
// (enforce.server.ts) runs after the commit.
import type { Router } from '~/generated/prisma/client'
import type { RosRow, RosTransport } from '~/services/panels/routeros-common'
import { isPanelError } from '~/services/panels/errors'
import { parseRouterOsDuration } from '~/services/panels/wireguard'
import { prisma, sql } from '~/utils/db.server'
import { cycleStart, localDay } from './calendar'
import { routerTransport } from './connection.server'
import { isOnline, linkRateBound, peerDelta } from './delta'
import { emptyColumns, writePoll } from './poll-write.server'

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
	const rows = await sql.$queryRaw<Array<{ id: number; interface: string; public_key: string; last_rx: bigint; last_tx: bigint; counter_epoch: number }>>`
		select id, interface, public_key, last_rx, last_tx, counter_epoch from router_peers where router_id = ${routerId}`
	const map = new Map<string, StoredPeer>()
	for (const r of rows) map.set(peerKey(r.interface, r.public_key), { id: r.id, lastRx: r.last_rx, lastTx: r.last_tx, counterEpoch: r.counter_epoch })
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

	const c = emptyColumns()
	const seen = new Set<number>()
	for (const row of rows) {
		if (!wanted.has(row.interface)) continue
		const peer = stored.get(peerKey(row.interface, row['public-key']))
		if (!peer || seen.has(peer.id)) continue
		seen.add(peer.id)
		const d = peerDelta(peer, toBig(row.rx), toBig(row.tx), { rebooted, maxBytes })
		const age = parseRouterOsDuration(row['last-handshake'])
		c.id.push(peer.id)
		c.prevRx.push(peer.lastRx)
		c.prevTx.push(peer.lastTx)
		c.prevEpoch.push(peer.counterEpoch)
		c.rx.push(d.nextRx)
		c.tx.push(d.nextTx)
		c.epoch.push(d.nextEpoch)
		c.dRx.push(d.rx)
		c.dTx.push(d.tx)
		c.heldRx.push(d.heldRx)
		c.heldTx.push(d.heldTx)
		c.reset.push(d.reset)
		c.handshakeAgeMs.push(age)
		c.moved.push(d.moved)
		c.online.push(isOnline(age, router.onlineThresholdSec, d.moved))
		c.endpoint.push(endpointOf(row))
		c.disabled.push(row.disabled === 'true')
	}
	const missing = [...stored.values()].filter((p) => !seen.has(p.id)).map((p) => p.id)
	const result = await writePoll({
		routerId: router.id, pollSeq: router.pollSeq, now, day, cycle, uptimeSec, rebooted, elapsedSec, limitBytes: maxBytes,
		peers: c, missing, started,
	})
	if (!result) return { status: 'skipped', peers: 0, moved: 0, held: 0, bytes: 0n, rebooted, ms: Math.round(performance.now() - started) }
	return { status: 'ok', peers: result.applied, moved: result.moved, held: result.held, bytes: result.bytes, rebooted, ms: result.ms }
}
