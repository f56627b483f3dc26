// Analytics read the ledger only: every figure here is recomputed from the fixture's postings
// (what was sent to the ledger's writer), never from order or invoice totals.
import { describe, expect, test } from 'vitest'
import { analytics } from '~/services/reports/analytics.server'
import { jalaliMonth, tehranDay } from '~/services/reports/dates'
import { prisma } from '~/utils/db.server'
import { DAY, reportWorld, type Posting } from './fixtures'

const revenueOf = (p: Posting) => (p.counter ?? 'revenue') === 'revenue'
const sum = (ps: Posting[]) => ps.reduce((s, p) => s - p.amount, 0n) // the revenue leg is the wallet leg's negative

describe('analytics from the ledger', () => {
	test('totals, days, Jalali months, plans, resellers, nodes, active services and approval times', { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const q = { from: new Date(w.now.getTime() - 60 * DAY), to: new Date(w.now.getTime() + DAY), currency: 'IRR', resellerId: null, now: w.now }
		const a = await analytics(q)
		const rev = w.postings.filter(revenueOf)

		const charges = sum(rev.filter((p) => p.kind === 'charge'))
		const credits = -sum(rev.filter((p) => p.kind === 'node_credit' || p.key.endsWith(':proration_excess')))
		const refunds = -sum(rev.filter((p) => (p.kind === 'refund' || p.kind === 'reversal') && !p.key.endsWith(':proration_excess')))
		const net = sum(rev)
		expect(charges).toBe(1_001_000n + 333_333n + 250_000n + 800_000n)
		expect(a.totals).toEqual({ charges, coupons: 200_000n, gross: charges + 200_000n, refunds, credits, other: 0n, net })
		expect(a.totals.gross - a.totals.coupons - a.totals.refunds - a.totals.credits).toBe(a.totals.net)

		// per Tehran day, and the days roll up into Jalali months
		const byDay = new Map<string, bigint>()
		for (const p of rev) byDay.set(tehranDay(p.at), (byDay.get(tehranDay(p.at)) ?? 0n) - p.amount)
		for (const d of a.perDay) expect(d.net).toBe(byDay.get(d.day) ?? 0n)
		expect(a.perDay.length).toBe(62)
		const byMonth = new Map<string, bigint>()
		for (const [day, v] of byDay) byMonth.set(jalaliMonth(day), (byMonth.get(jalaliMonth(day)) ?? 0n) + v)
		expect(new Map(a.perMonth.filter((m) => m.net !== 0n).map((m) => [m.month, m.net]))).toEqual(new Map([...byMonth].filter(([, v]) => v !== 0n)))
		expect(a.perMonth.reduce((s, m) => s + m.net, 0n)).toBe(net)

		// by plan: c1's and c3's orders and the store invoice are on the plan; c2's (custom) are not
		const onPlan = rev.filter((p) => (p.refType === 'order' && [w.orders.o1.id, w.orders.o3.id].includes(Number(p.refId))) || p.refType === 'invoice')
		expect(new Map(a.byPlan.map((r) => [r.id, r.net]))).toEqual(new Map([[w.plan.id, sum(onPlan)], [null, net - sum(onPlan)]]))

		// by reseller: the wallet leg's owner; the store (user wallets) is null
		const ofReseller = (id: number) => sum(rev.filter((p) => 'resellerId' in p.wallet && p.wallet.resellerId === id))
		expect(new Map(a.byReseller.map((r) => [r.id, r.net]))).toEqual(new Map([[w.r1.reseller.id, ofReseller(w.r1.reseller.id)], [w.r2.reseller.id, ofReseller(w.r2.reseller.id)], [null, sum(rev.filter((p) => 'userId' in p.wallet))]]))

		// by node, by hand: o1's legs 700,001 : 300,999 of 1,001,000 (truncated, remainder to the lower id),
		// the failed node's reversal all on A, o2 all on A, o3 all on B, the invoice half/half, the refund order unattributed
		const A = w.nodeA.id
		const B = w.nodeB.id
		const split = (amount: bigint, shares: Array<[number, bigint]>) => {
			const total = shares.reduce((s, [, v]) => s + v, 0n)
			const parts = shares.map(([n, v]) => [n, (amount * v) / total] as [number, bigint]).sort((x, y) => x[0] - y[0])
			parts[0]![1] += amount - parts.reduce((s, [, v]) => s + v, 0n)
			return parts
		}
		const expected = new Map<number | null, bigint>()
		const add = (n: number | null, v: bigint) => expected.set(n, (expected.get(n) ?? 0n) + v)
		for (const p of rev) {
			const r = -p.amount
			if (p.key.startsWith('sub:')) add(A, r)
			else if (p.refType === 'order' && Number(p.refId) === w.orders.o1.id) for (const [n, v] of split(r, [[A, 700_001n], [B, 300_999n]])) add(n, v)
			else if (p.refType === 'order' && Number(p.refId) === w.orders.o2.id) add(A, r)
			else if (p.refType === 'order' && Number(p.refId) === w.orders.o3.id) add(B, r)
			else if (p.refType === 'invoice') for (const [n, v] of split(r, [[A, 1n], [B, 1n]])) add(n, v)
			else add(null, r)
		}
		expect(new Map(a.byNode.map((r) => [r.id, r.net]))).toEqual(expected)
		expect(a.byNode.reduce((s, r) => s + r.net, 0n)).toBe(net)

		// active paid services: c1, c3 and the store service are active and were charged; c2 is disabled
		expect(a.activePaid).toBe(3)
		// receipts: 10, 20, 30, 40, 100 minutes approved → median 30 min, p90 100 min (discrete); the rejected one is not counted
		expect(a.approval).toEqual({ count: 5, medianSec: 30 * 60, p90Sec: 100 * 60 })
	})

	test('a reseller sees his own revenue only, and the range cuts by Tehran day', { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const from = new Date(w.now.getTime() - 20 * DAY)
		const a = await analytics({ from, to: new Date(w.now.getTime() + DAY), currency: 'IRR', resellerId: w.r1.reseller.id, now: w.now })
		const mine = w.postings.filter((p) => revenueOf(p) && 'resellerId' in p.wallet && p.wallet.resellerId === w.r1.reseller.id && p.at >= from)
		expect(a.totals.net).toBe(mine.reduce((s, p) => s - p.amount, 0n))
		expect(a.byReseller.map((r) => r.id)).toEqual([w.r1.reseller.id])
		expect(a.activePaid).toBe(1) // c1 only: c3 is the other reseller's
		expect(a.totals.coupons).toBe(0n) // the store's invoice is not his
		// the ledger, not the orders: deleting nothing, changing an order's amount changes no figure
		await prisma.$executeRaw`update orders set amount = amount * 10 where reseller_id = ${w.r1.reseller.id}`
		expect((await analytics({ from, to: new Date(w.now.getTime() + DAY), currency: 'IRR', resellerId: w.r1.reseller.id, now: w.now })).totals).toEqual(a.totals)
	})
})
