// Rule 11: panel-changing calls to one node stay within N per second (node override, else the
// setting), measured at the simulator as writes per sliding one-second window; work beyond a
// short wait is rescheduled as a later job instead of holding a worker slot. The limit is held in
// the node row, so separate processes (separate connections, separate memory) share it.
import { run } from 'graphile-worker'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { PrismaClient } from '~/generated/prisma/client'
import { enforceAll, RUN_LEAD_MS } from '~/services/enforcement.server'
import { reconcileCustomer } from '~/services/provisioning.server'
import { reserveSlot, resetRemoteRate, slotWatch } from '~/services/remote-rate.server'
import { prisma } from '~/utils/db.server'
import { env as appEnv } from '~/utils/env.server'
import { createPgAdapter } from '../../prisma/pg-adapter'
import { quietLogger } from '../../worker/schema'
import { taskList } from '../../worker/tasks/index'
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
	await resetRemoteRate()
	await resetSettings()
	await setSettings(env.adminId, { remoteOpsPerSec: 100 })
	await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: null } })
})

/**
 * Times (ms since the epoch) at which the Marzban simulator received a user modification
 * (enable/disable/limits), and the slots the limiter handed out for that node.
 */
function recordWrites() {
	const control = env.sims.marzban.control
	const original = control.count.bind(control)
	const times: number[] = []
	const slots: number[] = []
	control.count = (route: string) => {
		if (route === 'PUT /api/user/:username') times.push(Date.now())
		original(route)
	}
	slotWatch.onSlot = (nodeId, at) => void (nodeId === M && slots.push(at))
	return { times, slots, stop: () => void ((control.count = original), (slotWatch.onSlot = undefined)) }
}

/**
 * Rule 11 as the limiter promises it, independent of machine load: at most `perSec` slots in any
 * second, and no write reached the panel before its slot (the k-th write after the k-th slot; the
 * database and this process share the machine's clock, the 2 ms allow for its rounding). A loaded
 * machine may deliver late writes close together; it can never make them early.
 */
function expectPaced(rec: { times: number[]; slots: number[] }, perSec: number) {
	expect(rec.slots).toHaveLength(rec.times.length)
	expect(maxInWindow(rec.slots)).toBeLessThanOrEqual(perSec)
	const slots = [...rec.slots].sort((a, b) => a - b)
	const times = [...rec.times].sort((a, b) => a - b)
	times.forEach((t, k) => expect(t, `write ${k}`).toBeGreaterThanOrEqual(slots[k]! - 2))
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
	await resetRemoteRate() // the creates above must not eat into the measured window
	return ids
}

/**
 * Graphile workers (each with its own connection pool, as separate processes would have) run the
 * queued panel work until every customer's job is done; bounded, never a fixed sleep.
 */
async function drainWithWorkers(customerIds: number[], workers = 1) {
	const runners = await Promise.all(Array.from({ length: workers }, () => run({ connectionString: appEnv().DATABASE_URL, taskList, concurrency: 5, pollInterval: 50, noHandleSignals: true, logger: quietLogger() })))
	try {
		for (let i = 0; (await queuedFor(customerIds)).length; i++) {
			if (i > 1200) throw new Error('panel work still queued after 60 s')
			await new Promise((r) => setTimeout(r, 50))
		}
	} finally {
		await Promise.all(runners.map((r) => r.stop()))
	}
}

describe('remote rate limit per node (rule 11)', () => {
	test('node override 5/s: 20 disables at once, run by two workers, never more than 5 slots in any second and no write before its slot', async () => {
		const ids = await overQuotaCustomers(20, 'rl')
		await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: 5 } })
		const rec = recordWrites()
		await drainWithWorkers(ids, 2)
		rec.stop()
		expect(rec.times).toHaveLength(20) // read first: one write per account, nothing more
		expectPaced(rec, 5)
		for (const id of ids) expect(await panelState(env.sims, env.nodes, id, M)).toBe('disabled')
	}, 60_000)

	test('the measurement can fail: at 100/s the same burst hands out and delivers far more than 6 in one second', async () => {
		const ids = await overQuotaCustomers(20, 'fast')
		const rec = recordWrites()
		await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		expect(maxInWindow(rec.slots)).toBeGreaterThan(6)
		expect(maxInWindow(rec.times)).toBeGreaterThan(6)
		expect(() => expectPaced(rec, 5)).toThrow()
	})

	test('the setting applies when the node has no override', async () => {
		const ids = await overQuotaCustomers(10, 'set')
		await setSettings(env.adminId, { remoteOpsPerSec: 4 })
		const rec = recordWrites()
		await drainWithWorkers(ids)
		rec.stop()
		expect(rec.times).toHaveLength(10)
		expectPaced(rec, 4)
	}, 60_000)

	test('beyond a 1 s backlog the work is rescheduled as a later job (no attempt spent), not waited for', async () => {
		const ids = await overQuotaCustomers(20, 'defer')
		await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: 2 } })
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		const rec = recordWrites()
		const results = await Promise.all(ids.map((id) => reconcileCustomer(id)))
		rec.stop()
		const deferred = ids.filter((_, i) => results[i].deferredMs > 0)
		expect(deferred.length).toBeGreaterThanOrEqual(5)
		expect(rec.times.length).toBe(20 - deferred.length)
		expectPaced(rec, 2)
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

test('a burst of decisions is queued at its turn on the node: one job per slot at the node rate, none at once', async () => {
	const { user } = await createReseller({ nodeIds: [M], funds: 10_000_000n })
	const ids: number[] = []
	for (let i = 0; i < 12; i++) ids.push(await buy(user.id, `turn${i}`, [M]))
	await prisma.$executeRaw`delete from graphile_worker._private_jobs`
	await resetRemoteRate()
	await prisma.node.update({ where: { id: M }, data: { rateLimitPerSec: 5 } })
	await prisma.$executeRaw`update customers set used_bytes = data_limit_bytes where id = any(${ids}::int[])`
	expect(await enforceAll()).toMatchObject({ disabled: 12 })
	// A database time after the statement: a job whose due time was pulled up to "now" is due at
	// the statement's clock, which on a busy machine can be a millisecond past its own slot.
	const [{ t: after } = { t: new Date(0) }] = await prisma.$queryRaw<Array<{ t: Date }>>`select clock_timestamp() as t`
	const jobs = (await queuedFor(ids)).map((j) => j.run_at.getTime()).sort((a, b) => a - b)
	expect(jobs).toHaveLength(12)
	// one slot each, 200 ms apart (database times, set in one statement), the last being the end of
	// the node's virtual queue; each job is due RUN_LEAD_MS before its slot (never in the past), so it
	// reads first and then waits for the slot instead of writing late and pushing every later slot
	const [node] = await prisma.$queryRaw<Array<{ until: Date }>>`select rate_deferred_until as until from nodes where id = ${M}::int`
	const until = node!.until.getTime()
	for (let i = 0; i < jobs.length; i++) {
		const slot = until - (jobs.length - 1 - i) * 200
		// due RUN_LEAD_MS before its slot, or now if that is past — never later than both
		expect(jobs[i]!).toBeLessThanOrEqual(Math.max(slot - RUN_LEAD_MS, after.getTime()) + 0.5)
		expect(jobs[i]!).toBeGreaterThanOrEqual(slot - RUN_LEAD_MS - 0.5)
	}
	expect(until - jobs[11]!).toBeCloseTo(RUN_LEAD_MS, 0)
	// Jobs whose due time was not pulled up to "now" (the first ones, on a slow machine more of
	// them: clock_timestamp() moves during the statement) are exactly one interval apart.
	const due = (i: number) => until - (jobs.length - 1 - i) * 200 - RUN_LEAD_MS
	const onTime = (i: number) => Math.abs(jobs[i]! - due(i)) <= 0.5
	expect(onTime(jobs.length - 1)).toBe(true)
	for (let i = 1; i < jobs.length; i++) if (onTime(i) && onTime(i - 1)) expect(jobs[i]! - jobs[i - 1]!).toBeCloseTo(200, 0)
	// and they are marked as having waited their turn
	const payloads = await prisma.$queryRaw<Array<{ p: { returning?: boolean } }>>`select payload as p from graphile_worker._private_jobs where key = any(${ids.map((id) => `customer:${id}`)}::text[])`
	expect(payloads.every((r) => r.p.returning === true)).toBe(true)
})

describe('one limit shared by every process (decision 010)', () => {
	/** A second process's database client: its own pool, its own connections. */
	const otherProcess = () => new PrismaClient({ adapter: createPgAdapter(appEnv().DATABASE_URL, { max: 4 }) })

	test('two clients on separate connections taking slots at once get one slot per 1000/N ms between them', async () => {
		const other = otherProcess()
		try {
			const perSec = 3
			// 2 × 15 reservations interleaved; nothing sleeps: the slots handed out are what is checked
			const take = (db?: PrismaClient) => reserveSlot(M, perSec, { consume: true, maxWaitMs: 3_600_000, db })
			const slots = await Promise.all(Array.from({ length: 30 }, (_, i) => take(i % 2 ? other : undefined)))
			const at = slots.map((s) => (s.admitted ? s.at : Number.NaN)).sort((a, b) => a - b)
			expect(at.every(Number.isFinite)).toBe(true)
			const gaps = at.slice(1).map((t, i) => t - at[i]!)
			// every slot is one interval after the previous (to the microsecond the column keeps)
			for (const g of gaps) expect(g).toBeGreaterThan(1000 / perSec - 0.01)
			expect(maxInWindow(at)).toBeLessThanOrEqual(perSec)
			// and they are consecutive: 30 slots span 29 intervals, none skipped
			expect(at[29]! - at[0]!).toBeLessThan((29 * 1000) / perSec + 1)
		} finally {
			await other.$disconnect()
		}
	})

	test('deferred callers of both processes get distinct later slots and take no real ones', async () => {
		const other = otherProcess()
		try {
			const first = await reserveSlot(M, 2, { consume: true, maxWaitMs: 0 }) // the node is busy for 500 ms
			if (!first.admitted) throw new Error('the first caller of an idle node is admitted')
			const deferred = await Promise.all(Array.from({ length: 10 }, (_, i) => reserveSlot(M, 2, { consume: i % 2 === 0, maxWaitMs: 0, db: i % 2 ? other : undefined })))
			expect(deferred.every((d) => !d.admitted)).toBe(true)
			const until = deferred.map((d) => (d.admitted ? Number.NaN : d.until)).sort((a, b) => a - b)
			// one virtual slot each, 500 ms apart
			for (let i = 1; i < until.length; i++) expect(until[i]! - until[i - 1]!).toBeCloseTo(500, 1)
			// the real queue did not move: a caller back from the queue gets the slot right after the first
			const next = await reserveSlot(M, 2, { consume: true, returning: true, maxWaitMs: 10_000, db: other })
			expect(next.admitted).toBe(true)
			if (next.admitted) expect(next.at - first.at).toBeCloseTo(500, 1)
		} finally {
			await other.$disconnect()
		}
	})

	test('first come, first served: a newcomer queues behind deferred callers instead of taking their real slots', async () => {
		const other = otherProcess()
		try {
			await reserveSlot(M, 2, { consume: true, maxWaitMs: 0 })
			const waiting = await reserveSlot(M, 2, { consume: false, maxWaitMs: 0, db: other })
			expect(waiting.admitted).toBe(false)
			// the real queue is only 500 ms ahead, within a 10 s wait, yet someone is waiting in line
			const newcomer = await reserveSlot(M, 2, { consume: true, maxWaitMs: 10_000 })
			expect(newcomer.admitted).toBe(false)
			if (!newcomer.admitted && !waiting.admitted) expect(newcomer.until - waiting.until).toBeCloseTo(500, 1)
			// the one who waited gets in
			expect((await reserveSlot(M, 2, { consume: true, returning: true, maxWaitMs: 10_000, db: other })).admitted).toBe(true)
		} finally {
			await other.$disconnect()
		}
	})
})
