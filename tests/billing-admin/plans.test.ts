// Admin plans through the real routes: create, list, edit, deactivate; bad input saves nothing.
import { beforeAll, describe, expect, test } from 'vitest'
import * as edit from '~/routes/admin+/plans.$id'
import * as create from '~/routes/admin+/plans.new'
import * as list from '~/routes/admin+/plans'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { loginAs } from '../factories'
import { act, idFrom, load, makeNode } from './helpers'

let admin: { cookie: string }
let nodes: Array<{ id: number }>
let monthly: { id: number }
beforeAll(async () => {
	admin = await loginAs('admin')
	monthly = await prisma.planCategory.create({ data: { name: 'monthly' } })
	nodes = []
	for (const name of ['p-de', 'p-nl', 'p-fi']) nodes.push(await makeNode(name)) // in id order
})

// The public (store) price is typed in Toman and stored in Rial; the reseller price in the plan's currency.
const valid = () => ({ name: 'Gold 30', days: '30', dataLimitGb: '50', currency: 'USD', publicPrice: '125000', resellerPrice: '9', categoryId: String(monthly.id), active: 'on', nodeIds: [String(nodes[0]!.id), String(nodes[1]!.id)] })
const createPlan = (fields: Record<string, string | string[]>) => act(create, '/admin/plans/new', fields, admin.cookie)

describe('plan CRUD', () => {
	test('create stores minor units, bytes and nodes, audits; list and edit show it', async () => {
		const r = await createPlan(valid())
		expect(r.status).toBe(302)
		const id = idFrom(r.location)
		const plan = await prisma.plan.findUniqueOrThrow({ where: { id }, include: { nodes: true } })
		expect(plan).toMatchObject({ name: 'Gold 30', days: 30, dataLimitBytes: 50n * GB, publicPrice: 1_250_000n, resellerPrice: 900n, currency: 'USD', categoryId: monthly.id, visibility: 'public', trial: false, resetOnRenew: false, active: true })
		expect(plan.nodes.map((n) => n.nodeId).sort()).toEqual([nodes[0]!.id, nodes[1]!.id].sort())
		expect(await prisma.auditEvent.count({ where: { entityType: 'plan', entityId: String(id), action: 'plan.create' } })).toBe(1)

		const page = (await load(list, '/admin/plans?q=gold', admin.cookie)) as Awaited<ReturnType<typeof list.loader>>
		expect(page.rows.map((p) => p.id)).toContain(id)
		const form = (await load(edit, `/admin/plans/${id}`, admin.cookie, { id: String(id) })) as Awaited<ReturnType<typeof edit.loader>>
		expect(form.defaults).toMatchObject({ publicPrice: '125000', resellerPrice: '9.00', categoryId: String(monthly.id), dataLimitGb: '50', nodeIds: [String(nodes[0]!.id), String(nodes[1]!.id)] })
	})

	test('edit replaces nodes and fields (Persian digits accepted); deactivate and activate', async () => {
		const id = idFrom((await createPlan(valid())).location)
		const call = (fields: Record<string, string | string[]>) => act(edit, `/admin/plans/${id}`, fields, admin.cookie, { id: String(id) })
		const saved = await call({ ...valid(), intent: 'save', name: 'Silver', days: '۶۰', currency: 'IRT', publicPrice: '۱۲۰٬۰۰۰', resellerPrice: '100000', nodeIds: String(nodes[2]!.id), active: 'on', visibility: 'resellers', trial: 'on', resetOnRenew: 'on', categoryId: '' })
		expect(saved.status).toBe(302)
		const plan = await prisma.plan.findUniqueOrThrow({ where: { id }, include: { nodes: true } })
		expect(plan).toMatchObject({ name: 'Silver', days: 60, currency: 'IRT', publicPrice: 1_200_000n, resellerPrice: 100000n, visibility: 'resellers', trial: true, resetOnRenew: true, categoryId: null })
		expect(plan.nodes.map((n) => n.nodeId)).toEqual([nodes[2]!.id])

		expect((await call({ intent: 'deactivate' })).status).toBe(302)
		expect((await prisma.plan.findUniqueOrThrow({ where: { id } })).active).toBe(false)
		expect((await call({ intent: 'activate' })).status).toBe(302)
		expect((await prisma.plan.findUniqueOrThrow({ where: { id } })).active).toBe(true)
		const actions = (await prisma.auditEvent.findMany({ where: { entityType: 'plan', entityId: String(id) }, orderBy: { id: 'asc' } })).map((e) => e.action)
		expect(actions).toEqual(['plan.create', 'plan.update', 'plan.deactivate', 'plan.activate'])
	})

	test('a soft-deleted node cannot be chosen', async () => {
		const gone = await makeNode('p-gone')
		await prisma.node.update({ where: { id: gone.id }, data: { deletedAt: new Date() } })
		const before = await prisma.plan.count()
		const r = await createPlan({ ...valid(), nodeIds: [String(nodes[0]!.id), String(gone.id)] })
		expect(r.status).toBe(400)
		expect(r.body).toContain('adminBilling.errors.unknownNode')
		expect(await prisma.plan.count()).toBe(before)
		const form = (await load(create, '/admin/plans/new', admin.cookie)) as Awaited<ReturnType<typeof create.loader>>
		expect(form.nodes.map((n) => n.id)).not.toContain(gone.id)
	})
})

describe('bad input → 400 with the translation key, nothing written', () => {
	test.each([
		['negative price', { publicPrice: '-1' }, 'adminBilling.errors.negative'],
		['non-numeric price', { resellerPrice: 'ten' }, 'adminBilling.errors.money'],
		['too many decimals', { resellerPrice: '1.005' }, 'adminBilling.errors.money'],
		['finer than a Rial', { publicPrice: '10.55' }, 'adminBilling.errors.money'],
		['decimals in a whole-unit currency', { currency: 'IRT', resellerPrice: '10.5' }, 'adminBilling.errors.money'],
		['unknown category', { categoryId: '999999' }, 'store.errors.unknownCategory'],
		['category not an id', { categoryId: 'abc' }, 'errors.invalid'],
		['unknown visibility', { visibility: 'secret' }, 'errors.required'],
		['non-numeric days', { days: 'abc' }, 'errors.number'],
		['zero days', { days: '0' }, 'errors.positive'],
		['fractional GB', { dataLimitGb: '1.5' }, 'errors.integer'],
		['missing name', { name: '' }, 'errors.required'],
		['10 kB name', { name: 'x'.repeat(10_240) }, 'errors.tooLong'],
		['10 kB price', { publicPrice: '1'.repeat(10_240) }, 'errors.tooLong'],
		['unknown currency', { currency: 'BTC' }, 'errors.required'],
		['unknown node id', { nodeIds: '999999' }, 'adminBilling.errors.unknownNode'],
		['node id not a number', { nodeIds: 'x' }, 'errors.number'],
	] as const)('%s', async (_name, patch, key) => {
		const before = await prisma.plan.count()
		const events = await prisma.auditEvent.count()
		const r = await createPlan({ ...valid(), ...patch })
		expect(r.status).toBe(400)
		expect(r.body).toContain(key)
		expect(await prisma.plan.count()).toBe(before)
		expect(await prisma.auditEvent.count()).toBe(events)
	})

	test('a bad edit changes nothing; unknown ids are 404', async () => {
		const id = idFrom((await createPlan(valid())).location)
		const r = await act(edit, `/admin/plans/${id}`, { ...valid(), intent: 'save', name: 'Changed', publicPrice: '-5' }, admin.cookie, { id: String(id) })
		expect(r.status).toBe(400)
		expect((await prisma.plan.findUniqueOrThrow({ where: { id } })).name).toBe('Gold 30')
		for (const bad of ['999999', 'abc', '-1', '1e3']) {
			expect(((await load(edit, `/admin/plans/${bad}`, admin.cookie, { id: bad })) as Response).status).toBe(404)
			expect((await act(edit, `/admin/plans/${bad}`, { ...valid(), intent: 'save' }, admin.cookie, { id: bad })).status).toBe(404)
		}
	})
})

describe('only admins', () => {
	test.each(['reseller', 'customer'] as const)('%s gets 403 from every loader and action', async (role) => {
		const { cookie } = await loginAs(role)
		const plan = await prisma.plan.create({ data: { name: 'guarded', days: 1, dataLimitBytes: GB, publicPrice: 1n, resellerPrice: 1n } })
		const params = { id: String(plan.id) }
		expect(((await load(list, '/admin/plans', cookie)) as Response).status).toBe(403)
		expect(((await load(create, '/admin/plans/new', cookie)) as Response).status).toBe(403)
		expect(((await load(edit, `/admin/plans/${plan.id}`, cookie, params)) as Response).status).toBe(403)
		expect((await act(create, '/admin/plans/new', valid(), cookie)).status).toBe(403)
		expect((await act(edit, `/admin/plans/${plan.id}`, { ...valid(), intent: 'save', name: 'hacked' }, cookie, params)).status).toBe(403)
		expect((await act(edit, `/admin/plans/${plan.id}`, { intent: 'deactivate' }, cookie, params)).status).toBe(403)
		expect(await prisma.plan.findUniqueOrThrow({ where: { id: plan.id } })).toMatchObject({ name: 'guarded', active: true })
	})

	test('anonymous visitors are sent to the login page', async () => {
		const r = (await load(list, '/admin/plans', '')) as Response
		expect(r.status).toBe(302)
		expect(r.headers.get('Location')).toContain('/login')
	})
})
