// Faults (MISSION §8): a node that times out, a worker killed mid-batch, two workers at once —
// nothing lost, nothing charged twice, one node's trouble never stops the others.
import { run, runOnce } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { enqueue } from '~/services/jobs.server'
import { enqueueNodeSyncs, syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { startAllSims } from '../../sim/start-all'
import { quietLogger } from '../../worker/schema'
import { taskList } from '../../worker/tasks/index'
import { assertLedgerConsistent, createReseller } from '../billing/fixtures'
import { addCustomer, KINDS, setAutomation, simOf, usageNodes, usedOf, type Kind, type Sims } from './fixtures'

let sims: Sims
let nodes: Record<Kind, number>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await usageNodes(sims)
})
afterAll(() => sims.close())

const clearJobs = () => prisma.$executeRaw`delete from graphile_worker._private_jobs`
const worker = () => runOnce({ connectionString: env().DATABASE_URL, taskList, concurrency: 4 })
const nodeRow = (kind: Kind) => prisma.node.findUniqueOrThrow({ where: { id: nodes[kind] } })

describe('a node that is down', () => {
	test('times out: its error is recorded and rethrown; every other node syncs', async () => {
		const customers = await Promise.all(KINDS.map(async (k) => [k, await addCustomer([nodes[k]])] as const))
		for (const [k, c] of customers) simOf(sims, k).control.addTraffic({ [c.remoteUsername]: 1_000 })
		sims.marzban.control.failNext(20, 'timeout', { pathPrefix: '/api/users' })
		const results = await Promise.allSettled(KINDS.map((k) => syncNodeUsage(nodes[k], { timeoutMs: 400 })))
		sims.marzban.control.clearFaults()
		expect(results.map((r) => r.status)).toEqual(KINDS.map((k) => (k === 'marzban' ? 'rejected' : 'fulfilled')))
		expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'timeout' })
		expect((await nodeRow('marzban')).lastSyncError).toMatch(/time/)
		const run = await prisma.taskRun.findFirstOrThrow({ where: { nodeId: nodes.marzban }, orderBy: { id: 'desc' } })
		expect(run.error).toMatch(/time/)
		for (const [k, c] of customers) {
			expect(await usedOf(c.customer.id)).toBe(k === 'marzban' ? 0n : 1_000n)
			if (k !== 'marzban') expect((await nodeRow(k)).lastSyncError).toBeNull()
		}
		// back up: the next run counts what the failed one missed, and clears the error
		await syncNodeUsage(nodes.marzban)
		expect(await usedOf(customers[0]![1].customer.id)).toBe(1_000n)
		expect((await nodeRow('marzban')).lastSyncError).toBeNull()
	})

	test('through the worker: the failing node’s job fails on its own queue, the others complete', async () => {
		await clearJobs()
		const c = await addCustomer([nodes.pasarguard])
		sims.pasarguard.control.addTraffic({ [c.remoteUsername]: 77 })
		sims.marzneshin.control.failNext(100, 'http500')
		try {
			await taskList.sync_all_nodes!({ _cron: { ts: new Date().toISOString(), backfilled: false } }, {} as never)
			const jobs = await prisma.$queryRaw<Array<{ queue_name: string; key: string }>>`select queue_name, key from graphile_worker.jobs where task_identifier = 'sync_node_usage' order by id`
			expect(jobs).toEqual(KINDS.map((k) => ({ queue_name: `node:${nodes[k]}`, key: `sync:${nodes[k]}` })))
			await worker()
		} finally {
			sims.marzneshin.control.clearFaults()
		}
		expect(await usedOf(c.customer.id)).toBe(77n)
		expect((await nodeRow('marzneshin')).lastSyncError).toMatch(/server|500/i)
		const left = await prisma.$queryRaw<Array<{ key: string; last_error: string | null }>>`select key, last_error from graphile_worker.jobs`
		expect(left.map((j) => j.key)).toEqual([`sync:${nodes.marzneshin}`]) // waiting for its retry
	})

	test('the fan-out never piles up: one pending job per node however often cron fires; deleted nodes are skipped', async () => {
		await clearJobs()
		await enqueueNodeSyncs()
		await enqueueNodeSyncs()
		expect(await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs`).toEqual([{ n: BigInt(KINDS.length) }])
		await prisma.node.update({ where: { id: nodes.routerosApi }, data: { deletedAt: new Date() } })
		try {
			await clearJobs()
			expect(await enqueueNodeSyncs()).toBe(KINDS.length - 1)
			expect(await syncNodeUsage(nodes.routerosApi)).toBeNull() // a job queued before the delete does nothing
		} finally {
			await prisma.node.update({ where: { id: nodes.routerosApi }, data: { deletedAt: null } })
			await clearJobs()
		}
	})
	test('an interval under a minute chains each node’s next run; the chain is the retry of a failed run', async () => {
		await clearJobs()
		const task = (nodeId: number) => taskList.sync_node_usage!({ nodeId }, {} as never)
		await setAutomation({ syncIntervalSec: 15 })
		try {
			await task(nodes.pasarguard)
			sims.marzneshin.control.failNext(100, 'http500')
			await task(nodes.marzneshin) // fails, but does not throw: the next run is already queued
			const jobs = await prisma.$queryRaw<Array<{ key: string; queue_name: string; secs: number }>>`
				select key, queue_name, extract(epoch from run_at - now())::int as secs from graphile_worker.jobs order by id`
			expect(jobs.map((j) => [j.key, j.queue_name])).toEqual([[`sync:${nodes.pasarguard}`, `node:${nodes.pasarguard}`], [`sync:${nodes.marzneshin}`, `node:${nodes.marzneshin}`]])
			for (const j of jobs) expect(j.secs).toBeGreaterThanOrEqual(13)
			// cron firing meanwhile keeps the chained time instead of running at once
			await enqueueNodeSyncs()
			const pg = await prisma.$queryRaw<Array<{ secs: number }>>`select extract(epoch from run_at - now())::int as secs from graphile_worker.jobs where key = ${`sync:${nodes.pasarguard}`}`
			expect(pg[0]!.secs).toBeGreaterThanOrEqual(13)
			await setAutomation({ syncIntervalSec: 60 })
			await expect(task(nodes.marzneshin)).rejects.toMatchObject({ code: 'server_error' }) // cron-driven: rethrown for the retry
		} finally {
			sims.marzneshin.control.clearFaults()
			await setAutomation({ syncIntervalSec: 60 })
			await clearJobs()
		}
	})
})

describe('a worker killed mid-batch', () => {
	test('the batch that dies commits nothing; the rerun counts every delta once and charges once', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.marzban], fundingModel: 'pool', poolBytes: 1_000_000n })
		const cs = []
		for (let i = 0; i < 5; i++) cs.push(await addCustomer([nodes.marzban], { resellerId: reseller.id }))
		sims.marzban.control.addTraffic(Object.fromEntries(cs.map((c, i) => [c.remoteUsername, 100 * (i + 1)])))
		const kill = async (n: number) => {
			if (n === 2) throw new Error('worker killed')
		}
		await expect(syncNodeUsage(nodes.marzban, { batchSize: 2, afterCounters: kill })).rejects.toThrow('worker killed')
		const after1 = await Promise.all(cs.map((c) => usedOf(c.customer.id)))
		expect(after1.filter((u) => u > 0n)).toHaveLength(2) // batch 1 committed, batch 2 rolled back, batch 3 never ran
		expect(await assertLedgerConsistent(reseller.id)).toMatchObject({ poolBytes: 1_000_000n - (after1[0]! + after1[1]!) })
		// more traffic while the worker was dead, then the job is retried
		sims.marzban.control.addTraffic(Object.fromEntries(cs.map((c) => [c.remoteUsername, 10])))
		await syncNodeUsage(nodes.marzban, { batchSize: 2 })
		expect(await Promise.all(cs.map((c) => usedOf(c.customer.id)))).toEqual([110n, 210n, 310n, 410n, 510n])
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(1_000_000n - 1_550n)
		expect(s.trafficSum).toBe(s.poolBytes)
		const usage = await prisma.ledgerEntry.aggregate({ where: { resellerId: reseller.id, kind: 'pool_usage' }, _sum: { amount: true } })
		expect(usage._sum.amount).toBe(-1_550n)
		const daily = await prisma.usageDaily.aggregate({ where: { customerId: { in: cs.map((c) => c.customer.id) } }, _sum: { bytes: true } })
		expect(daily._sum.bytes).toBe(1_550n)
	})
})

describe('a purchase racing a batch (reseller → customer against customer → reseller)', () => {
	test('the batch gives way (lock timeout, rolled back, retried): the purchase commits, usage counts once', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.pasarguard], fundingModel: 'pool', poolBytes: 1_000_000n })
		const c = await addCustomer([nodes.pasarguard], { resellerId: reseller.id })
		sims.pasarguard.control.addTraffic({ [c.remoteUsername]: 2_345 })
		let resellerLocked!: () => void
		const purchaseHoldsReseller = new Promise<void>((r) => (resellerLocked = r))
		let customerLocked!: () => void
		const batchHoldsCustomer = new Promise<void>((r) => (customerLocked = r))
		// A purchase's lock order: the reseller row, then the customer it changes — and it starts
		// waiting first, so without the batch's lock timeout it would be the deadlock victim.
		const purchase = prisma.$transaction(async (tx) => {
			await tx.$queryRaw`select id from resellers where id = ${reseller.id} for update`
			resellerLocked()
			await batchHoldsCustomer
			await tx.$executeRaw`update customers set note = 'extended' where id = ${c.customer.id}`
		}, { timeout: 10_000 })
		await purchaseHoldsReseller
		const sync = syncNodeUsage(nodes.pasarguard, {
			afterCounters: async () => {
				customerLocked()
				await new Promise((r) => setTimeout(r, 200)) // the purchase is now waiting for this customer
			},
		})
		await purchase // would fail with "deadlock detected" if the batch held on
		const r = await sync
		expect(r).toMatchObject({ changed: 1, poolCharged: 2_345n })
		expect(await prisma.customer.findUniqueOrThrow({ where: { id: c.customer.id } })).toMatchObject({ note: 'extended', usedBytes: 2_345n })
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(1_000_000n - 2_345n)
		expect(s.trafficSum).toBe(s.poolBytes)
	})
})

describe('two workers at once', () => {
	test('two sync calls for one node racing outside the queue count each delta once (compare-and-set)', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.wgdashboard], fundingModel: 'pool', poolBytes: 1_000_000n })
		const cs = await Promise.all([1, 2, 3].map(() => addCustomer([nodes.wgdashboard], { resellerId: reseller.id })))
		for (let round = 0; round < 5; round++) {
			sims.wgdashboard.control.addTraffic(Object.fromEntries(cs.map((c) => [c.remoteUsername, 1_000])))
			await Promise.all([syncNodeUsage(nodes.wgdashboard, { batchSize: 1 }), syncNodeUsage(nodes.wgdashboard, { batchSize: 1 })])
		}
		expect(await Promise.all(cs.map((c) => usedOf(c.customer.id)))).toEqual([5_000n, 5_000n, 5_000n])
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(1_000_000n - 15_000n)
		expect(s.trafficSum).toBe(s.poolBytes)
	})

	test('two graphile-worker instances: jobs of one node run one after the other on its queue, counted once', async () => {
		await clearJobs()
		const { reseller } = await createReseller({ nodeIds: [nodes.routeros], fundingModel: 'pool', poolBytes: 1_000_000n })
		const c = await addCustomer([nodes.routeros], { resellerId: reseller.id })
		sims.routeros.control.addTraffic({ [c.remoteUsername]: 4_321 })
		sims.routeros.control.setLatency(150) // make each run long enough to overlap if the queue allowed it
		try {
			// Three jobs for the same node (distinct keys, so none replaces another), two workers.
			await prisma.$transaction(async (tx) => {
				for (const k of ['a', 'b', 'c']) await enqueue(tx, 'sync_node_usage', { nodeId: nodes.routeros }, { queueName: `node:${nodes.routeros}`, jobKey: `test:${k}` })
			})
			const before = await prisma.taskRun.count({ where: { nodeId: nodes.routeros } })
			// two continuously running workers, as two app containers would run them
			const runners = await Promise.all([1, 2].map(() => run({ connectionString: env().DATABASE_URL, taskList, concurrency: 4, pollInterval: 50, noHandleSignals: true, logger: quietLogger() })))
			const until = Date.now() + 20_000
			while ((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs`)[0]!.n > 0n && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
			await Promise.all(runners.map((r) => r.stop()))
			const runs = await prisma.taskRun.findMany({ where: { nodeId: nodes.routeros }, orderBy: { startedAt: 'asc' }, skip: before })
			expect(runs).toHaveLength(3)
			for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime())
		} finally {
			sims.routeros.control.setLatency(0)
		}
		expect(await usedOf(c.customer.id)).toBe(4_321n)
		expect((await assertLedgerConsistent(reseller.id)).poolBytes).toBe(1_000_000n - 4_321n)
	})
})
