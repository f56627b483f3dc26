// Quotas: monitor-only notifications at 80/95/100 %, auto-disable with read-back, the cycle reset
// re-enabling only what the system disabled, manual enable/disable, and a stale router pausing it all.
import { expect, test } from 'vitest'
import { enforceRouter } from '~/services/routers/enforce.server'
import { pollRouter } from '~/services/routers/poll.server'
import { setPeerDisabled } from '~/services/routers/routers.server'
import { prisma } from '~/utils/db.server'
import type { AccountingPeer } from '../../sim/routeros-accounting'
import type { RouterOsSim } from '../../sim/routeros'
import { at, connectSim, importDefaults, peerOf, withAccountingSim } from './fixtures'

let sim: RouterOsSim
let peers: AccountingPeer[]
withAccountingSim((started) => ({ sim, peers } = started))

async function router(settings: { defaultQuotaBytes?: bigint | null; enforcement?: 'monitor' | 'auto_disable' } = {}) {
	const { routerId, adminId } = await connectSim(sim)
	await importDefaults(routerId, adminId)
	await prisma.router.update({ where: { id: routerId }, data: { timezone: 'Asia/Tehran', calendar: 'jalali', resetDay: 1, ...settings } })
	return { routerId, adminId }
}

const onRouter = (p: AccountingPeer) => sim.state.printPeers({ 'public-key': p.publicKey })[0]
async function pollAndEnforce(routerId: number, now?: Date) {
	await pollRouter(routerId, { now })
	return enforceRouter(routerId, { now })
}
const notes = (peerId: number) =>
	prisma.notification.findMany({ where: { kind: 'router_quota', dedupeKey: { startsWith: `router-quota:${peerId}:` } }, orderBy: { id: 'asc' } })

test('monitor only: one notification at 80, 95 and 100 %, and the peer stays enabled', async () => {
	const { routerId } = await router({ defaultQuotaBytes: 10_000n, enforcement: 'monitor' })
	const p = peers[1]
	await pollAndEnforce(routerId)
	for (const [bytes, expected] of [[8_500, [80]], [100, [80]], [1_000, [80, 95]], [600, [80, 95, 100]], [5_000, [80, 95, 100]]] as const) {
		sim.state.addTraffic({ [p.publicKey]: bytes })
		await pollAndEnforce(routerId)
		const peer = await peerOf(routerId, p)
		expect((await notes(peer.id)).map((n) => (n.data as { percent: number }).percent)).toEqual(expected)
	}
	expect(onRouter(p).disabled).toBe('false')
	expect(await prisma.routerAction.count({ where: { routerId } })).toBe(0)
})

test('auto-disable (per-peer override): disabled on the router at 100 %, read back and recorded', async () => {
	const { routerId } = await router({ defaultQuotaBytes: null, enforcement: 'monitor' })
	const p = peers[2]
	const peer = await peerOf(routerId, p)
	await prisma.routerPeer.update({ where: { id: peer.id }, data: { quotaBytes: 5_000n, enforcement: 'auto_disable' } })
	await pollAndEnforce(routerId)
	sim.state.addTraffic({ [p.publicKey]: 4_000 })
	expect((await pollAndEnforce(routerId)).disabled).toBe(0)
	expect(onRouter(p).disabled).toBe('false')
	sim.state.addTraffic({ [p.publicKey]: 1_500 })
	expect((await pollAndEnforce(routerId)).disabled).toBe(1)
	expect(onRouter(p).disabled).toBe('true')
	const [action] = await prisma.routerAction.findMany({ where: { peerId: peer.id } })
	expect(action).toMatchObject({ action: 'disable', reason: 'quota', actorId: null, result: 'ok', readBack: 'true' })
	expect(await peerOf(routerId, p)).toMatchObject({ disabled: true, disabledBy: 'system' })
	// Other peers without a quota were left alone.
	expect(onRouter(peers[0]).disabled).toBe('false')
	sim.state.setPeer(onRouter(p)['.id'], { disabled: 'no' })
})

test('at the cycle reset only system-disabled peers are re-enabled; an admin disable stays', async () => {
	const { routerId, adminId } = await router({ defaultQuotaBytes: 3_000n, enforcement: 'auto_disable' })
	const [quota, admin] = [peers[0], peers[4]]
	const azar = at('2026-12-21T10:00:00Z') // 30 Azar 1405
	const dey = at('2026-12-22T10:00:00Z') // 1 Dey 1405: a new cycle
	await pollAndEnforce(routerId, azar)
	sim.state.addTraffic({ [quota.publicKey]: 4_000 })
	expect((await pollAndEnforce(routerId, azar)).disabled).toBe(1)
	const adminPeer = await peerOf(routerId, admin)
	expect((await setPeerDisabled(routerId, adminPeer.id, true, adminId)).ok).toBe(true)
	expect(await peerOf(routerId, admin)).toMatchObject({ disabled: true, disabledBy: 'admin' })

	const result = await pollAndEnforce(routerId, dey)
	expect(result.reenabled).toBe(1)
	expect(onRouter(quota).disabled).toBe('false')
	expect(onRouter(admin).disabled).toBe('true')
	const actions = await prisma.routerAction.findMany({ where: { routerId }, orderBy: { id: 'asc' } })
	expect(actions.map((a) => [a.action, a.reason, a.actorId === null ? 'system' : 'admin', a.result, a.readBack])).toEqual([
		['disable', 'quota', 'system', 'ok', 'true'],
		['disable', 'admin', 'admin', 'ok', 'true'],
		['enable', 'cycle_reset', 'system', 'ok', 'false'],
	])
	expect(await peerOf(routerId, quota)).toMatchObject({ disabled: false, disabledBy: null, cycleBytes: 0n })
	expect(await setPeerDisabled(routerId, adminPeer.id, false, adminId)).toMatchObject({ ok: true })
})

test('a stale router pauses enforcement until a poll succeeds again', async () => {
	const { routerId } = await router({ defaultQuotaBytes: null, enforcement: 'auto_disable' })
	const p = peers[3]
	await pollAndEnforce(routerId)
	sim.state.addTraffic({ [p.publicKey]: 9_000 })
	await pollAndEnforce(routerId)
	await prisma.router.update({ where: { id: routerId }, data: { baseUrl: 'http://127.0.0.1:1' } })
	expect((await pollRouter(routerId)).status).toBe('failed')
	// The admin lowers the quota below the peer's usage while the router cannot be read.
	await prisma.router.update({ where: { id: routerId }, data: { defaultQuotaBytes: 5_000n } })
	expect(await enforceRouter(routerId)).toMatchObject({ paused: true, disabled: 0 })
	expect(await prisma.routerAction.count({ where: { routerId } })).toBe(0)
	await prisma.router.update({ where: { id: routerId }, data: { baseUrl: sim.restUrl } })
	expect((await pollAndEnforce(routerId)).disabled).toBe(1)
	expect(onRouter(p).disabled).toBe('true')
	sim.state.setPeer(onRouter(p)['.id'], { disabled: 'no' })
})
