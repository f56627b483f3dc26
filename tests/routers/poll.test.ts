// Polling, deltas and rollups against the simulated router over real sockets (REST and the
// binary API), every rule of issue 13: baseline at import, resets and reboots, link-rate
// anomalies, missed polls, idempotency, Tehran midnights and Jalali reset days, online status.
import { describe, expect, test } from 'vitest'
import { routerTransport } from '~/services/routers/connection.server'
import { pollRouter } from '~/services/routers/poll.server'
import { prisma } from '~/utils/db.server'
import type { AccountingPeer } from '../../sim/routeros-accounting'
import type { RouterOsSim } from '../../sim/routeros'
import { at, connectSim, importDefaults, peerOf, withAccountingSim, type Transport } from './fixtures'

let sim: RouterOsSim
let peers: AccountingPeer[]
withAccountingSim((started) => ({ sim, peers } = started))

const MB = 1024 ** 2
const ali = () => peers[0]
const sara = () => peers[1]
const branch = () => peers[6]

async function freshRouter(transport: Transport = 'rest', now = new Date()) {
	const { routerId, adminId } = await connectSim(sim, transport)
	const imported = await importDefaults(routerId, adminId, undefined, now)
	return { routerId, adminId, ...imported }
}

const daily = (routerId: number) =>
	prisma.routerPeerDaily.findMany({ where: { routerId }, orderBy: [{ day: 'asc' }, { peerId: 'asc' }] })

describe.each(['rest', 'api'] as const)('%s transport', (transport) => {
	test('the import takes every peer but the outbound one, with a baseline: history starts at zero', async () => {
		sim.state.addTraffic({ [ali().publicKey]: 50 * MB }) // traffic from before the hub knew the router
		const { routerId, listing, result } = await freshRouter(transport)
		expect(listing.peers.find((p) => p.publicKey === branch().publicKey)?.outbound).toBe(true)
		expect(listing.peers.filter((p) => p.outbound)).toHaveLength(1)
		expect(result.added).toBe(6)
		const before = await peerOf(routerId, ali())
		expect(before.lastRx + before.lastTx).toBeGreaterThanOrEqual(BigInt(50 * MB))

		const first = await pollRouter(routerId)
		expect(first.status).toBe('ok')
		expect((await peerOf(routerId, ali())).cycleBytes).toBe(0n)
		sim.state.addTraffic({ [ali().publicKey]: 1000 })
		await pollRouter(routerId)
		const after = await peerOf(routerId, ali())
		expect(after.cycleBytes).toBe(1000n)
		expect(after.totalBytes).toBe(1000n)
		await expect(prisma.routerPeer.count({ where: { routerId, publicKey: branch().publicKey } })).resolves.toBe(0)
	})
})

test('re-running the import adds new peers and marks the ones gone from the router', async () => {
	const { routerId, adminId } = await freshRouter()
	const newKey = Buffer.alloc(32, 7).toString('base64')
	sim.state.addPeer({ interface: 'wg-home', name: 'new-phone', 'public-key': newKey, 'allowed-address': '10.20.0.40/32' })
	const gone = sim.state.peerByKey(peers[5].publicKey)!
	const goneRow = { ...gone.props }
	sim.state.removePeer(`*${gone.id.toString(16).toUpperCase()}`)
	try {
		const { listing, result } = await importDefaults(routerId, adminId)
		expect(listing.gone.map((g) => g.publicKey)).toEqual([peers[5].publicKey])
		expect(result).toMatchObject({ added: 1, gone: 1 })
		expect((await peerOf(routerId, peers[5])).missingAt).not.toBeNull()
		expect(await prisma.routerPeer.count({ where: { routerId, publicKey: newKey } })).toBe(1)
	} finally {
		sim.state.addPeer(goneRow)
		sim.state.removePeer(sim.state.printPeers({ 'public-key': newKey })[0]['.id'])
	}
})

test('a counter that goes down is a reset: a new epoch, the delta is the new value', async () => {
	const { routerId } = await freshRouter()
	await pollRouter(routerId)
	sim.state.addTraffic({ [sara().publicKey]: 10 * MB })
	await pollRouter(routerId)
	// Disabling and enabling a peer on the router restarts its counters.
	const id = sim.state.printPeers({ 'public-key': sara().publicKey })[0]['.id']
	sim.state.setPeer(id, { disabled: 'yes' })
	sim.state.setPeer(id, { disabled: 'no' })
	sim.state.addTraffic({ [sara().publicKey]: 3000 })
	const before = await peerOf(routerId, sara())
	await pollRouter(routerId)
	const after = await peerOf(routerId, sara())
	expect(after.counterEpoch).toBe(before.counterEpoch + 1)
	expect(after.cycleBytes - before.cycleBytes).toBe(3000n)
	const sample = await prisma.routerSample.findFirstOrThrow({ where: { peerId: after.id, reset: true } })
	expect(sample.rx + sample.tx).toBe(3000n)
})

test('router uptime going down is a reset of every peer, even of a counter already past its old value', async () => {
	const { routerId } = await freshRouter()
	sim.state.addTraffic({ [ali().publicKey]: 2000 })
	await pollRouter(routerId)
	const before = await peerOf(routerId, ali())
	sim.state.reboot()
	const old = Number(before.lastRx + before.lastTx)
	sim.state.addTraffic({ [ali().publicKey]: old + 5000 }) // past the old counter again
	const r = await pollRouter(routerId)
	expect(r.rebooted).toBe(true)
	const after = await peerOf(routerId, ali())
	expect(after.cycleBytes - before.cycleBytes).toBe(BigInt(old + 5000))
	expect(after.counterEpoch).toBe(before.counterEpoch + 1)
	const router = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	expect(router.bootEpoch).toBe(1)
	sim.state.bootedAt = Date.now() - 3_600_000
})

test('a delta faster than the link rate is held for review, not counted; the counter still advances', async () => {
	const t0 = new Date()
	const { routerId } = await freshRouter('rest', t0)
	await prisma.router.update({ where: { id: routerId }, data: { linkRateMbps: 1 } }) // 1 Mbit/s ≈ 7.75 MB per minute
	await pollRouter(routerId, { now: new Date(t0.getTime() + 1000) })
	sim.state.addTraffic({ [sara().publicKey]: 100 * MB })
	const r = await pollRouter(routerId, { now: new Date(t0.getTime() + 61_000) })
	expect(r.held).toBe(1)
	const peer = await peerOf(routerId, sara())
	expect(peer.cycleBytes).toBe(0n)
	const anomaly = await prisma.routerAnomaly.findFirstOrThrow({ where: { peerId: peer.id } })
	expect(anomaly.rx + anomaly.tx).toBe(BigInt(100 * MB))
	expect(anomaly.status).toBe('pending')
	sim.state.addTraffic({ [sara().publicKey]: 1 * MB })
	await pollRouter(routerId, { now: new Date(t0.getTime() + 121_000) })
	expect((await peerOf(routerId, sara())).cycleBytes).toBe(BigInt(MB))
})

test('a missed poll is covered by the next delta, on the day of the poll that saw it, never spread', async () => {
	const t0 = at('2026-12-21T20:00:00Z') // 23:30 in Tehran
	const { routerId } = await freshRouter('rest', t0)
	await pollRouter(routerId, { now: t0 })
	sim.state.addTraffic({ [ali().publicKey]: 1000 })
	// the 23:31 … 00:29 polls never happened
	sim.state.addTraffic({ [ali().publicKey]: 2000 })
	await pollRouter(routerId, { now: at('2026-12-21T21:00:00Z') }) // 00:30 the next day
	const rows = await daily(routerId)
	expect(rows.map((d) => [d.day.toISOString().slice(0, 10), Number(d.rx + d.tx)])).toEqual([['2026-12-22', 3000]])
	expect(await prisma.routerSample.count({ where: { peerId: rows[0].peerId } })).toBe(1)
})

test('daily rollups split at the Tehran midnight, cycles at the Jalali reset day (1 Dey 1405)', async () => {
	const t0 = at('2026-12-21T20:27:00Z') // 29 Azar... 30 Azar 1405, 23:57 Tehran
	const { routerId } = await freshRouter('rest', t0)
	await prisma.router.update({ where: { id: routerId }, data: { resetDay: 1, calendar: 'jalali', timezone: 'Asia/Tehran' } })
	await pollRouter(routerId, { now: t0 })
	sim.state.addTraffic({ [ali().publicKey]: 4000 })
	await pollRouter(routerId, { now: at('2026-12-21T20:29:30Z') }) // 23:59:30
	sim.state.addTraffic({ [ali().publicKey]: 700 })
	await pollRouter(routerId, { now: at('2026-12-21T20:30:30Z') }) // 00:00:30 on 1 Dey
	const rows = await daily(routerId)
	expect(rows.map((d) => [d.day.toISOString().slice(0, 10), Number(d.rx + d.tx)])).toEqual([
		['2026-12-21', 4000],
		['2026-12-22', 700],
	])
	const cycles = await prisma.routerPeerCycle.findMany({ where: { routerId }, orderBy: { cycleStart: 'asc' } })
	expect(cycles.map((c) => [c.cycleStart.toISOString().slice(0, 10), Number(c.rx + c.tx)])).toEqual([
		['2026-11-22', 4000], // 1 Azar
		['2026-12-22', 700], // 1 Dey
	])
	const peer = await peerOf(routerId, ali())
	expect(peer.cycleBytes).toBe(700n)
	expect(peer.totalBytes).toBe(4700n)
	const router = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	expect(router.cycleStart?.toISOString().slice(0, 10)).toBe('2026-12-22')
	const hours = await prisma.routerHourly.findMany({ where: { routerId }, orderBy: { hour: 'asc' } })
	expect(hours.map((h) => [h.hour.toISOString(), Number(h.rx + h.tx)])).toEqual([
		['2026-12-21T20:00:00.000Z', 4700],
	])
})

test('one poll applies once: two polls racing on the same reading count it once', async () => {
	const { routerId } = await freshRouter()
	await pollRouter(routerId)
	sim.state.addTraffic({ [ali().publicKey]: 1234 })
	// A real race, not a near miss: neither poll lists the peers (so neither writes) until both
	// have read the router and its stored peers.
	const router = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	let arrived = 0
	let release = () => {}
	const bothRead = new Promise<void>((r) => (release = r))
	const racing = () => {
		const ros = routerTransport(router)
		return {
			...ros,
			async print(...args: Parameters<typeof ros.print>) {
				if (args[0] === 'interface/wireguard/peers' && ++arrived === 2) release()
				if (args[0] === 'interface/wireguard/peers') await bothRead
				return ros.print(...args)
			},
		}
	}
	const [a, b] = [racing(), racing()]
	const results = await Promise.all([pollRouter(routerId, { transport: a }), pollRouter(routerId, { transport: b })]).finally(() => Promise.all([a.close(), b.close()]))
	expect(results.map((r) => r.status).sort()).toEqual(['ok', 'skipped'])
	expect((await peerOf(routerId, ali())).cycleBytes).toBe(1234n)
	const rday = await prisma.routerDaily.findMany({ where: { routerId } })
	expect(rday.reduce((s, d) => s + d.rx + d.tx, 0n)).toBe(1234n)
})

test('online: a handshake within 180 s, or counters that moved; otherwise offline with last seen', async () => {
	const { routerId } = await freshRouter()
	sim.state.setHandshake(ali().publicKey, 100_000, '203.0.113.77:51000') // 1m40s ago
	sim.state.setHandshake(sara().publicKey, 200_000) // 3m20s ago, idle
	sim.state.setHandshake(peers[2].publicKey, 200_000)
	await pollRouter(routerId)
	sim.state.addTraffic({ [peers[2].publicKey]: 10 }) // reza moves (handshake refreshed too)
	sim.state.setHandshake(peers[2].publicKey, 400_000) // … but his last handshake reads old
	const now = new Date()
	await pollRouter(routerId, { now })
	const [a, s, r] = await Promise.all([peerOf(routerId, ali()), peerOf(routerId, sara()), peerOf(routerId, peers[2])])
	expect([a.online, s.online, r.online]).toEqual([true, false, true])
	expect(a.currentEndpoint).toBe('203.0.113.77:51000')
	expect(Math.abs(now.getTime() - 200_000 - s.lastHandshakeAt!.getTime())).toBeLessThan(2000)
	expect(s.lastSeenAt!.getTime()).toBe(s.lastHandshakeAt!.getTime())
	expect(r.lastSeenAt!.getTime()).toBe(now.getTime())
	await prisma.router.update({ where: { id: routerId }, data: { onlineThresholdSec: 15 } }) // the seed's default
	await pollRouter(routerId, { now })
	expect((await peerOf(routerId, ali())).online).toBe(false)
})

test('an unreachable router is marked stale; the next good poll clears it', async () => {
	const { routerId } = await freshRouter()
	await pollRouter(routerId)
	await prisma.router.update({ where: { id: routerId }, data: { baseUrl: 'http://127.0.0.1:1' } }) // nothing listens there
	const r = await pollRouter(routerId)
	expect(r.status).toBe('failed')
	const stale = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	expect(stale.stale).toBe(true)
	expect(stale.lastPollError).toBeTruthy()
	await prisma.router.update({ where: { id: routerId }, data: { baseUrl: sim.restUrl } })
	await pollRouter(routerId)
	expect((await prisma.router.findUniqueOrThrow({ where: { id: routerId } })).stale).toBe(false)
})
