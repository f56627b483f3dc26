// Coupons through real Postgres: percent / fixed, plan and category scope, minimum subtotal,
// validity window, first purchase only, per-user and total uses; reserved on the draft and
// released when the invoice is voided or replaced; concurrent checkouts never pass the total.
import { describe, expect, test } from 'vitest'
import { applyCoupon, createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { expireUnpaidInvoices, voidInvoice } from '~/services/invoices/void.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { prisma } from '~/utils/db.server'
import { endUser, formKey, storeNode, storePlan } from './fixtures'

const NOW = new Date('2026-06-10T08:30:00Z')
let n = 0
const coupon = (over: Record<string, unknown> = {}) => prisma.coupon.create({ data: { code: `C${++n}X`, kind: 'percent', value: 1000n, ...over } })
const uses = async (id: number) => (await prisma.coupon.findUniqueOrThrow({ where: { id } })).uses

async function world(price = 1_000_000n) {
	const node = await storeNode()
	const category = await prisma.planCategory.create({ data: { name: 'Cat', updatedAt: new Date() } })
	const plan = await storePlan([node.id], { price, categoryId: category.id })
	const other = await storePlan([node.id], { price })
	return { node, plan, other, category }
}
const draft = (userId: number, planId: number, couponCode?: string) => createDraft({ userId, planId, mode: 'new', formKey: formKey(), couponCode }, NOW)

describe('coupon rules', () => {
	test('percent and fixed discounts become a negative line', async () => {
		const { plan } = await world()
		const u = await endUser()
		const pct = await coupon({ value: 2500n })
		const id = await draft(u.id, plan.id, pct.code.toLowerCase())
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id }, include: { lines: { orderBy: { position: 'asc' } } } })
		expect(inv.lines.map((l) => [l.kind, l.amount])).toEqual([['plan', 1_000_000n], ['coupon', -250_000n]])
		expect(inv.total).toBe(750_000n)
		const fixed = await coupon({ kind: 'fixed', value: 100_000n })
		await applyCoupon(u.id, id, fixed.code, NOW)
		const after = await prisma.invoice.findUniqueOrThrow({ where: { id } })
		expect([after.discount, after.total, after.couponId]).toEqual([100_000n, 900_000n, fixed.id])
		// the replaced coupon's reservation was given back
		expect([await uses(pct.id), await uses(fixed.id)]).toEqual([0, 1])
	})

	test('scope: plan list and category list', async () => {
		const { plan, other, category } = await world()
		const u = await endUser()
		const byPlan = await coupon({ planIds: [plan.id] })
		const byCategory = await coupon({ categoryIds: [category.id] })
		await expect(draft(u.id, other.id, byPlan.code)).rejects.toMatchObject({ code: 'coupon_not_applicable' })
		await expect(draft(u.id, other.id, byCategory.code)).rejects.toMatchObject({ code: 'coupon_not_applicable' })
		await expect(draft(u.id, plan.id, byPlan.code)).resolves.toBeTypeOf('bigint')
		await expect(draft(u.id, plan.id, byCategory.code)).resolves.toBeTypeOf('bigint')
	})

	test('minimum subtotal, validity window, inactive and unknown codes', async () => {
		const { plan } = await world(500_000n)
		const u = await endUser()
		await expect(draft(u.id, plan.id, (await coupon({ minSubtotal: 500_001n })).code)).rejects.toMatchObject({ code: 'coupon_min_subtotal' })
		await expect(draft(u.id, plan.id, (await coupon({ minSubtotal: 500_000n })).code)).resolves.toBeTypeOf('bigint')
		await expect(draft(u.id, plan.id, (await coupon({ validFrom: new Date(NOW.getTime() + 1000) })).code)).rejects.toMatchObject({ code: 'coupon_expired' })
		await expect(draft(u.id, plan.id, (await coupon({ validTo: new Date(NOW.getTime() - 1000) })).code)).rejects.toMatchObject({ code: 'coupon_expired' })
		await expect(draft(u.id, plan.id, (await coupon({ active: false })).code)).rejects.toMatchObject({ code: 'coupon_invalid' })
		await expect(draft(u.id, plan.id, 'NO-SUCH')).rejects.toMatchObject({ code: 'coupon_invalid' })
	})

	test('first purchase only: refused once the user has a paid invoice', async () => {
		const { plan, other } = await world()
		const u = await endUser(1_000_000n)
		const first = await coupon({ firstPurchaseOnly: true })
		const id = await draft(u.id, other.id)
		await issueInvoice(u.id, id, NOW)
		// an unpaid invoice is not a purchase yet
		await expect(draft(u.id, plan.id, first.code)).resolves.toBeTypeOf('bigint')
		await payWithWallet(u.id, id, NOW)
		await expect(draft(u.id, plan.id, first.code)).rejects.toMatchObject({ code: 'coupon_first_purchase' })
	})

	test('per-user uses; a voided invoice releases its reservation', async () => {
		const { plan } = await world()
		const u = await endUser()
		const once = await coupon({ maxUsesPerUser: 1 })
		const a = await draft(u.id, plan.id, once.code)
		await expect(draft(u.id, plan.id, once.code)).rejects.toMatchObject({ code: 'coupon_user_limit' })
		expect(await uses(once.id)).toBe(1)
		await voidInvoice(a, u.id, NOW)
		expect(await uses(once.id)).toBe(0)
		await expect(draft(u.id, plan.id, once.code)).resolves.toBeTypeOf('bigint')
	})

	test('an issued invoice left unpaid past due is voided and its coupon released', async () => {
		const { plan } = await world()
		const u = await endUser()
		const c = await coupon({ maxUses: 1 })
		const id = await draft(u.id, plan.id, c.code)
		await issueInvoice(u.id, id, NOW)
		expect(await uses(c.id)).toBe(1)
		await expireUnpaidInvoices(new Date(NOW.getTime() + 47 * 3_600_000))
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).status).toBe('open')
		await expireUnpaidInvoices(new Date(NOW.getTime() + 49 * 3_600_000))
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).status).toBe('void')
		expect(await uses(c.id)).toBe(0)
	})
})

describe('coupon concurrency', () => {
	test('30 concurrent checkouts on a 5-use coupon: exactly 5 get it', async () => {
		const { plan } = await world()
		const c = await coupon({ maxUses: 5 })
		const users = await Promise.all(Array.from({ length: 30 }, () => endUser()))
		const results = await Promise.allSettled(users.map((u) => draft(u.id, plan.id, c.code)))
		const ok = results.filter((r) => r.status === 'fulfilled').length
		const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'coupon_exhausted').length
		expect([ok, refused]).toEqual([5, 25])
		expect(await uses(c.id)).toBe(5)
		expect(await prisma.couponRedemption.count({ where: { couponId: c.id, status: 'reserved' } })).toBe(5)
	})
})
