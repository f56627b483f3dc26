// Traffic-pool resellers are charged exactly once per delta (rule 10), and implausible jumps are
// held for review: approve counts once (pool included), reject counts nothing (rule 12).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { approveHold, rejectHold } from '~/services/usage/holds.server'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { assertLedgerConsistent, createReseller } from '../billing/fixtures'
import { createUser } from '../factories'
import { addCustomer, GiB, setAutomation, subOf, usageNodes, usedOf, type Kind, type Sims } from './fixtures'

let sims: Sims
let nodes: Record<Kind, number>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await usageNodes(sims)
})
afterAll(() => sims.close())

const sync = (kind: Kind) => syncNodeUsage(nodes[kind], { timeoutMs: 5000 })
const poolEntries = (resellerId: number) => prisma.ledgerEntry.findMany({ where: { resellerId, kind: 'pool_usage' }, orderBy: { id: 'asc' } })

describe('traffic pool', () => {
	test('usage on several nodes is charged to the pool once per delta; ledger Σ = pool balance', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.marzban, nodes.wgdashboard], fundingModel: 'pool', poolBytes: 10n * BigInt(GiB) })
		const a = await addCustomer([nodes.marzban, nodes.wgdashboard], { resellerId: reseller.id })
		const b = await addCustomer([nodes.marzban], { resellerId: reseller.id })
		sims.marzban.control.addTraffic({ [a.remoteUsername]: 1_000, [b.remoteUsername]: 2_000 })
		sims.wgdashboard.control.addTraffic({ [a.remoteUsername]: 400 })
		await Promise.all([sync('marzban'), sync('wgdashboard')])
		await Promise.all([sync('marzban'), sync('wgdashboard')]) // nothing new: no new entries
		sims.marzban.control.addTraffic({ [a.remoteUsername]: 5 })
		await sync('marzban')
		const entries = await poolEntries(reseller.id)
		// one entry per reseller per batch with usage: marzban run 1, wgdashboard run 1, marzban run 3
		expect(entries.map((e) => e.amount).sort()).toEqual([-3_000n, -400n, -5n].sort())
		expect(entries.every((e) => e.refType === 'usage' && e.account === 'traffic')).toBe(true)
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(10n * BigInt(GiB) - 3_405n)
		expect(s.trafficSum).toBe(s.poolBytes)
		expect((await usedOf(a.customer.id)) + (await usedOf(b.customer.id))).toBe(3_405n)
	})

	test('usage past an empty pool is still charged in full (allowOverdraft) and stays consistent', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.routeros], fundingModel: 'pool', poolBytes: 1_000n })
		const c = await addCustomer([nodes.routeros], { resellerId: reseller.id })
		sims.routeros.control.addTraffic({ [c.remoteUsername]: 5_000 })
		await sync('routeros')
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(-4_000n)
		expect(s.trafficSum).toBe(-4_000n)
	})

	test('wallet resellers and store customers are not charged for usage', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.marzneshin], funds: 1_000n })
		const w = await addCustomer([nodes.marzneshin], { resellerId: reseller.id })
		const store = await addCustomer([nodes.marzneshin])
		sims.marzneshin.control.addTraffic({ [w.remoteUsername]: 70, [store.remoteUsername]: 30 })
		await sync('marzneshin')
		expect(await usedOf(w.customer.id)).toBe(70n)
		expect(await usedOf(store.customer.id)).toBe(30n)
		expect(await poolEntries(reseller.id)).toHaveLength(0)
	})
})

describe('enforcement right after the batch', () => {
	test('a customer crossing his limit is limited by the same sync, with a reconcile job queued', async () => {
		const over = await addCustomer([nodes.marzneshin], { dataLimitBytes: 1_000n })
		const under = await addCustomer([nodes.marzneshin], { dataLimitBytes: 1_000_000n })
		sims.marzneshin.control.addTraffic({ [over.remoteUsername]: 1_500, [under.remoteUsername]: 1_500 })
		await sync('marzneshin')
		expect(await prisma.customer.findUniqueOrThrow({ where: { id: over.customer.id } })).toMatchObject({ status: 'limited', disabledReason: 'quota' })
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: under.customer.id } })).status).toBe('active')
		const jobs = await prisma.$queryRaw<Array<{ key: string }>>`select key from graphile_worker.jobs where key = ${`customer:${over.customer.id}`}`
		expect(jobs).toHaveLength(1)
	})

	test('usage that empties a pool disables all of that reseller’s customers, not only the ones in the batch', async () => {
		const { reseller } = await createReseller({ nodeIds: [nodes.routeros, nodes.marzban], fundingModel: 'pool', poolBytes: 1_000n })
		const heavy = await addCustomer([nodes.routeros], { resellerId: reseller.id })
		const idle = await addCustomer([nodes.marzban], { resellerId: reseller.id })
		sims.routeros.control.addTraffic({ [heavy.remoteUsername]: 2_000 })
		await sync('routeros')
		for (const c of [heavy, idle]) expect(await prisma.customer.findUniqueOrThrow({ where: { id: c.customer.id } })).toMatchObject({ status: 'disabled', disabledReason: 'pool' })
	})
})

describe('held jumps', () => {
	test('a jump above jumpHoldGb is held, not counted, and not detected again', async () => {
		await setAutomation({ jumpHoldGb: 1 })
		try {
			const { reseller } = await createReseller({ nodeIds: [nodes.pasarguard], fundingModel: 'pool', poolBytes: 100n * BigInt(GiB) })
			const c = await addCustomer([nodes.pasarguard], { resellerId: reseller.id })
			const sub = c.subs[nodes.pasarguard]!
			sims.pasarguard.control.addTraffic({ [c.remoteUsername]: 3 * GiB })
			const r = await sync('pasarguard')
			expect(r!.held).toBe(1)
			expect(await usedOf(c.customer.id)).toBe(0n)
			expect(await subOf(sub)).toMatchObject({ lastCounter: 3n * BigInt(GiB), usedBytes: 0n })
			const holds = await prisma.usageHold.findMany({ where: { subAccountId: sub } })
			expect(holds.map((h) => [h.status, h.counterBefore, h.counterAfter, h.delta])).toEqual([['pending', 0n, 3n * BigInt(GiB), 3n * BigInt(GiB)]])
			await sync('pasarguard')
			expect(await prisma.usageHold.count({ where: { subAccountId: sub } })).toBe(1)
			// traffic after the jump is counted normally
			sims.pasarguard.control.addTraffic({ [c.remoteUsername]: 100 })
			await sync('pasarguard')
			expect(await usedOf(c.customer.id)).toBe(100n)

			// approve: counted once, with the pool charge; a second decision changes nothing
			const admin = await createUser('admin')
			const d = await approveHold(holds[0]!.id, admin.id)
			expect(d).toMatchObject({ status: 'approved', counted: 3n * BigInt(GiB) })
			await expect(approveHold(holds[0]!.id, admin.id)).rejects.toMatchObject({ code: 'hold_decided' })
			await expect(rejectHold(holds[0]!.id, admin.id)).rejects.toMatchObject({ code: 'hold_decided' })
			expect(await usedOf(c.customer.id)).toBe(3n * BigInt(GiB) + 100n)
			expect((await subOf(sub)).usedBytes).toBe(3n * BigInt(GiB) + 100n)
			const daily = await prisma.usageDaily.aggregate({ where: { customerId: c.customer.id }, _sum: { bytes: true } })
			expect(daily._sum.bytes).toBe(3n * BigInt(GiB) + 100n)
			expect((await poolEntries(reseller.id)).filter((e) => e.refId === `hold:${holds[0]!.id}`).map((e) => e.amount)).toEqual([-3n * BigInt(GiB)])
			const s = await assertLedgerConsistent(reseller.id)
			expect(s.trafficSum).toBe(s.poolBytes)
			expect(s.poolBytes).toBe(100n * BigInt(GiB) - 3n * BigInt(GiB) - 100n)
			const hold = await prisma.usageHold.findUniqueOrThrow({ where: { id: holds[0]!.id } })
			expect(hold).toMatchObject({ status: 'approved', decidedBy: admin.id })
		} finally {
			await setAutomation({ jumpHoldGb: 500 })
		}
	})

	test('reject counts nothing; approve applies the node multiplier; unknown holds are not found', async () => {
		await setAutomation({ jumpHoldGb: 1 })
		await prisma.node.update({ where: { id: nodes.marzban }, data: { usageMultiplierPermille: 500 } })
		try {
			const x = await addCustomer([nodes.marzban])
			const y = await addCustomer([nodes.marzban])
			sims.marzban.control.addTraffic({ [x.remoteUsername]: 2 * GiB, [y.remoteUsername]: 4 * GiB })
			await syncNodeUsage(nodes.marzban)
			const hx = await prisma.usageHold.findFirstOrThrow({ where: { customerId: x.customer.id } })
			const hy = await prisma.usageHold.findFirstOrThrow({ where: { customerId: y.customer.id } })
			const admin = await createUser('admin')
			expect(await rejectHold(hx.id, admin.id)).toMatchObject({ status: 'rejected', counted: 0n })
			expect(await usedOf(x.customer.id)).toBe(0n)
			expect(await approveHold(hy.id, admin.id)).toMatchObject({ counted: 2n * BigInt(GiB) })
			expect(await usedOf(y.customer.id)).toBe(2n * BigInt(GiB))
			await expect(approveHold(999_999, admin.id)).rejects.toMatchObject({ code: 'not_found' })
			expect(await prisma.auditEvent.count({ where: { entityType: 'usage_hold', actorId: admin.id } })).toBe(2)
		} finally {
			await prisma.node.update({ where: { id: nodes.marzban }, data: { usageMultiplierPermille: 1000 } })
			await setAutomation({ jumpHoldGb: 500 })
		}
	})

	test('two admins approving the same hold at once count it once', async () => {
		await setAutomation({ jumpHoldGb: 1 })
		try {
			const { reseller } = await createReseller({ nodeIds: [nodes.routeros], fundingModel: 'pool', poolBytes: 10n * BigInt(GiB) })
			const c = await addCustomer([nodes.routeros], { resellerId: reseller.id })
			sims.routeros.control.addTraffic({ [c.remoteUsername]: 2 * GiB })
			await sync('routeros')
			const h = await prisma.usageHold.findFirstOrThrow({ where: { customerId: c.customer.id } })
			const admin = await createUser('admin')
			const results = await Promise.allSettled([approveHold(h.id, admin.id), approveHold(h.id, admin.id), rejectHold(h.id, admin.id)])
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
			const counted = (await usedOf(c.customer.id))
			expect([0n, 2n * BigInt(GiB)]).toContain(counted)
			const s = await assertLedgerConsistent(reseller.id)
			expect(s.poolBytes).toBe(10n * BigInt(GiB) - counted)
			expect(s.trafficSum).toBe(s.poolBytes)
		} finally {
			await setAutomation({ jumpHoldGb: 500 })
		}
	})
})
