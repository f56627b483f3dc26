// Rule 8 on every panel kind: what an automatic disable / re-enable really does on each simulator,
// verified by reading the simulator's own state; drift caught and healed; one node's outage
// delays only that node.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { enforceAll, requeueStuck } from '~/services/enforcement.server'
import { DELETED_ON_EXPIRY, reconcileCustomer, RetryLater } from '~/services/provisioning.server'
import { resetRemoteRate } from '~/services/remote-rate.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'
import { autoEvents, buy, customerRow, DAY, GB, operate, panelState, reconcile, remoteName, resetSettings, setSettings, startPanels } from './fixtures'

let env: Awaited<ReturnType<typeof startPanels>>
let all: number[]
beforeAll(async () => {
	env = await startPanels()
	all = [env.nodes.marzban, env.nodes.pasarguard, env.nodes.marzneshin, env.nodes.wgdashboard, env.nodes.routeros]
})
afterAll(() => env.sims.close())
beforeEach(async () => {
	await resetRemoteRate()
	await resetSettings()
	await setSettings(env.adminId, { remoteOpsPerSec: 50 })
})

const states = (customerId: number) => Promise.all(all.map((n) => panelState(env.sims, env.nodes, customerId, n)))
async function expireNow(customerId: number) {
	await prisma.customer.update({ where: { id: customerId }, data: { expireAt: new Date(Date.now() - 1000) } })
}

describe('status policy per panel (rule 8)', () => {
	test('expiry: Marzban/PasarGuard/Marzneshin disabled (not deleted), WGDashboard restricted, RouterOS peer disabled; extend brings all back, verified', async () => {
		const { user } = await createReseller({ nodeIds: all, funds: 1_000_000n })
		const id = await buy(user.id, 'expiring', all)
		expect(await states(id)).toEqual(['active', 'active', 'active', 'active', 'active'])
		const marzbanUser = env.sims.marzban.state.users.get(await remoteName(id, env.nodes.marzban))!
		const salt = marzbanUser.subSalt
		await expireNow(id)
		expect(await enforceAll()).toMatchObject({ disabled: 1, enabled: 0 })
		const c = await customerRow(id)
		expect([c.status, c.disabledReason]).toEqual(['expired', 'expiry'])
		await reconcileCustomer(id)
		expect(await states(id)).toEqual(['disabled', 'disabled', 'disabled', 'restricted', 'disabled'])
		expect(marzbanUser.subSalt).toBe(salt) // disabled, never revoked
		expect(await autoEvents(id)).toEqual(['auto_disabled:expiry'])

		await operate(user.id, { kind: 'extend', customerId: id, days: 30 })
		expect(await states(id)).toEqual(['active', 'active', 'active', 'active', 'active'])
		// the hub's read-back agrees with the panels, and nothing is left to heal
		const subs = await prisma.subAccount.findMany({ where: { customerId: id } })
		expect(subs.map((s) => [s.remoteStatus, s.lastError, s.driftError])).toEqual(subs.map(() => ['active', null, null]))
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
	})

	test('wgExpiryAction=delete: the WGDashboard peer is deleted, and re-created with the same keys on extend', async () => {
		await setSettings(env.adminId, { wgExpiryAction: 'delete' })
		const { user } = await createReseller({ nodeIds: all, funds: 1_000_000n })
		const id = await buy(user.id, 'wgdel', all)
		const before = await prisma.subAccount.findFirstOrThrow({ where: { customerId: id, nodeId: env.nodes.wgdashboard } })
		const pub = [...env.sims.wgdashboard.state.peers.values()].find((p) => p.name.split(' ')[0] === before.remoteUsername)!.id
		await expireNow(id)
		await enforceAll()
		await reconcileCustomer(id)
		expect(await states(id)).toEqual(['disabled', 'disabled', 'disabled', 'absent', 'disabled'])
		const gone = await prisma.subAccount.findUniqueOrThrow({ where: { id: before.id } })
		expect([gone.state, gone.remoteStatus]).toEqual(['removed', DELETED_ON_EXPIRY])
		await reconcileCustomer(id) // idempotent: nothing to delete twice, nothing re-created
		expect((await prisma.subAccount.findUniqueOrThrow({ where: { id: before.id } })).state).toBe('removed')

		await operate(user.id, { kind: 'extend', customerId: id, days: 10 })
		expect(await states(id)).toEqual(['active', 'active', 'active', 'active', 'active'])
		const back = await prisma.subAccount.findUniqueOrThrow({ where: { id: before.id } })
		expect([back.state, back.remoteStatus]).toEqual(['active', 'active'])
		expect(env.sims.wgdashboard.state.peers.has(pub)).toBe(true) // the client's config file still works
	})

	test('a dropped node is not re-created after an expiry delete', async () => {
		await setSettings(env.adminId, { wgExpiryAction: 'delete' })
		const { user } = await createReseller({ nodeIds: [env.nodes.marzban, env.nodes.wgdashboard], funds: 1_000_000n })
		const id = await buy(user.id, 'wgdrop', [env.nodes.marzban, env.nodes.wgdashboard])
		await expireNow(id)
		await enforceAll()
		await reconcileCustomer(id)
		await operate(user.id, { kind: 'extend', customerId: id, days: 10 })
		await operate(user.id, { kind: 'change_nodes', customerId: id, nodeIds: [env.nodes.marzban] })
		expect(await panelState(env.sims, env.nodes, id, env.nodes.wgdashboard)).toBe('absent')
		expect((await prisma.subAccount.findFirstOrThrow({ where: { customerId: id, nodeId: env.nodes.wgdashboard } })).state).toBe('removed')
	})
})

describe('verification and drift', () => {
	/** The panel acknowledges every change of this user's status and keeps `stuck`. */
	function stickStatus(name: string, stuck: string) {
		const u = env.sims.marzban.state.users.get(name)!
		const original = Object.getOwnPropertyDescriptor(u, 'status')!
		Object.defineProperty(u, 'status', { get: () => stuck, set: () => {}, configurable: true, enumerable: true })
		return () => Object.defineProperty(u, 'status', original)
	}

	test('a panel that acknowledges a disable but does not apply it: drift set after 3 runs, notified once, cleared when healed', async () => {
		const { user } = await createReseller({ nodeIds: [env.nodes.marzban], funds: 1_000_000n })
		const id = await buy(user.id, 'liar', [env.nodes.marzban])
		const name = await remoteName(id, env.nodes.marzban)
		await expireNow(id)
		await enforceAll()
		const restore = stickStatus(name, 'active')
		for (let i = 1; i <= 4; i++) {
			await expect(reconcileCustomer(id)).rejects.toBeInstanceOf(RetryLater)
			const sub = await prisma.subAccount.findFirstOrThrow({ where: { customerId: id } })
			expect(sub.lastError).toMatch(/read back active, wanted disabled/)
			expect(sub.driftError === null).toBe(i < 3)
		}
		const drift = await prisma.notification.findMany({ where: { kind: 'drift' } })
		expect(drift).toHaveLength(1)
		expect(drift[0]).toMatchObject({ audience: 'admin', data: { customerId: id, username: 'liar', nodeId: env.nodes.marzban, nodeName: 'Sim Marzban' } })
		// the job gave up (attempts spent): the periodic pass queues the drifted customer again, once
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		expect(await requeueStuck()).toBe(1)
		expect(await requeueStuck()).toBe(0)
		await prisma.node.update({ where: { id: env.nodes.marzban }, data: { health: 'down' } })
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		expect(await requeueStuck()).toBe(0) // a node known to be down is not hammered
		await prisma.node.update({ where: { id: env.nodes.marzban }, data: { health: 'ok' } })
		restore()
		await reconcileCustomer(id)
		const healed = await prisma.subAccount.findFirstOrThrow({ where: { customerId: id } })
		expect([healed.driftError, healed.lastError, healed.attempts, healed.remoteStatus]).toEqual([null, null, 0, 'disabled'])
		expect(env.sims.marzban.state.users.get(name)!.status).toBe('disabled')
	})

	test('an automatic re-enable is verified: a panel that leaves the user disabled is retried until it reads back enabled', async () => {
		const { user } = await createReseller({ nodeIds: [env.nodes.marzban], funds: 1_000_000n })
		const id = await buy(user.id, 'sticky', [env.nodes.marzban], 1)
		await prisma.customer.update({ where: { id }, data: { usedBytes: 2n * GB } })
		await enforceAll()
		await reconcileCustomer(id)
		const name = await remoteName(id, env.nodes.marzban)
		expect(env.sims.marzban.state.users.get(name)!.status).toBe('disabled')
		await operate(user.id, { kind: 'add_traffic', customerId: id, gb: 5 })
		expect((await customerRow(id)).status).toBe('active')
		const restore = stickStatus(name, 'disabled')
		await expect(reconcileCustomer(id)).rejects.toBeInstanceOf(RetryLater)
		expect((await prisma.subAccount.findFirstOrThrow({ where: { customerId: id } })).lastError).toMatch(/read back disabled, wanted enabled/)
		restore()
		await reconcileCustomer(id)
		expect(env.sims.marzban.state.users.get(name)!.status).toBe('active')
		expect(env.sims.marzban.state.users.get(name)!.dataLimit).toBe(Number(6n * GB))
	})

	test('a node that does not answer delays only its own work; the breaker then skips it without calls', async () => {
		const { user } = await createReseller({ nodeIds: [env.nodes.marzban, env.nodes.marzneshin], funds: 1_000_000n })
		const id = await buy(user.id, 'halfdown', [env.nodes.marzban, env.nodes.marzneshin])
		await expireNow(id)
		await enforceAll()
		env.sims.marzneshin.control.failNext(50, 'reset') // more than the client's own retries
		await expect(reconcileCustomer(id)).rejects.toBeInstanceOf(RetryLater)
		expect(await panelState(env.sims, env.nodes, id, env.nodes.marzban)).toBe('disabled')
		expect(await panelState(env.sims, env.nodes, id, env.nodes.marzneshin)).toBe('active')
		const calls = env.sims.marzneshin.control.stats().requests
		await expect(reconcileCustomer(id)).rejects.toBeInstanceOf(RetryLater)
		expect(env.sims.marzneshin.control.stats().requests).toBe(calls)
		env.sims.marzneshin.control.clearFaults()
		await resetRemoteRate() // the breaker's time is up
		await reconcile(id)
		expect(await panelState(env.sims, env.nodes, id, env.nodes.marzneshin)).toBe('disabled')
		expect((await prisma.subAccount.findMany({ where: { customerId: id } })).every((s) => s.driftError === null)).toBe(true)
	})
})
