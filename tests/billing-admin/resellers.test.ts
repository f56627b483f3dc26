// Admin reseller management through the real routes: create and edit with allocations, the login
// it creates, bad input that writes nothing, history, and roles.
import { beforeAll, describe, expect, test } from 'vitest'
import * as edit from '~/routes/admin+/resellers.$id'
import * as create from '~/routes/admin+/resellers.new'
import * as list from '~/routes/admin+/resellers'
import { prisma } from '~/utils/db.server'
import { verifyPassword } from '~/utils/password.server'
import { loginAs } from '../factories'
import { act, idFrom, load, makeNode } from './helpers'

let admin: { cookie: string }
let nodes: Array<{ id: number }>
beforeAll(async () => {
	admin = await loginAs('admin')
	nodes = []
	for (const name of ['r-de', 'r-nl', 'r-fi']) nodes.push(await makeNode(name)) // in id order
})

let seq = 0
function valid(over: Record<string, string> = {}) {
	seq++
	return {
		intent: 'save', username: `Shop_${seq}`, password: 'long-enough-pw', name: `Ali ${seq}`, phone: '۰۹۱۲ ۱۲۳ ۴۵۶۷', shopName: 'Ali Shop', address: 'Tehran',
		status: 'active', fundingModel: 'wallet', currency: 'USD', creditLimit: '10', allowConfigOverrun: 'on', pricingMode: 'per_node',
		pricePerGb: '0.50', bundlePricePerGb: '', pricePerDay: '0.10', maxCustomers: '100', minGb: '1', maxGb: '500', minDays: '1', maxDays: '365',
		'allocations[0].nodeId': String(nodes[0]!.id), 'allocations[0].enabled': 'on', 'allocations[0].price': '0.75',
		'allocations[1].nodeId': String(nodes[1]!.id), 'allocations[1].enabled': 'on', 'allocations[1].price': '',
		'allocations[2].nodeId': String(nodes[2]!.id), 'allocations[2].price': '9',
		...over,
	}
}
const createReseller = (fields: Record<string, string>) => act(create, '/admin/resellers/new', fields, admin.cookie)
const counts = async () => ({ users: await prisma.user.count(), resellers: await prisma.reseller.count(), allocations: await prisma.nodeAllocation.count(), events: await prisma.auditEvent.count() })

describe('create', () => {
	test('one transaction: reseller login (argon2id, lower-cased), profile, prices, limits, allocations, audit; balance 0', async () => {
		const fields = valid({ username: 'Ali.Shop' })
		const r = await createReseller(fields)
		expect(r.status).toBe(302)
		const id = idFrom(r.location)
		const reseller = await prisma.reseller.findUniqueOrThrow({ where: { id }, include: { user: true, allocations: { orderBy: { nodeId: 'asc' } } } })
		expect(reseller.user).toMatchObject({ username: 'ali.shop', role: 'reseller', status: 'active' })
		expect(reseller.user.passwordHash).toMatch(/^\$argon2id\$/)
		expect(await verifyPassword(reseller.user.passwordHash, 'long-enough-pw')).toBe(true)
		expect(reseller).toMatchObject({
			phone: '0912 123 4567', shopName: 'Ali Shop', fundingModel: 'wallet', currency: 'USD', creditLimit: 1000n, pricingMode: 'per_node',
			pricePerGb: 50n, bundlePricePerGb: null, pricePerDay: 10n, maxCustomers: 100, minGb: 1, maxGb: 500, minDays: 1, maxDays: 365,
			balance: 0n, poolBytes: 0n, allowConfigOverrun: true,
		})
		expect(reseller.allocations.map((a) => [a.nodeId, a.pricePerGb])).toEqual([[nodes[0]!.id, 75n], [nodes[1]!.id, null]])
		expect(await prisma.ledgerEntry.count({ where: { resellerId: id } })).toBe(0)
		const event = await prisma.auditEvent.findFirstOrThrow({ where: { entityType: 'reseller', entityId: String(id) } })
		expect(event.action).toBe('reseller.create')
		expect(JSON.stringify(event.after)).not.toContain('long-enough-pw')

		const page = (await load(list, '/admin/resellers?q=ALI.SH', admin.cookie)) as Awaited<ReturnType<typeof list.loader>>
		expect(page.rows.map((x) => x.id)).toEqual([id])
		const byName = (await load(list, `/admin/resellers?q=${encodeURIComponent(fields.name)}`, admin.cookie)) as Awaited<ReturnType<typeof list.loader>>
		expect(byName.rows.map((x) => x.id)).toEqual([id])
	})

	test('a pool reseller with a window; allow_config_overrun unchecked is stored as false', async () => {
		const { allowConfigOverrun: _, ...fields } = valid({ fundingModel: 'pool', poolWindowStart: '2026-01-01', poolWindowEnd: '۲۰۲۶-۰۱-۳۱', pricingMode: 'bundle', bundlePricePerGb: '0.3' })
		const r = await createReseller(fields)
		expect(r.status).toBe(302)
		const reseller = await prisma.reseller.findUniqueOrThrow({ where: { id: idFrom(r.location) } })
		expect(reseller).toMatchObject({ fundingModel: 'pool', pricingMode: 'bundle', bundlePricePerGb: 30n, allowConfigOverrun: false })
		expect(reseller.poolWindowStart?.toISOString()).toBe('2026-01-01T00:00:00.000Z')
		expect(reseller.poolWindowEnd?.toISOString()).toBe('2026-01-31T23:59:59.999Z')
	})

	test.each([
		['negative price per GB', { pricePerGb: '-0.5' }, 'adminBilling.errors.negative'],
		['non-numeric price per day', { pricePerDay: 'free' }, 'adminBilling.errors.money'],
		['negative credit limit', { creditLimit: '-10' }, 'adminBilling.errors.negative'],
		['bad per-node price', { 'allocations[0].price': '1.234' }, 'adminBilling.errors.money'],
		['min GB above max GB', { minGb: '50', maxGb: '10' }, 'adminBilling.errors.minMax'],
		['min days above max days', { minDays: '۳۰', maxDays: '7' }, 'adminBilling.errors.minMax'],
		['non-numeric limit', { maxCustomers: 'many' }, 'errors.number'],
		['window ends before it starts', { poolWindowStart: '2026-02-01', poolWindowEnd: '2026-01-01' }, 'adminBilling.errors.dateOrder'],
		['not a date', { poolWindowStart: '2026-13-45x' }, 'adminBilling.errors.date'],
		['short password', { password: 'short' }, 'password.tooShort'],
		['missing password', { password: '' }, 'errors.required'],
		['bad username', { username: 'a b' }, 'adminBilling.errors.username'],
		['10 kB name', { name: 'n'.repeat(10_240) }, 'errors.tooLong'],
		['10 kB address', { address: 'a'.repeat(10_240) }, 'errors.tooLong'],
		['10 kB username', { username: 'u'.repeat(10_240) }, 'errors.tooLong'],
		['bad phone', { phone: 'call me' }, 'adminBilling.errors.phone'],
		['unknown funding model', { fundingModel: 'credit' }, 'errors.required'],
		['unknown currency', { currency: 'XXX' }, 'errors.required'],
		['unknown node id', { 'allocations[0].nodeId': '999999' }, 'adminBilling.errors.unknownNode'],
		['node id not a number', { 'allocations[0].nodeId': 'abc' }, 'errors.invalid'],
	] as const)('%s → 400 with the key, nothing written', async (_name, patch, key) => {
		const before = await counts()
		const r = await createReseller(valid(patch))
		expect(r.status).toBe(400)
		expect(r.body).toContain(key)
		expect(r.body).not.toContain('long-enough-pw')
		expect(await counts()).toEqual(before)
	})

	test('a duplicate username (any case) is a field error and writes nothing', async () => {
		expect((await createReseller(valid({ username: 'taken_name' }))).status).toBe(302)
		const before = await counts()
		const r = await createReseller(valid({ username: 'TAKEN_NAME' }))
		expect(r.status).toBe(400)
		expect(r.body).toContain('adminBilling.errors.usernameTaken')
		expect(await counts()).toEqual(before)
	})
})

describe('edit', () => {
	test('same fields; blank password keeps it; allocations replaced; history lists the events', async () => {
		const id = idFrom((await createReseller(valid({ username: 'editme' }))).location)
		const params = { id: String(id) }
		const hashBefore = (await prisma.user.findUniqueOrThrow({ where: { username: 'editme' } })).passwordHash
		const page = (await load(edit, `/admin/resellers/${id}`, admin.cookie, params)) as Awaited<ReturnType<typeof edit.loader>>
		expect(page.defaults).toMatchObject({ username: 'editme', password: '', creditLimit: '10.00', pricePerGb: '0.50', maxGb: '500' })
		expect(page.defaults.allocations.filter((a) => a.enabled).map((a) => a.nodeId)).toEqual([String(nodes[0]!.id), String(nodes[1]!.id)])
		expect(page.adjustKey).toMatch(/^[0-9a-f-]{36}$/)

		const r = await act(edit, `/admin/resellers/${id}`, valid({
			username: 'editme', password: '', name: 'Renamed', pricePerGb: '0.60', maxCustomers: '',
			'allocations[0].enabled': '', 'allocations[1].price': '0.40', 'allocations[2].enabled': 'on', 'allocations[2].price': '',
		}), admin.cookie, params)
		expect(r.status).toBe(302)
		const after = await prisma.reseller.findUniqueOrThrow({ where: { id }, include: { user: true, allocations: { orderBy: { nodeId: 'asc' } } } })
		expect(after).toMatchObject({ name: 'Renamed', pricePerGb: 60n, maxCustomers: null })
		expect(after.user.passwordHash).toBe(hashBefore)
		expect(after.user.displayName).toBe('Renamed')
		expect(after.allocations.map((a) => [a.nodeId, a.pricePerGb])).toEqual([[nodes[1]!.id, 40n], [nodes[2]!.id, null]])

		const again = (await load(edit, `/admin/resellers/${id}`, admin.cookie, params)) as Awaited<ReturnType<typeof edit.loader>>
		expect(again.history.map((h) => h.action)).toEqual(['reseller.update', 'reseller.create'])
		expect(again.history[0]!.changed).toEqual(expect.arrayContaining(['name', 'pricePerGb', 'maxCustomers', 'allocations']))
		expect(again.history[0]!.changed).not.toContain('password')
	})

	test('a new password replaces the hash and ends his sessions; disabling blocks the login', async () => {
		const id = idFrom((await createReseller(valid({ username: 'pwchange' }))).location)
		const user = await prisma.user.findUniqueOrThrow({ where: { username: 'pwchange' } })
		await prisma.session.create({ data: { id: `s-${id}`, userId: user.id, expiresAt: new Date(Date.now() + 60_000) } })
		const r = await act(edit, `/admin/resellers/${id}`, valid({ username: 'pwchange', password: 'another-long-pw', status: 'disabled' }), admin.cookie, { id: String(id) })
		expect(r.status).toBe(302)
		const changed = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
		expect(await verifyPassword(changed.passwordHash, 'another-long-pw')).toBe(true)
		expect(changed.status).toBe('disabled')
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
	})

	test('bad edits write nothing: taken username, min > max, unknown node; the currency is locked once money moved', async () => {
		await createReseller(valid({ username: 'other_one' }))
		const id = idFrom((await createReseller(valid({ username: 'locked' }))).location)
		const params = { id: String(id) }
		const snapshot = async () => JSON.stringify(await prisma.reseller.findUniqueOrThrow({ where: { id }, include: { user: true, allocations: true } }), (_k, v) => (typeof v === 'bigint' ? String(v) : v))
		const before = await snapshot()
		for (const [patch, key] of [
			[{ username: 'other_one' }, 'adminBilling.errors.usernameTaken'],
			[{ username: 'locked', minGb: '9', maxGb: '8' }, 'adminBilling.errors.minMax'],
			[{ username: 'locked', 'allocations[2].enabled': 'on', 'allocations[2].nodeId': '999999' }, 'adminBilling.errors.unknownNode'],
		] as const) {
			const r = await act(edit, `/admin/resellers/${id}`, valid(patch), admin.cookie, params)
			expect(r.status).toBe(400)
			expect(r.body).toContain(key)
		}
		expect(await snapshot()).toBe(before)

		expect((await act(edit, `/admin/resellers/${id}`, { intent: 'adjust', account: 'money', direction: 'credit', amount: '5', note: 'seed', idempotencyKey: 'currency-lock-1' }, admin.cookie, params)).status).toBe(302)
		const r = await act(edit, `/admin/resellers/${id}`, valid({ username: 'locked', currency: 'EUR' }), admin.cookie, params)
		expect(r.status).toBe(400)
		expect(r.body).toContain('adminBilling.errors.currencyLocked')
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id } })).currency).toBe('USD')
	})

	test('unknown or malformed reseller ids are 404 for loader and action', async () => {
		for (const bad of ['999999', 'abc', '0', '99999999999']) {
			expect(((await load(edit, `/admin/resellers/${bad}`, admin.cookie, { id: bad })) as Response).status).toBe(404)
			expect((await act(edit, `/admin/resellers/${bad}`, valid(), admin.cookie, { id: bad })).status).toBe(404)
		}
	})
})

describe('only admins', () => {
	test.each(['reseller', 'customer'] as const)('%s gets 403 from every loader and action', async (role) => {
		const { cookie } = await loginAs(role)
		const id = idFrom((await createReseller(valid())).location)
		const params = { id: String(id) }
		const before = await counts()
		expect(((await load(list, '/admin/resellers', cookie)) as Response).status).toBe(403)
		expect(((await load(create, '/admin/resellers/new', cookie)) as Response).status).toBe(403)
		expect(((await load(edit, `/admin/resellers/${id}`, cookie, params)) as Response).status).toBe(403)
		expect((await act(create, '/admin/resellers/new', valid(), cookie)).status).toBe(403)
		expect((await act(edit, `/admin/resellers/${id}`, valid({ name: 'hacked' }), cookie, params)).status).toBe(403)
		expect(await counts()).toEqual(before)
	})
})
