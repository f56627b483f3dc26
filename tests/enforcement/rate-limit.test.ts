// Rule 11: panel-changing calls to one node stay within N per second (node override, else the
// setting), measured at the simulator as writes per sliding one-second window; work beyond a
// short wait is rescheduled as a later job instead of holding a worker slot.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { enforceAll } from '~/services/enforcement.server'
import { reconcileCustomer } from '~/services/provisioning.server'
import { resetRemoteRate } from '~/services/remote-rate.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'
import { buy, panelState, queuedFor, resetSettings, setSettings, startPanels } from './fixtures'

let env: Awaited<ReturnType<typeof startPanels>>
let M: number
beforeAll(async () => {
	env = await startPanels()
	M = env.nodes.marzban
})
afterAll(() => env.sims.close())
beforeEach(async () => {
	resetRemoteRate()
	await resetSettings()
	await setSettings(env.adminId, { remoteOpsPerSec: 100 })
	await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: null } })
})

/** Times (ms) at which the Marzban simulator received a user modification (enable/disable/limits). */
function recordWrites() {
	const control = env.sims.marzban.control
	const original = control.count.bind(control)
	const times: number[] = []
	control.count = (route: string) => {
		if (route === 'PUT /api/user/:username') times.push(performance.now())
		original(route)
	}
	return { times, stop: () => void (control.count = original) }
}

/** The most calls seen in any window [t, t + ms). */
function maxInWindow(times: number[], ms = 1000) {
	const t = [...times].sort((a, b) => a - b)
	let best = 0
	for (let i = 0, j = 0; j < t.length; j++) {
		while (t[j] - t[i] >= ms) i++
		best = Math.max(best, j - i + 1)
	}
	return best
}

async function overQuotaCustomers(n: number, prefix: string) {
	const { user } = await createReseller({ nodeIds: [M], funds: 10_000_000n })
	const ids: number[] = []
	for (let i = 0; i < n; i++) ids.push(await buy(user.id, `${prefix}${i}`, [M]))
	// Over quota (usage is not pushed to panels): the disable is the only write per account.
	await prisma.$executeRaw`update customers set used_bytes = data_limit_bytes where id = any(${ids}::int[])`
	expect(await enforceAll()).toMatchObject({ disabled: n })
	resetRemoteRate() // the creates above must not eat into the measured window
	return ids
}

describe('remote rate limit per node (rule 11)', () => {
	test('node override 5/s: 20 disables at once never exceed 5 (+1 for network jitter) writes in any second', async () => {
		const ids = await overQuotaCustomers(20, 'rl')
		await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: 5 } })
		const rec = recordWrites()
		const results = await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		expect(results.every((r) => r.deferredMs === 0)).toBe(true)
		expect(rec.times).toHaveLength(20) // read first: one write per account, nothing more
		expect(maxInWindow(rec.times)).toBeLessThanOrEqual(6)
		for (const id of ids) expect(await panelState(env.sims, env.nodes, id, M)).toBe('disabled')
	})

	test('the measurement can fail: at 100/s the same burst puts far more than 6 writes in one second', async () => {
		const ids = await overQuotaCustomers(20, 'fast')
		const rec = recordWrites()
		await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		expect(maxInWindow(rec.times)).toBeGreaterThan(6)
	})

	test('the setting applies when the node has no override', async () => {
		const ids = await overQuotaCustomers(10, 'set')
		await setSettings(env.adminId, { remoteOpsPerSec: 4 })
		const rec = recordWrites()
		await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		expect(rec.times).toHaveLength(10)
		expect(maxInWindow(rec.times)).toBeLessThanOrEqual(5)
	})

	test('beyond a 5 s backlog the work is rescheduled as a later job (no attempt spent), not waited for', async () => {
		const ids = await overQuotaCustomers(20, 'defer')
		await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: 2 } })
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		const rec = recordWrites()
		const results = await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		const deferred = ids.filter((_, i) => results[i].deferredMs > 0)
		expect(deferred.length).toBeGreaterThanOrEqual(5)
		expect(rec.times.length).toBe(20 - deferred.length)
		expect(maxInWindow(rec.times)).toBeLessThanOrEqual(3)
		const jobs = await queuedFor(deferred)
		expect(jobs).toHaveLength(deferred.length)
		for (const j of jobs) {
			expect(j.attempts).toBe(0)
			expect(j.run_at.getTime()).toBeGreaterThan(Date.now())
		}
		// each deferred customer got its own later slot: they come back spread out, not all at once
		expect(new Set(jobs.map((j) => Math.round(j.run_at.getTime() / 400))).size).toBeGreaterThan(deferred.length / 2)
		for (const id of deferred) expect(await panelState(env.sims, env.nodes, id, M)).toBe('active')
	}, 30_000)
})
