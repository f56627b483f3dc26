// The catalogue for checkout and the storefront: exclusive categories (a subtree, one live
// service per user), trials once per user per plan, planForCheckout, and the public page.
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { activeServiceInExclusiveCategory, exclusiveScopeOf, hasUsedTrial, planForCheckout, recordTrialUse } from '~/models/end-user-services.server'
import * as store from '~/routes/store+/index'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { load, makeNode } from '../billing-admin/helpers'
import { createReseller } from '../billing/fixtures'
import { createUser } from '../factories'

const DAY = 86_400_000
async function storeService(userId: number, planId: number, status: 'active' | 'expired' | 'deleted' | 'refunded' | 'limited' = 'active') {
	return prisma.customer.create({ data: { resellerId: null, userId, planId, username: `s_${randomBytes(4).toString('hex')}`, dataLimitBytes: GB, expireAt: new Date(Date.now() + 30 * DAY), status, subToken: `tok_${randomBytes(16).toString('hex')}` } })
}
const plan = (name: string, data: Partial<{ categoryId: number; trial: boolean; publicPrice: bigint; visibility: 'public' | 'resellers'; active: boolean; resetOnRenew: boolean }> = {}) =>
	prisma.plan.create({ data: { name, days: 30, dataLimitBytes: 50n * GB, publicPrice: 1_500_000n, resellerPrice: 10n, currency: 'USD', ...data } })

let vpn: { id: number }, monthly: { id: number }, gaming: { id: number }, open: { id: number }, openChild: { id: number }
beforeAll(async () => {
	// vpn (exclusive) ─ monthly ─ gaming ; open (not exclusive) ─ openChild
	vpn = await prisma.planCategory.create({ data: { name: 'VPN', exclusive: true, sortOrder: 1 } })
	monthly = await prisma.planCategory.create({ data: { name: 'Monthly', parentId: vpn.id } })
	gaming = await prisma.planCategory.create({ data: { name: 'Gaming', parentId: monthly.id, exclusive: true } })
	open = await prisma.planCategory.create({ data: { name: 'Add-ons', sortOrder: 2 } })
	openChild = await prisma.planCategory.create({ data: { name: 'Extra', parentId: open.id } })
})

describe('exclusive categories', () => {
	test('the scope is the top-most exclusive ancestor; a non-exclusive branch has none', async () => {
		expect(await exclusiveScopeOf(vpn.id)).toBe(vpn.id)
		expect(await exclusiveScopeOf(monthly.id)).toBe(vpn.id)
		expect(await exclusiveScopeOf(gaming.id)).toBe(vpn.id)
		expect(await exclusiveScopeOf(open.id)).toBeNull()
		expect(await exclusiveScopeOf(openChild.id)).toBeNull()
	})

	test('a live service anywhere in the exclusive subtree is found, for its owner only', async () => {
		const user = await createUser('customer')
		const other = await createUser('customer')
		const inGaming = await plan('Gaming 30', { categoryId: gaming.id })
		const inMonthly = await plan('Monthly 30', { categoryId: monthly.id })
		expect(await activeServiceInExclusiveCategory(user.id, monthly.id)).toBeNull()
		const s = await storeService(user.id, inGaming.id)
		// buying a monthly plan must find the gaming service: same exclusive scope (VPN)
		expect((await activeServiceInExclusiveCategory(user.id, monthly.id))?.id).toBe(s.id)
		expect((await activeServiceInExclusiveCategory(user.id, vpn.id))?.id).toBe(s.id)
		expect(await activeServiceInExclusiveCategory(other.id, monthly.id)).toBeNull()
		// a reseller's customer is never a store service, even if it named the user
		const { reseller } = await createReseller({ nodeIds: [], funds: 0n })
		await prisma.customer.create({ data: { resellerId: reseller.id, userId: other.id, planId: inMonthly.id, username: 'resold1', dataLimitBytes: GB, expireAt: new Date(Date.now() + DAY), subToken: `tok_${randomBytes(16).toString('hex')}` } })
		expect(await activeServiceInExclusiveCategory(other.id, monthly.id)).toBeNull()
	})

	test('expired and limited services count (renew them); deleted and refunded do not', async () => {
		const user = await createUser('customer')
		const p = await plan('VPN 60', { categoryId: vpn.id })
		const dead = await storeService(user.id, p.id, 'deleted')
		await storeService(user.id, p.id, 'refunded')
		expect(await activeServiceInExclusiveCategory(user.id, vpn.id)).toBeNull()
		const expired = await storeService(user.id, p.id, 'expired')
		expect((await activeServiceInExclusiveCategory(user.id, vpn.id))?.id).toBe(expired.id)
		expect(dead.id).not.toBe(expired.id)
	})

	test('in a non-exclusive category any number of services coexist (null)', async () => {
		const user = await createUser('customer')
		const p = await plan('Extra 10', { categoryId: openChild.id })
		await storeService(user.id, p.id)
		await storeService(user.id, p.id)
		expect(await activeServiceInExclusiveCategory(user.id, openChild.id)).toBeNull()
		expect(await activeServiceInExclusiveCategory(user.id, open.id)).toBeNull()
	})
})

describe('trials', () => {
	test('once per user per plan, even when two activations race', async () => {
		const user = await createUser('customer')
		const other = await createUser('customer')
		const trial = await plan('Trial 1', { trial: true, publicPrice: 0n })
		const second = await plan('Trial 2', { trial: true, publicPrice: 0n })
		expect(await hasUsedTrial(user.id, trial.id)).toBe(false)
		const results = await Promise.all([0, 1, 2].map(() => prisma.$transaction((tx) => recordTrialUse(tx, user.id, trial.id, null))))
		expect(results.filter(Boolean)).toHaveLength(1)
		expect(await hasUsedTrial(user.id, trial.id)).toBe(true)
		expect(await prisma.trialUse.count({ where: { userId: user.id, planId: trial.id } })).toBe(1)
		// another plan's trial, and another user's, are separate
		expect(await prisma.$transaction((tx) => recordTrialUse(tx, user.id, second.id, null))).toBe(true)
		expect(await prisma.$transaction((tx) => recordTrialUse(tx, other.id, trial.id, null))).toBe(true)
	})
})

describe('planForCheckout', () => {
	test('everything checkout needs, in Rial, with live nodes only', async () => {
		const [a, b, gone] = [await makeNode('c-a'), await makeNode('c-b'), await makeNode('c-gone')]
		await prisma.node.update({ where: { id: gone.id }, data: { deletedAt: new Date() } })
		const p = await plan('Gold', { categoryId: monthly.id, resetOnRenew: true })
		await prisma.planNode.createMany({ data: [b, a, gone].map((n) => ({ planId: p.id, nodeId: n.id })) })
		expect(await planForCheckout(p.id)).toEqual({
			id: p.id, name: 'Gold', days: 30, dataLimitBytes: 50n * GB, price: 1_500_000n, currency: 'IRR', trial: false, resetOnRenew: true,
			nodeIds: [a.id, b.id].sort((x, y) => x - y), categoryId: monthly.id, exclusiveCategoryId: vpn.id,
		})
	})

	test('inactive, resellers-only or unknown plans are not for sale', async () => {
		expect(await planForCheckout((await plan('Hidden', { visibility: 'resellers' })).id)).toBeNull()
		expect(await planForCheckout((await plan('Off', { active: false })).id)).toBeNull()
		expect(await planForCheckout(2_000_000_000)).toBeNull()
	})
})

describe('storefront /', () => {
	test('public plans by category in tree order, prices in Rial for the page to show in Toman, no counters', async () => {
		const node = await makeNode('s-node')
		const cheap = await plan('Store Bronze', { categoryId: monthly.id, publicPrice: 990_000n })
		await prisma.planNode.create({ data: { planId: cheap.id, nodeId: node.id } })
		await plan('Store Free Trial', { categoryId: open.id, publicPrice: 0n, trial: true })
		await plan('Store Resellers Only', { categoryId: monthly.id, visibility: 'resellers' })
		await plan('Store Inactive', { categoryId: monthly.id, active: false })
		const page = (await load(store, '/', '')) as Awaited<ReturnType<typeof store.loader>>
		const names = page.sections.flatMap((s) => s.plans.map((p) => p.name))
		expect(names).toContain('Store Bronze')
		expect(names).toContain('Store Free Trial')
		expect(names).not.toContain('Store Resellers Only')
		expect(names).not.toContain('Store Inactive')
		const bronze = page.sections.flatMap((s) => s.plans).find((p) => p.name === 'Store Bronze')!
		expect(bronze).toEqual({ id: cheap.id, name: 'Store Bronze', days: 30, dataLimitBytes: 50n * GB, price: 990_000n, trial: false, nodeCount: 1 })
		// categories in tree order: VPN before its child Monthly, Add-ons after
		const order = page.sections.map((s) => s.name)
		expect(order.indexOf('VPN')).toBeLessThan(order.indexOf('Monthly'))
		expect(order.indexOf('Monthly')).toBeLessThan(order.indexOf('Add-ons'))
		expect(page.display).toBe('IRT')
		// nothing but the catalogue: no user / reseller counters, no reseller prices
		const json = JSON.stringify(page, (_k, v) => (typeof v === 'bigint' ? String(v) : v))
		expect(Object.keys(page).sort()).toEqual(['area', 'company', 'display', 'sections'])
		expect(json).not.toMatch(/resellerPrice|"customers"|"resellers"/)
	})
})
