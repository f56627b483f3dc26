// Admin side of the store through the real routes: one customer list across resellers and the
// store (owner / status / search filters, keyset pages, admins only), categories (tree, no
// cycles, delete only when empty), store settings, and the dashboard's customer count.
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import * as dashboard from '~/routes/admin+/index'
import * as categoryEdit from '~/routes/admin+/categories.$id'
import * as categories from '~/routes/admin+/categories'
import * as customers from '~/routes/admin+/customers'
import * as storeSettings from '~/routes/admin+/store-settings'
import { forgetStoreSettings, getStoreSettings } from '~/services/settings.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { PAGE_SIZE } from '~/utils/pagination.server'
import { act, load } from '../billing-admin/helpers'
import { createReseller } from '../billing/fixtures'
import { createUser, loginAs } from '../factories'

type CustomersPage = Awaited<ReturnType<typeof customers.loader>>
const customer = (data: { resellerId: number | null; username: string; userId?: number; status?: 'active' | 'disabled' | 'deleted'; note?: string }) =>
	prisma.customer.create({ data: { dataLimitBytes: GB, expireAt: new Date(Date.now() + 86_400_000), subToken: `tok_${randomBytes(16).toString('hex')}`, ...data } })

let admin: { cookie: string; user: { id: number } }
let r1: { id: number }, r2: { id: number }
beforeAll(async () => {
	admin = await loginAs('admin')
	r1 = (await createReseller({ nodeIds: [], funds: 0n })).reseller
	r2 = (await createReseller({ nodeIds: [], funds: 0n })).reseller
})

describe('admin customer list', () => {
	test('every owner in one list, with the owner; filters by owner, status and search', async () => {
		const buyer = await createUser('customer', { username: 'store_buyer_x' })
		const a = await customer({ resellerId: r1.id, username: 'alpha_one', note: 'VIP client' })
		const b = await customer({ resellerId: r2.id, username: 'bravo_two', status: 'disabled' })
		const s = await customer({ resellerId: null, userId: buyer.id, username: 'store_svc_1' })
		await customer({ resellerId: r1.id, username: 'gone_one', status: 'deleted' })
		const all = (await load(customers, '/admin/customers', admin.cookie)) as CustomersPage
		const ids = all.rows.map((r) => r.id)
		expect(ids).toEqual(expect.arrayContaining([a.id, b.id, s.id]))
		expect(all.rows.map((r) => r.username)).not.toContain('gone_one') // deleted only on request
		expect(all.rows.find((r) => r.id === s.id)).toMatchObject({ reseller: null, user: { username: 'store_buyer_x' } })
		expect(all.rows.find((r) => r.id === a.id)!.reseller!.id).toBe(r1.id)

		const storeOnly = (await load(customers, '/admin/customers?owner=store', admin.cookie)) as CustomersPage
		expect(storeOnly.rows.every((r) => r.reseller === null)).toBe(true)
		expect(storeOnly.rows.map((r) => r.id)).toContain(s.id)
		const ofR2 = (await load(customers, `/admin/customers?owner=${r2.id}`, admin.cookie)) as CustomersPage
		expect(ofR2.rows.map((r) => r.id)).toEqual([b.id])
		const disabled = (await load(customers, '/admin/customers?status=disabled', admin.cookie)) as CustomersPage
		expect(disabled.rows.map((r) => r.id)).toEqual([b.id])
		const deleted = (await load(customers, '/admin/customers?status=deleted', admin.cookie)) as CustomersPage
		expect(deleted.rows.map((r) => r.username)).toEqual(['gone_one'])
		expect(((await load(customers, '/admin/customers?q=ALPHA', admin.cookie)) as CustomersPage).rows.map((r) => r.id)).toEqual([a.id])
		expect(((await load(customers, '/admin/customers?q=vip', admin.cookie)) as CustomersPage).rows.map((r) => r.id)).toEqual([a.id])
		// the store customer is found by his login's name too
		expect(((await load(customers, '/admin/customers?q=store_buyer', admin.cookie)) as CustomersPage).rows.map((r) => r.id)).toEqual([s.id])
	})

	test('keyset pages: every row once, newest first', async () => {
		const r = (await createReseller({ nodeIds: [], funds: 0n })).reseller
		for (let i = 0; i < PAGE_SIZE + 3; i++) await customer({ resellerId: r.id, username: `page_${i}` })
		const first = (await load(customers, `/admin/customers?owner=${r.id}`, admin.cookie)) as CustomersPage
		expect(first.rows).toHaveLength(PAGE_SIZE)
		expect(first.nextCursor).not.toBeNull()
		const second = (await load(customers, `/admin/customers?owner=${r.id}&after=${first.nextCursor}`, admin.cookie)) as CustomersPage
		expect(second.rows).toHaveLength(3)
		expect(second.nextCursor).toBeNull()
		const ids = [...first.rows, ...second.rows].map((x) => x.id)
		expect(new Set(ids).size).toBe(PAGE_SIZE + 3)
		expect([...ids].sort((x, y) => y - x)).toEqual(ids)
	})

	test('bad filters fall back instead of failing; only admins see the list', async () => {
		const page = (await load(customers, '/admin/customers?owner=abc&status=nope&after=1e9&q=%00x', admin.cookie)) as CustomersPage
		expect(Array.isArray(page.rows)).toBe(true)
		for (const role of ['reseller', 'customer'] as const) {
			const { cookie } = await loginAs(role)
			expect(((await load(customers, '/admin/customers', cookie)) as Response).status).toBe(403)
		}
	})
})

describe('categories', () => {
	test('create a tree; a category cannot move under its own subtree; delete only when empty', async () => {
		expect((await act(categories, '/admin/categories', { name: 'Top', sortOrder: '۲', exclusive: 'on' }, admin.cookie)).status).toBe(302)
		const top = (await prisma.planCategory.findFirstOrThrow({ where: { name: 'Top' } })).id
		const row = await prisma.planCategory.findUniqueOrThrow({ where: { id: top } })
		expect(row).toMatchObject({ name: 'Top', sortOrder: 2, exclusive: true, parentId: null })
		expect((await act(categories, '/admin/categories', { name: 'Child', parentId: String(top), sortOrder: '0' }, admin.cookie)).status).toBe(302)
		const child = await prisma.planCategory.findFirstOrThrow({ where: { name: 'Child' } })
		expect(child.parentId).toBe(top)

		const cycle = await act(categoryEdit, `/admin/categories/${top}`, { intent: 'save', name: 'Top', parentId: String(child.id), sortOrder: '2' }, admin.cookie, { id: String(top) })
		expect(cycle.status).toBe(400)
		expect(cycle.body).toContain('store.errors.categoryCycle')
		const self = await act(categoryEdit, `/admin/categories/${top}`, { intent: 'save', name: 'Top', parentId: String(top), sortOrder: '2' }, admin.cookie, { id: String(top) })
		expect(self.status).toBe(400)
		expect((await prisma.planCategory.findUniqueOrThrow({ where: { id: top } })).parentId).toBeNull()

		const tree = (await load(categories, '/admin/categories', admin.cookie)) as Awaited<ReturnType<typeof categories.loader>>
		const pos = (id: number) => tree.tree.findIndex((c) => c.id === id)
		expect(pos(top)).toBeLessThan(pos(child.id))
		expect(tree.tree[pos(child.id)]!.depth).toBe(1)

		// not empty: has a child → refused; after the child goes, it can go
		await act(categoryEdit, `/admin/categories/${top}`, { intent: 'delete' }, admin.cookie, { id: String(top) })
		expect(await prisma.planCategory.count({ where: { id: top } })).toBe(1)
		await act(categoryEdit, `/admin/categories/${child.id}`, { intent: 'delete' }, admin.cookie, { id: String(child.id) })
		await act(categoryEdit, `/admin/categories/${top}`, { intent: 'delete' }, admin.cookie, { id: String(top) })
		expect(await prisma.planCategory.count({ where: { id: { in: [top, child.id] } } })).toBe(0)
	})

	test('bad input → 400 with keys; unknown ids 404; admins only', async () => {
		for (const [fields, key] of [
			[{ name: '' }, 'errors.required'],
			[{ name: 'x', parentId: '999999' }, 'store.errors.unknownCategory'],
			[{ name: 'x', parentId: 'abc' }, 'errors.invalid'],
			[{ name: 'x', sortOrder: '-1' }, 'errors.invalid'],
		] as const) {
			const r = await act(categories, '/admin/categories', fields, admin.cookie)
			expect(r.status).toBe(400)
			expect(r.body).toContain(key)
		}
		for (const bad of ['999999', 'abc', '1e3']) expect(((await load(categoryEdit, `/admin/categories/${bad}`, admin.cookie, { id: bad })) as Response).status).toBe(404)
		const { cookie } = await loginAs('reseller')
		expect((await act(categories, '/admin/categories', { name: 'hack' }, cookie)).status).toBe(403)
		expect(await prisma.planCategory.count({ where: { name: 'hack' } })).toBe(0)
	})
})

describe('store settings', () => {
	test('saved through the settings service with tax in basis points; bad rate is a 400', async () => {
		const r = await act(storeSettings, '/admin/store', { companyName: 'گاردینو', address: 'تهران', taxId: '۱۲۳۴۵', terms: 'line 1\nline 2', invoiceFooter: 'Thanks', taxRate: '۹٫۵', taxInclusive: 'on', displayCurrency: 'IRR' }, admin.cookie)
		expect(r.status).toBe(302)
		forgetStoreSettings()
		expect(await getStoreSettings()).toEqual({ companyName: 'گاردینو', address: 'تهران', taxId: '12345', terms: 'line 1\nline 2', invoiceFooter: 'Thanks', taxRateBp: 950, taxInclusive: true, displayCurrency: 'IRR' })
		for (const taxRate of ['101', 'abc', '9.555', '-1']) {
			const bad = await act(storeSettings, '/admin/store', { taxRate, displayCurrency: 'IRT' }, admin.cookie)
			expect(bad.status).toBe(400)
			expect(bad.body).toContain('store.errors.taxRate')
		}
		expect((await act(storeSettings, '/admin/store', { taxRate: '0', displayCurrency: 'BTC' }, admin.cookie)).status).toBe(400)
		forgetStoreSettings()
		expect((await getStoreSettings()).taxRateBp).toBe(950)
		const { cookie } = await loginAs('customer')
		expect((await act(storeSettings, '/admin/store', { taxRate: '0', displayCurrency: 'IRT' }, cookie)).status).toBe(403)
	})
})

describe('dashboard', () => {
	test('counts customers (service accounts), not end-user logins', async () => {
		const before = (await load(dashboard, '/admin', admin.cookie)) as Awaited<ReturnType<typeof dashboard.loader>>
		await createUser('customer')
		await createUser('customer')
		await customer({ resellerId: r1.id, username: `dash_${randomBytes(3).toString('hex')}` })
		const after = (await load(dashboard, '/admin', admin.cookie)) as Awaited<ReturnType<typeof dashboard.loader>>
		expect(after.customers - before.customers).toBe(1)
	})
})
