// The rollups agree with the raw samples they were built from — per peer and per router, across a
// counter reset (disable/enable on the router) and a reboot, with a held link-rate jump that
// counts nowhere — and the routers row's dashboard counts follow every writer of its peers.
import { expect, test } from 'vitest'
import * as dashboard from '~/routes/admin+/routers'
import * as routerPage from '~/routes/admin+/routers.$id'
import { pollRouter } from '~/services/routers/poll.server'
import { setPeerDisabled, updatePeerSettings, updateRouterSettings } from '~/services/routers/routers.server'
import { prisma } from '~/utils/db.server'
import type { AccountingPeer } from '../../sim/routeros-accounting'
import type { RouterOsSim } from '../../sim/routeros'
import { loginAs } from '../factories'
import { getRequest } from '../helpers'
import { connectSim, importDefaults, peerOf, withAccountingSim } from './fixtures'

let sim: RouterOsSim
let peers: AccountingPeer[]
withAccountingSim((started) => ({ sim, peers } = started))

const MB = 1024 ** 2

/** Per peer: counted sample bytes, daily, cycle, and the peer row's own totals. */
async function totals(routerId: number) {
	const rows = await prisma.$queryRawUnsafe<Array<{ id: number; samples: string; held: string; daily: string; cycles: string; cycle_bytes: string; total_bytes: string }>>(
		`select p.id,
			(select coalesce(sum(s.rx + s.tx), 0) from router_samples s where s.peer_id = p.id and not s.held)::text as samples,
			(select coalesce(sum(s.rx + s.tx), 0) from router_samples s where s.peer_id = p.id and s.held)::text as held,
			(select coalesce(sum(d.rx + d.tx), 0) from router_peer_daily d where d.peer_id = p.id)::text as daily,
			(select coalesce(sum(c.rx + c.tx), 0) from router_peer_cycles c where c.peer_id = p.id)::text as cycles,
			p.cycle_bytes::text, p.total_bytes::text
		 from router_peers p where p.router_id = $1 order by p.id`,
		routerId,
	)
	const [router] = await prisma.$queryRawUnsafe<Array<{ daily: string; hourly: string }>>(
		`select (select coalesce(sum(rx + tx), 0) from router_daily where router_id = $1)::text as daily,
			(select coalesce(sum(rx + tx), 0) from router_hourly where router_id = $1)::text as hourly`,
		routerId,
	)
	return { peers: rows, router }
}

test("a poll's daily and cycle totals are the sum of its samples, across a counter reset, a reboot and a held jump", async () => {
	const t0 = new Date()
	const at = (s: number) => new Date(t0.getTime() + s * 1000)
	const { routerId, adminId } = await connectSim(sim)
	await importDefaults(routerId, adminId, undefined, t0)
	await prisma.router.update({ where: { id: routerId }, data: { linkRateMbps: 10 } }) // ≈ 77 MB per direction per minute
	await pollRouter(routerId, { now: at(1) })
	const [ali, sara, reza] = peers
	sim.state.addTraffic({ [ali.publicKey]: 3 * MB, [sara.publicKey]: 1234, [reza.publicKey]: 77 })
	await pollRouter(routerId, { now: at(61) })

	// Sara's counters restart (disable + enable on the router), then grow to less than before.
	const id = sim.state.printPeers({ 'public-key': sara.publicKey })[0]['.id']
	sim.state.setPeer(id, { disabled: 'yes' })
	sim.state.setPeer(id, { disabled: 'no' })
	sim.state.addTraffic({ [sara.publicKey]: 500, [ali.publicKey]: 2 * MB })
	await pollRouter(routerId, { now: at(121) })

	// A jump faster than the link rate is held: a sample marked held, in no rollup.
	sim.state.addTraffic({ [reza.publicKey]: 400 * MB })
	const jump = await pollRouter(routerId, { now: at(181) })
	expect(jump.held).toBe(1)

	// A reboot: every counter restarts, Ali's grows past its old value again. Half a minute of
	// uptime: the link-rate bound then covers 30 s, not the poll's 60.
	sim.state.reboot()
	sim.state.bootedAt = Date.now() - 30_000
	sim.state.addTraffic({ [ali.publicKey]: 6 * MB, [sara.publicKey]: 10 })
	const boot = await pollRouter(routerId, { now: at(241) })
	expect(boot.rebooted).toBe(true)
	sim.state.bootedAt = Date.now() - 3_600_000

	const { peers: rows, router } = await totals(routerId)
	for (const p of rows) {
		expect(p.daily, `peer ${p.id}: daily = counted samples`).toBe(p.samples)
		expect(p.cycles, `peer ${p.id}: cycles = counted samples`).toBe(p.samples)
		expect(p.cycle_bytes, `peer ${p.id}: the row's cycle total`).toBe(p.samples)
		expect(p.total_bytes, `peer ${p.id}: the row's total`).toBe(p.samples)
	}
	const ids = new Map((await prisma.routerPeer.findMany({ where: { routerId } })).map((p) => [p.publicKey, p.id]))
	const of = (peer: AccountingPeer) => rows.find((r) => r.id === ids.get(peer.publicKey))!
	expect(of(ali).samples).toBe(String(11 * MB))
	expect(of(sara).samples).toBe(String(1234 + 500 + 10))
	expect(of(reza).samples).toBe('77')
	expect(of(reza).held).toBe(String(400 * MB))
	const counted = rows.reduce((s, p) => s + BigInt(p.samples), 0n)
	expect(router.daily).toBe(String(counted))
	expect(router.hourly).toBe(String(counted))
})

test("the routers row's counts follow the poll, a disable, a peer's quota and the router's default", async () => {
	const { routerId, adminId } = await connectSim(sim)
	await importDefaults(routerId, adminId)
	const admin = await loginAs('admin')
	const card = async () => (await dashboard.loader({ request: getRequest('/admin/routers', admin.cookie), params: {}, context: {} })).routers.find((r) => r.id === routerId)!
	const page = async () => routerPage.loader({ request: getRequest(`/admin/routers/${routerId}`, admin.cookie), params: { id: String(routerId) }, context: {} })

	sim.state.setHandshake(peers[0].publicKey, 10_000)
	sim.state.setHandshake(peers[1].publicKey, 600_000)
	await pollRouter(routerId)
	sim.state.addTraffic({ [peers[1].publicKey]: 5000, [peers[2].publicKey]: 9000 })
	await pollRouter(routerId)
	const moved = await card()
	expect(moved).toMatchObject({ peers: 6, disabled: 0, cycleBytes: '14000', quotaBytes: null })
	expect(moved.online).toBe(await prisma.routerPeer.count({ where: { routerId, online: true } }))
	expect(moved.online).toBeGreaterThanOrEqual(3) // Ali by his handshake, Sara and Reza by their traffic
	expect((await page()).peers.top.map((p) => p.name)).toEqual([peers[2].name, peers[1].name])

	const ali = await peerOf(routerId, peers[0])
	await setPeerDisabled(routerId, ali.id, true, adminId)
	expect((await card()).disabled).toBe(1)
	await updatePeerSettings(routerId, ali.id, { quotaBytes: 1000n, enforcement: null, customerId: null }, adminId)
	expect((await card()).quotaBytes).toBe('1000')
	const r = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	await updateRouterSettings(routerId, { name: r.name, pollIntervalSec: r.pollIntervalSec, onlineThresholdSec: r.onlineThresholdSec, resetDay: r.resetDay, timezone: r.timezone, calendar: r.calendar, defaultQuotaBytes: 100n, enforcement: r.enforcement, linkRateMbps: r.linkRateMbps, sampleRetentionDays: r.sampleRetentionDays, verifyTls: r.verifyTls }, adminId)
	expect((await card()).quotaBytes).toBe(String(1000 + 5 * 100))
	const shown = await page()
	expect(shown.summary).toMatchObject({ peers: 6, cycleBytes: '14000', quotaBytes: '1500' })
	await setPeerDisabled(routerId, ali.id, false, adminId)
	expect((await card()).disabled).toBe(0)
})
