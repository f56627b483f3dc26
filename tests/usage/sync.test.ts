// The usage pipeline against every panel simulator over real sockets (rule 12): deltas, the
// multiplier, resets and epochs, the daily rollup, stale detection and drift healing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { addCustomer, GiB, KINDS, onPanel, setAutomation, simOf, subOf, usageNodes, usedOf, type Kind, type Sims } from './fixtures'

let sims: Sims
let nodes: Record<Kind, number>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await usageNodes(sims)
})
afterAll(() => sims.close())

const sync = (kind: Kind) => syncNodeUsage(nodes[kind], { timeoutMs: 5000 })

describe('usage sync', () => {
	test.each(KINDS)('%s: deltas are counted once, with daily rollup, run stats and node stats', async (kind) => {
		const { customer, remoteUsername, subs } = await addCustomer([nodes[kind]])
		const sub = subs[nodes[kind]]!
		simOf(sims, kind).control.addTraffic({ [remoteUsername]: 3000 })
		const first = await sync(kind)
		expect(first).toMatchObject({ changed: 1, failures: 0 })
		expect(await usedOf(customer.id)).toBe(3000n)
		await sync(kind) // nothing moved: nothing counted again
		expect(await usedOf(customer.id)).toBe(3000n)
		simOf(sims, kind).control.addTraffic({ [remoteUsername]: 500 })
		await sync(kind)
		expect(await usedOf(customer.id)).toBe(3500n)
		expect(await subOf(sub)).toMatchObject({ usedBytes: 3500n, lastCounter: 3500n, counterEpoch: 0 })
		const daily = await prisma.usageDaily.findMany({ where: { customerId: customer.id } })
		expect(daily.map((d) => [d.nodeId, d.bytes, d.day.toISOString().slice(0, 10)])).toEqual([[nodes[kind], 3500n, new Date().toISOString().slice(0, 10)]])
		const node = await prisma.node.findUniqueOrThrow({ where: { id: nodes[kind] } })
		expect(node.lastSyncError).toBeNull()
		expect(node.lastSyncAt).not.toBeNull()
		expect(node.lastSyncAccounts).toBeGreaterThan(0)
		const runs = await prisma.taskRun.findMany({ where: { task: 'sync_node_usage', nodeId: nodes[kind] } })
		expect(runs.length).toBeGreaterThanOrEqual(3)
		expect(runs.every((r) => r.finishedAt && !r.error)).toBe(true)
	})

	test('the node multiplier applies to what is counted (×1.5)', async () => {
		await prisma.node.update({ where: { id: nodes.pasarguard }, data: { usageMultiplierPermille: 1500 } })
		try {
			const { customer, remoteUsername } = await addCustomer([nodes.pasarguard])
			sims.pasarguard.control.addTraffic({ [remoteUsername]: 2 * GiB })
			await sync('pasarguard')
			expect(await usedOf(customer.id)).toBe(3n * BigInt(GiB))
		} finally {
			await prisma.node.update({ where: { id: nodes.pasarguard }, data: { usageMultiplierPermille: 1000 } })
		}
	})

	test('a customer on two nodes sums both; each sub-account keeps its own usage', async () => {
		const { customer, remoteUsername, subs } = await addCustomer([nodes.marzban, nodes.routeros])
		sims.marzban.control.addTraffic({ [remoteUsername]: 100 })
		sims.routeros.control.addTraffic({ [remoteUsername]: 40 })
		await Promise.all([sync('marzban'), sync('routeros')])
		expect(await usedOf(customer.id)).toBe(140n)
		expect((await subOf(subs[nodes.routeros]!)).usedBytes).toBe(40n)
	})
})

describe('counter resets (rule 12): no phantom usage, never negative, a new epoch', () => {
	test('RouterOS reboot zeroes the counters (REST and binary API nodes)', async () => {
		const a = await addCustomer([nodes.routeros])
		const b = await addCustomer([nodes.routerosApi])
		sims.routeros.control.addTraffic({ [a.remoteUsername]: 10_000, [b.remoteUsername]: 7_000 })
		await Promise.all([sync('routeros'), sync('routerosApi')])
		await sims.routeros.control.reboot()
		await Promise.all([sync('routeros'), sync('routerosApi')]) // counters at 0: nothing counted, epoch 1
		expect(await usedOf(a.customer.id)).toBe(10_000n)
		expect((await subOf(a.subs[nodes.routeros]!)).counterEpoch).toBe(1)
		sims.routeros.control.addTraffic({ [a.remoteUsername]: 300, [b.remoteUsername]: 200 })
		await Promise.all([sync('routeros'), sync('routerosApi')])
		expect(await usedOf(a.customer.id)).toBe(10_300n)
		expect(await usedOf(b.customer.id)).toBe(7_200n)
		expect((await subOf(b.subs[nodes.routerosApi]!)).counterEpoch).toBe(1)
	})

	test('a reset between two reads with new traffic after it counts only the new traffic', async () => {
		const { customer, remoteUsername, subs } = await addCustomer([nodes.routeros])
		sims.routeros.control.addTraffic({ [remoteUsername]: 5_000 })
		await sync('routeros')
		await sims.routeros.control.reboot()
		sims.routeros.control.addTraffic({ [remoteUsername]: 1_200 }) // 1200 < 5000: read as a reset
		await sync('routeros')
		expect(await usedOf(customer.id)).toBe(6_200n)
		expect(await subOf(subs[nodes.routeros]!)).toMatchObject({ lastCounter: 1_200n, counterEpoch: 1 })
	})

	test('a reset in the middle of a run (after the first batch committed) is seen by the next run', async () => {
		const one = await addCustomer([nodes.routeros])
		const two = await addCustomer([nodes.routeros])
		sims.routeros.control.addTraffic({ [one.remoteUsername]: 800, [two.remoteUsername]: 900 })
		await syncNodeUsage(nodes.routeros, { batchSize: 1, afterCounters: async (n) => { if (n === 1) await sims.routeros.control.reboot() } })
		expect((await usedOf(one.customer.id)) + (await usedOf(two.customer.id))).toBe(1_700n)
		sims.routeros.control.addTraffic({ [one.remoteUsername]: 50, [two.remoteUsername]: 60 })
		await sync('routeros')
		expect(await usedOf(one.customer.id)).toBe(850n)
		expect(await usedOf(two.customer.id)).toBe(960n)
	})

	test.each(['marzban', 'pasarguard', 'marzneshin', 'wgdashboard'] as const)('%s: a usage reset on the panel starts a new epoch', async (kind) => {
		const { customer, remoteUsername, subs } = await addCustomer([nodes[kind]])
		const before = 4n * 1024n * 1024n // above the WGDashboard rounding-noise tolerance (1 MiB)
		simOf(sims, kind).control.addTraffic({ [remoteUsername]: Number(before) })
		await sync(kind)
		await onPanel(subs[nodes[kind]]!, 'resetUsage')
		await sync(kind) // the counter read 0: nothing counted, never negative
		expect(await usedOf(customer.id)).toBe(before)
		expect(await subOf(subs[nodes[kind]]!)).toMatchObject({ lastCounter: 0n, counterEpoch: 1 })
		simOf(sims, kind).control.addTraffic({ [remoteUsername]: 3_000 })
		await sync(kind)
		expect(await usedOf(customer.id)).toBe(before + 3_000n)
		expect(await subOf(subs[nodes[kind]]!)).toMatchObject({ lastCounter: 3_000n, counterEpoch: 1 })
	})

	test('WGDashboard reboot folds the kernel counter into cumu: the sum does not drop, nothing is invented', async () => {
		const { customer, remoteUsername, subs } = await addCustomer([nodes.wgdashboard])
		sims.wgdashboard.control.addTraffic({ [remoteUsername]: 9_000 })
		await sync('wgdashboard')
		await sims.wgdashboard.control.reboot()
		sims.wgdashboard.control.addTraffic({ [remoteUsername]: 1_000 })
		await sync('wgdashboard')
		expect(await usedOf(customer.id)).toBe(10_000n)
		expect((await subOf(subs[nodes.wgdashboard]!)).counterEpoch).toBe(0)
	})
})

describe('stale sources and drift', () => {
	test('a node whose counters did not move for staleAfterMin is flagged; movement clears it', async () => {
		await setAutomation({ staleAfterMin: 5 })
		const { remoteUsername } = await addCustomer([nodes.marzneshin])
		await sync('marzneshin')
		expect((await prisma.node.findUniqueOrThrow({ where: { id: nodes.marzneshin } })).usageStale).toBe(false)
		await prisma.$executeRaw`update sub_accounts set last_change_at = now() - interval '10 minutes', created_at = now() - interval '10 minutes' where node_id = ${nodes.marzneshin}`
		await sync('marzneshin')
		expect((await prisma.node.findUniqueOrThrow({ where: { id: nodes.marzneshin } })).usageStale).toBe(true)
		sims.marzneshin.control.addTraffic({ [remoteUsername]: 10 })
		await sync('marzneshin')
		expect((await prisma.node.findUniqueOrThrow({ where: { id: nodes.marzneshin } })).usageStale).toBe(false)
	})

	const jobKeys = async () => (await prisma.$queryRaw<Array<{ key: string }>>`select key from graphile_worker.jobs where key like 'customer:%'`).map((j) => j.key)

	test('a panel that shows enabled while we want disabled (and the reverse) gets a reconcile job', async () => {
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		const wantOff = await addCustomer([nodes.marzban])
		const wantOn = await addCustomer([nodes.marzban])
		const fine = await addCustomer([nodes.marzban])
		await prisma.customer.update({ where: { id: wantOff.customer.id }, data: { status: 'disabled', disabledReason: 'manual' } })
		await onPanel(wantOn.subs[nodes.marzban]!, 'disable')
		const r = await sync('marzban')
		expect(r!.reconciles).toBe(2)
		const keys = await jobKeys()
		expect(keys).toEqual(expect.arrayContaining([`customer:${wantOff.customer.id}`, `customer:${wantOn.customer.id}`]))
		expect(keys).not.toContain(`customer:${fine.customer.id}`)
		// already queued: not enqueued again (a queued job may carry an orderId to settle)
		expect((await sync('marzban'))!.reconciles).toBe(0)
	})
})
