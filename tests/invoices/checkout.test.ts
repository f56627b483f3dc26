// Checkout → invoice → payment → activation through real Postgres: wallet payment exactly once
// under a double submit, activation exactly once (one order, one job), zero-price and trial
// plans at once with a 0 invoice, exclusive categories, renew from the later of now and expiry,
// upgrade with its proration line and the excess to the wallet, a failed node back to the wallet.
import { describe, expect, test } from 'vitest'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { creditFailedStoreNode } from '~/services/invoices/failed-node.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { onInvoicePaid } from '~/services/invoices/settle.server'
import { prisma } from '~/utils/db.server'
import { endUser, formKey, GB, jobsFor, storeNode, storePlan, walletOf } from './fixtures'

const NOW = new Date('2026-06-10T08:30:00Z')
const DAY = 86_400_000

async function buy(userId: number, planId: number, now = NOW, extra: { mode?: 'new' | 'renew' | 'change' | 'add_traffic'; customerId?: number; gb?: number } = {}) {
	const id = await createDraft({ userId, planId, mode: extra.mode ?? 'new', customerId: extra.customerId, gb: extra.gb, formKey: formKey() }, now)
	const issued = await issueInvoice(userId, id, now)
	if (issued.status === 'open') await payWithWallet(userId, id, now)
	return prisma.invoice.findUniqueOrThrow({ where: { id }, include: { lines: { orderBy: { position: 'asc' } } } })
}

describe('wallet payment and activation', () => {
	test('a double submit of "pay from wallet" charges once and activates once', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 700_000n })
		const u = await endUser(1_000_000n)
		const id = await createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)
		await issueInvoice(u.id, id, NOW)
		const results = await Promise.all(Array.from({ length: 5 }, () => payWithWallet(u.id, id, NOW)))
		expect(results.filter((r) => r.charged).length).toBe(1)
		expect(await walletOf(u.id)).toBe(300_000n)
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id } })
		expect([inv.status, inv.paymentStatus]).toEqual(['paid', 'paid'])
		const customers = await prisma.customer.findMany({ where: { userId: u.id } })
		expect(customers.length).toBe(1)
		expect(customers[0]).toMatchObject({ resellerId: null, planId: plan.id, dataLimitBytes: 50n * GB })
		expect(customers[0]!.expireAt.getTime()).toBe(NOW.getTime() + 30 * DAY)
		expect(await prisma.order.count({ where: { customerId: customers[0]!.id } })).toBe(1)
		expect(await jobsFor(customers[0]!.id)).toBe(1)
		const subs = await prisma.subAccount.findMany({ where: { customerId: customers[0]!.id } })
		expect(subs.map((s) => [s.nodeId, s.state, s.chargedAmount])).toEqual([[node.id, 'pending', 700_000n]])
		// the ledger: one charge, wallet → revenue
		const legs = await prisma.ledgerEntry.findMany({ where: { transaction: { refType: 'invoice', refId: String(id) } } })
		expect(legs.map((l) => [l.accountCode, l.amount]).sort()).toEqual([['revenue', 700_000n], [`wallet:user:${u.id}`, -700_000n]].sort())
	})

	test('a second settlement (a receipt approved after a wallet payment) activates nothing again', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 100_000n })
		const u = await endUser(100_000n)
		const inv = await buy(u.id, plan.id)
		const again = await prisma.$transaction((tx) => onInvoicePaid(tx, inv.id, null, NOW))
		expect(again.activated).toBe(false)
		expect(await prisma.order.count({ where: { customerId: inv.customerId! } })).toBe(1)
	})

	test('not enough in the wallet: refused, nothing paid, nothing activated', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 700_000n })
		const u = await endUser(699_999n)
		const id = await createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)
		await issueInvoice(u.id, id, NOW)
		await expect(payWithWallet(u.id, id, NOW)).rejects.toMatchObject({ code: 'insufficient_funds' })
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).status).toBe('open')
		expect(await prisma.customer.count({ where: { userId: u.id } })).toBe(0)
		expect(await walletOf(u.id)).toBe(699_999n)
	})

	test("another user's invoice is not found", async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id])
		const [a, b] = [await endUser(), await endUser(5_000_000n)]
		const id = await createDraft({ userId: a.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)
		await expect(issueInvoice(b.id, id, NOW)).rejects.toMatchObject({ code: 'not_found' })
		await issueInvoice(a.id, id, NOW)
		await expect(payWithWallet(b.id, id, NOW)).rejects.toMatchObject({ code: 'not_found' })
	})

	test('a double submit of the checkout form makes one draft', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id])
		const u = await endUser()
		const key = formKey()
		const ids = await Promise.all(Array.from({ length: 4 }, () => createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: key }, NOW)))
		expect(new Set(ids.map(String)).size).toBe(1)
	})
})

describe('zero price, trials, exclusive categories', () => {
	test('a zero-price plan activates at issue with a 0-total paid invoice', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 0n })
		const u = await endUser()
		const inv = await buy(u.id, plan.id)
		expect([inv.status, inv.total, inv.number?.startsWith('GH-1405-')]).toEqual(['paid', 0n, true])
		expect(await prisma.customer.count({ where: { userId: u.id } })).toBe(1)
	})

	test('a trial is taken once per user and plan', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 0n, trial: true, days: 1, gb: 1n })
		const u = await endUser()
		await buy(u.id, plan.id)
		await expect(buy(u.id, plan.id)).rejects.toMatchObject({ code: 'trial_used' })
		expect(await prisma.customer.count({ where: { userId: u.id } })).toBe(1)
	})

	test('buying again in an exclusive category renews the service there, never a second one', async () => {
		const node = await storeNode()
		const cat = await prisma.planCategory.create({ data: { name: 'One only', exclusive: true, updatedAt: new Date() } })
		const plan = await storePlan([node.id], { price: 100_000n, categoryId: cat.id })
		const u = await endUser(1_000_000n)
		const first = await buy(u.id, plan.id)
		const second = await buy(u.id, plan.id)
		expect(second.kind).toBe('renew')
		expect(second.customerId).toBe(first.customerId)
		expect(await prisma.customer.count({ where: { userId: u.id } })).toBe(1)
	})
})

describe('renew and upgrade', () => {
	test('renew extends from the later of now and expiry and adds the volume; a reset plan resets it', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 100_000n, gb: 10n })
		const u = await endUser(1_000_000n)
		const first = await buy(u.id, plan.id)
		const cid = first.customerId!
		await prisma.customer.update({ where: { id: cid }, data: { usedBytes: 4n * GB } })
		// renewed 10 days in: from the expiry (20 days ahead), not from now
		await buy(u.id, plan.id, new Date(NOW.getTime() + 10 * DAY), { mode: 'renew', customerId: cid })
		let c = await prisma.customer.findUniqueOrThrow({ where: { id: cid } })
		expect(c.expireAt.getTime()).toBe(NOW.getTime() + 60 * DAY)
		expect(c.dataLimitBytes).toBe(20n * GB)
		// renewed after expiry: from now
		const late = new Date(NOW.getTime() + 90 * DAY)
		await buy(u.id, plan.id, late, { mode: 'renew', customerId: cid })
		c = await prisma.customer.findUniqueOrThrow({ where: { id: cid } })
		expect(c.expireAt.getTime()).toBe(late.getTime() + 30 * DAY)
		const reset = await storePlan([node.id], { price: 100_000n, gb: 10n, resetOnRenew: true })
		const r = await buy(u.id, reset.id)
		await prisma.customer.update({ where: { id: r.customerId! }, data: { usedBytes: 7n * GB } })
		await buy(u.id, reset.id, NOW, { mode: 'renew', customerId: r.customerId! })
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: r.customerId! } })).dataLimitBytes).toBe(17n * GB) // 10 GB from now on
	})

	test('upgrade: a negative proration line from net paid (after the coupon) × the smaller ratio', async () => {
		const node = await storeNode()
		const small = await storePlan([node.id], { price: 1_000_000n, gb: 50n, days: 30 })
		const big = await storePlan([node.id], { price: 3_000_000n, gb: 200n, days: 30 })
		const u = await endUser(10_000_000n)
		const c = await prisma.coupon.create({ data: { code: 'HALF', kind: 'percent', value: 5000n } })
		const id = await createDraft({ userId: u.id, planId: small.id, mode: 'new', formKey: formKey(), couponCode: c.code }, NOW)
		await issueInvoice(u.id, id, NOW)
		await payWithWallet(u.id, id, NOW) // paid 500,000 net
		const cid = (await prisma.invoice.findUniqueOrThrow({ where: { id } })).customerId!
		await prisma.customer.update({ where: { id: cid }, data: { usedBytes: 10n * GB } })
		// 10 days in: time left 2/3, traffic left 4/5 → 2/3 of 500,000 = 333,333; the line is whole
		// Toman (−333,330, so the total stays payable at a gateway told in Toman), the 3 Rial go to the wallet
		const up = await buy(u.id, big.id, new Date(NOW.getTime() + 10 * DAY), { mode: 'change', customerId: cid })
		expect(up.kind).toBe('upgrade')
		expect(up.lines.map((l) => [l.kind, l.amount])).toEqual([['plan', 3_000_000n], ['proration', -333_330n]])
		expect([up.total, up.walletCredit]).toEqual([2_666_670n, 3n])
		expect(await walletOf(u.id)).toBe(10_000_000n - 500_000n - 2_666_670n + 3n)
		const svc = await prisma.customer.findUniqueOrThrow({ where: { id: cid } })
		expect(svc.planId).toBe(big.id)
		expect(svc.dataLimitBytes).toBe(210n * GB) // 200 GB from now on
		expect(svc.expireAt.getTime()).toBe(NOW.getTime() + 40 * DAY)
		// the old invoice's value is used up: a second upgrade prorates only the new one
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).consumedById).toBe(up.id)
	})

	test('upgrade credit above the new price: the invoice is 0 and the excess goes to the wallet', async () => {
		const node = await storeNode()
		const dear = await storePlan([node.id], { price: 2_000_000n, gb: 100n })
		const cheapButNewer = await storePlan([node.id], { price: 2_000_000n, gb: 120n })
		const u = await endUser(2_000_000n)
		const first = await buy(u.id, dear.id)
		expect(await walletOf(u.id)).toBe(0n)
		// same price, a second later: credit ≈ 2,000,000 × (30 d − 1 s)/30 d = 1,999,999 ≤ 2,000,000 → no excess
		// so make the new plan cheaper than the credit but not a downgrade: equal price and a coupon
		const c = await prisma.coupon.create({ data: { code: 'BIG', kind: 'fixed', value: 500_000n } })
		const later = new Date(NOW.getTime() + 1000)
		const id = await createDraft({ userId: u.id, planId: cheapButNewer.id, mode: 'change', customerId: first.customerId!, formKey: formKey(), couponCode: c.code }, later)
		const issued = await issueInvoice(u.id, id, later)
		expect(issued.status).toBe('paid')
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id } })
		// credit 1,999,999; due after coupon 1,500,000 → line −1,500,000, excess 499,999 to the wallet
		expect([inv.total, inv.credit, inv.walletCredit]).toEqual([0n, 1_500_000n, 499_999n])
		expect(await walletOf(u.id)).toBe(499_999n)
	})

	test('a failed node credits its share back to the wallet once, never more than the invoice charged', async () => {
		const [n1, n2] = [await storeNode('A'), await storeNode('B')]
		const plan = await storePlan([n1.id, n2.id], { price: 1_000_001n })
		const u = await endUser(1_000_001n)
		const inv = await buy(u.id, plan.id)
		const subs = await prisma.subAccount.findMany({ where: { customerId: inv.customerId! }, orderBy: { nodeId: 'asc' } })
		expect(subs.map((s) => s.chargedAmount)).toEqual([500_001n, 500_000n])
		const credited = await prisma.$transaction((tx) => creditFailedStoreNode(tx, subs[0]!, 'rejected'))
		expect(credited).toBe(500_001n)
		expect(await walletOf(u.id)).toBe(500_001n)
		await expect(prisma.$transaction((tx) => creditFailedStoreNode(tx, subs[0]!, 'rejected'))).rejects.toThrow()
		expect(await walletOf(u.id)).toBe(500_001n)
	})
})
