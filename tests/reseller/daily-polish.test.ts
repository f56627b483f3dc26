// Issue 15, daily use: the list's online dot and days left, the detail's 30-day usage and
// editable note, the wallet rows that name their customer (filters by kind and customer), the
// wizard's remembered nodes, the no-JavaScript confirmation step — each scoped to its owner.
import { beforeAll, describe, expect, test } from 'vitest'
import * as adminHome from '~/routes/admin+/index'
import * as adminLedger from '~/routes/admin+/resellers.$id.ledger'
import * as confirm from '~/routes/confirm'
import * as detail from '~/routes/reseller+/customers.$id'
import * as list from '~/routes/reseller+/customers'
import * as wizard from '~/routes/reseller+/customers.new'
import * as wallet from '~/routes/reseller+/wallet'
import { writeOnlineTimes } from '~/services/usage/online.server'
import { prisma } from '~/utils/db.server'
import { isOnline, daysLeft } from '~/utils/presence'
import { tomanWords } from '~/utils/money-words'
import { createSession } from '~/utils/auth.server'
import { createUser } from '../factories'
import { BASE } from '../helpers'
import { call, createThroughRoutes, formPost, getPage, resellerFixture } from './fixtures'

const DAY = 24 * 60 * 60_000
let nodeA: number
let nodeB: number
let a: Awaited<ReturnType<typeof resellerFixture>>
let b: Awaited<ReturnType<typeof resellerFixture>>
let aCustomer: number
let bCustomer: number

beforeAll(async () => {
	nodeA = (await prisma.node.create({ data: { name: 'Daily A', kind: 'marzban', secrets: 'x' } })).id
	nodeB = (await prisma.node.create({ data: { name: 'Daily B', kind: 'marzneshin', secrets: 'x' } })).id
	a = await resellerFixture({ nodeIds: [nodeA, nodeB], funds: 1_000_000n })
	b = await resellerFixture({ nodeIds: [nodeA, nodeB], funds: 1_000_000n })
	aCustomer = (await createThroughRoutes(a.cookie, { nodeIds: [String(nodeA), String(nodeB)], gb: '10', days: '30', username: 'daily_a1' })).customerId!
	bCustomer = (await createThroughRoutes(b.cookie, { nodeIds: [String(nodeB)], gb: '5', days: '2', username: 'daily_b1' })).customerId!
	// The worker is not run here: mark the sub-accounts live, as provisioning would.
	await prisma.subAccount.updateMany({ where: { customerId: { in: [aCustomer, bCustomer] } }, data: { state: 'active' } })
})

describe('customer list: online dot and days left', () => {
	test('the latest last-online time of his live nodes, written only forward by the sync', async () => {
		const subs = await prisma.subAccount.findMany({ where: { customerId: aCustomer }, orderBy: { nodeId: 'asc' } })
		const recent = new Date(Date.now() - 60_000)
		const older = new Date(Date.now() - 3_600_000)
		expect(await writeOnlineTimes(nodeA, new Map([[subs[0]!.id, older]]))).toBe(1)
		expect(await writeOnlineTimes(nodeB, new Map([[subs[1]!.id, recent]]))).toBe(1)
		// an older reading never moves it back, and a node id that is not the row's writes nothing
		expect(await writeOnlineTimes(nodeB, new Map([[subs[1]!.id, older]]))).toBe(0)
		expect(await writeOnlineTimes(nodeA, new Map([[subs[1]!.id, new Date()]]))).toBe(0)
		const page = (await call(list.loader, getPage('/reseller/customers', a.cookie))).data
		expect(page.rows).toHaveLength(1)
		const row = page.rows[0]
		expect(row.username).toBe('daily_a1')
		expect(new Date(row.lastOnlineAt).getTime()).toBe(recent.getTime())
		expect(isOnline(row.lastOnlineAt, page.now)).toBe(true)
		expect(daysLeft(row.expireAt, page.now)).toBe(30)
		// B's list holds only his own customer, never A's online time
		const other = (await call(list.loader, getPage('/reseller/customers', b.cookie))).data
		expect(other.rows.map((r: { id: number }) => r.id)).toEqual([bCustomer])
		expect(other.rows[0].lastOnlineAt).toBeNull()
		expect(isOnline(older, new Date())).toBe(false)
	})
})

describe('customer detail: 30-day usage and the note', () => {
	test('daily usage of the last 30 days from usage_daily, summed over nodes, every day present', async () => {
		const today = new Date(new Date().toISOString().slice(0, 10))
		await prisma.usageDaily.createMany({
			data: [
				{ customerId: aCustomer, nodeId: nodeA, day: today, bytes: 300n },
				{ customerId: aCustomer, nodeId: nodeB, day: today, bytes: 200n },
				{ customerId: aCustomer, nodeId: nodeA, day: new Date(today.getTime() - 3 * DAY), bytes: 7n },
				{ customerId: aCustomer, nodeId: nodeA, day: new Date(today.getTime() - 40 * DAY), bytes: 999n }, // outside the window
				{ customerId: bCustomer, nodeId: nodeB, day: today, bytes: 55n },
			],
		})
		const page = (await call(detail.loader, getPage(`/reseller/customers/${aCustomer}`, a.cookie), { id: String(aCustomer) })).data
		expect(page.usage).toHaveLength(30)
		expect(page.usage.at(-1)).toEqual({ day: today.toISOString().slice(0, 10), bytes: 500n })
		expect(page.usage.at(-4).bytes).toBe(7n)
		expect(page.usage.reduce((s: bigint, d: { bytes: bigint }) => s + d.bytes, 0n)).toBe(507n)
		expect(page.subAccounts.every((s: { onlineAt: unknown }) => 'onlineAt' in s)).toBe(true)
		// another reseller's customer is a 404, usage and all
		expect((await call(detail.loader, getPage(`/reseller/customers/${aCustomer}`, b.cookie), { id: String(aCustomer) })).status).toBe(404)
	})

	test('the note is saved by its owner only; a bad note is a 400 with the translated key', async () => {
		const path = `/reseller/customers/${aCustomer}`
		const saved = await call(detail.action, formPost(path, { intent: 'note', customerId: String(aCustomer), note: 'pays on Fridays' }, a.cookie), { id: String(aCustomer) })
		expect(saved.status).toBe(302)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: aCustomer } })).note).toBe('pays on Fridays')
		const long = await call(detail.action, formPost(path, { intent: 'note', customerId: String(aCustomer), note: 'x'.repeat(201) }, a.cookie), { id: String(aCustomer) })
		expect(long.status).toBe(400)
		expect(long.data.result.error.note).toEqual(['errors.tooLong'])
		const foreign = await call(detail.action, formPost(path, { intent: 'note', customerId: String(aCustomer), note: 'hijack' }, b.cookie), { id: String(aCustomer) })
		expect(foreign.status).toBe(404)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: aCustomer } })).note).toBe('pays on Fridays')
		// a note without the customer it is for (or for another one) is refused
		expect((await call(detail.action, formPost(path, { intent: 'note', note: 'x' }, a.cookie), { id: String(aCustomer) })).status).toBe(400)
		expect((await call(detail.action, formPost(path, { intent: 'note', customerId: String(bCustomer), note: 'x' }, a.cookie), { id: String(aCustomer) })).status).toBe(400)
		// an empty note clears it
		await call(detail.action, formPost(path, { intent: 'note', customerId: String(aCustomer), note: '' }, a.cookie), { id: String(aCustomer) })
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: aCustomer } })).note).toBeNull()
	})
})

describe('wallet: rows name their customer and operation', () => {
	test('each order row names its customer with a link target; filters by kind and by his own customer only', async () => {
		const w = (await call(wallet.loader, getPage('/reseller/wallet', a.cookie))).data
		const charge = w.rows.find((r: { kind: string }) => r.kind === 'charge')
		expect(charge.customer).toEqual({ id: aCustomer, username: 'daily_a1' })
		expect(charge.orderKind).toBe('create')
		expect(typeof charge.balanceAfter).toBe('bigint')
		const funding = w.rows.find((r: { kind: string }) => r.kind === 'adjustment_credit')
		expect(funding.customer).toBeNull()
		const charges = (await call(wallet.loader, getPage('/reseller/wallet?kind=charge', a.cookie))).data
		expect(charges.rows.length).toBeGreaterThan(0)
		expect(charges.rows.every((r: { kind: string }) => r.kind === 'charge')).toBe(true)
		const mine = (await call(wallet.loader, getPage(`/reseller/wallet?customer=${aCustomer}`, a.cookie))).data
		expect(mine.customer).toEqual({ id: aCustomer, username: 'daily_a1' })
		expect(mine.rows.length).toBeGreaterThan(0)
		expect(mine.rows.every((r: { customer: { id: number } | null }) => r.customer?.id === aCustomer)).toBe(true)
		// B filtering by A's customer finds nothing and learns nothing of him
		const peek = (await call(wallet.loader, getPage(`/reseller/wallet?customer=${aCustomer}`, b.cookie))).data
		expect(peek.rows).toEqual([])
		expect(peek.customer).toBeNull()
		// B's own rows never name A's customer
		const bRows = (await call(wallet.loader, getPage('/reseller/wallet', b.cookie))).data.rows
		expect(bRows.every((r: { customer: { id: number } | null }) => r.customer === null || r.customer.id === bCustomer)).toBe(true)
		// unreadable filters are ignored
		expect((await call(wallet.loader, getPage('/reseller/wallet?kind=bogus&customer=abc&after=-1', a.cookie))).data.rows.length).toBe(w.rows.length)
	})

	test('Toman words in Persian', () => {
		expect(tomanWords(12_000_000n, 'IRR')).toBe('یک میلیون و دویست هزار تومان')
		expect(tomanWords(2_015n, 'IRT')).toBe('دو هزار و پانزده تومان')
		expect(tomanWords(5n, 'IRR')).toBeNull()
		expect(tomanWords(500n, 'USD')).toBeNull()
	})
})

describe('wizard: remembers the nodes chosen last time', () => {
	test('a fresh wizard ticks the nodes of his latest create quote, his own only', async () => {
		const first = (await call(wizard.loader, getPage('/reseller/customers/new', a.cookie))).data
		expect(first.defaults.nodeIds).toEqual([String(nodeA), String(nodeB)])
		expect(first.remembered).toBe(true)
		await call(wizard.action, formPost('/reseller/customers/new', [['intent', 'quote'], ['nodeIds', String(nodeB)], ['gb', '1'], ['days', '1']], a.cookie))
		expect((await call(wizard.loader, getPage('/reseller/customers/new', a.cookie))).data.defaults.nodeIds).toEqual([String(nodeB)])
		const fresh = await resellerFixture({ nodeIds: [nodeA] })
		const none = (await call(wizard.loader, getPage('/reseller/customers/new', fresh.cookie))).data
		expect(none.defaults).toBeUndefined()
		expect(none.remembered).toBe(false)
	})
})

describe('confirmation step without JavaScript', () => {
	test('replays the form to its own action; never to another site or to itself; bounded', async () => {
		const qs = new URLSearchParams([['_confirm_to', `/reseller/customers/${aCustomer}`], ['_confirm_kind', 'delete_customer'], ['intent', 'manual'], ['action', 'delete']])
		const page = (await call(confirm.loader, getPage(`/confirm?${qs}`, a.cookie))).data
		expect(page.action).toBe(`/reseller/customers/${aCustomer}`)
		expect(page.kind).toBe('delete_customer')
		expect(page.fields).toEqual([['intent', 'manual'], ['action', 'delete']])
		for (const to of ['https://evil.example/x', '//evil.example', '/confirm?x=1']) {
			const r = (await call(confirm.loader, getPage(`/confirm?_confirm_to=${encodeURIComponent(to)}&intent=x`, a.cookie))).data
			expect(r.action).toBe('/reseller')
		}
		expect((await call(confirm.loader, getPage('/confirm?_confirm_kind=<script>', a.cookie))).data.kind).toBeNull()
		// one form, two confirm buttons (disable, delete): the pressed button's question is asked
		const two = new URLSearchParams([['_confirm_to', '/reseller/customers/1'], ['_confirm_kind.action.disable', 'disable_customer'], ['_confirm_kind.action.delete', 'delete_customer'], ['intent', 'manual'], ['action', 'delete']])
		const asked = (await call(confirm.loader, getPage(`/confirm?${two}`, a.cookie))).data
		expect(asked.kind).toBe('delete_customer')
		expect(asked.fields).toEqual([['intent', 'manual'], ['action', 'delete']])
		const many = new URLSearchParams(Array.from({ length: 61 }, (_, i) => [`f${i}`, 'v']))
		expect((await call(confirm.loader, getPage(`/confirm?${many}`, a.cookie))).status).toBe(400)
		// signed out: to the login page
		expect((await call(confirm.loader, getPage(`/confirm?${qs}`))).status).toBe(302)
	})
})

describe('admin dashboard: customers by state, nodes today, queues', () => {
	test('counts customers (not logins), today\'s usage per node, stale checks and the held-usage queue', async () => {
		const admin = await createUser('admin')
		const cookie = (await createSession(admin.id, new Request(BASE))).split(';')[0]!
		await prisma.node.update({ where: { id: nodeA }, data: { health: 'ok', lastCheckAt: new Date(Date.now() - 2 * 3_600_000) } })
		await prisma.node.update({ where: { id: nodeB }, data: { health: 'ok', lastCheckAt: new Date() } })
		const sub = await prisma.subAccount.findFirstOrThrow({ where: { customerId: aCustomer, nodeId: nodeA } })
		await prisma.usageHold.create({ data: { subAccountId: sub.id, customerId: aCustomer, nodeId: nodeA, counterBefore: 0n, counterAfter: 10n, delta: 10n } })
		// the sync writes usage_half_hours with usage_daily (decision 026); today's per node is read from them
		const midnight = new Date(new Date().toISOString().slice(0, 10))
		await prisma.usageHalfHour.createMany({
			data: [
				{ nodeId: nodeA, slot: midnight, bytes: 300n },
				{ nodeId: nodeB, slot: midnight, bytes: 255n },
				{ nodeId: nodeB, slot: new Date(midnight.getTime() - 30 * 60_000), bytes: 999n }, // yesterday
			],
		})
		const f = (await call(adminHome.loader, getPage('/admin', cookie))).data
		// two live customers, B's expires within 3 days
		expect(f.customerStates).toMatchObject({ active: 2, expiringSoon: 1, limited: 0, disabled: 0 })
		expect(f.queues).toEqual({ payments: 0, holds: 1 })
		const na = f.nodes.find((n: { id: number }) => n.id === nodeA)
		const nb = f.nodes.find((n: { id: number }) => n.id === nodeB)
		expect(na.checkStale).toBe(true)
		expect(nb.checkStale).toBe(false)
		// today's usage (the detail test's usage_daily rows, as half hours): 300 (A) + 200 + 55 (B); yesterday is not today
		expect(typeof na.todayBytes).toBe('bigint')
		expect(na.todayBytes + nb.todayBytes).toBe(555n)
		// a reseller is not an admin
		expect((await call(adminHome.loader, getPage('/admin', a.cookie))).status).toBe(403)
	})
})

describe('admin: a reseller\'s ledger rows name their customer', () => {
	test('order rows name and link the customer of that reseller only; other rows name none', async () => {
		const admin = await createUser('admin')
		const cookie = (await createSession(admin.id, new Request(BASE))).split(';')[0]!
		const ledger = async (resellerId: number) => (await call(adminLedger.loader, getPage(`/admin/resellers/${resellerId}/ledger`, cookie), { id: String(resellerId) })).data
		const rows = (await ledger(a.reseller.id)).rows
		const charge = rows.find((r: { kind: string }) => r.kind === 'charge')
		expect(charge.customer).toEqual({ id: aCustomer, username: 'daily_a1' })
		expect(charge.orderKind).toBe('create')
		expect(rows.find((r: { kind: string }) => r.kind === 'adjustment_credit').customer).toBeNull()
		// B's ledger never names A's customer
		const bRows = (await ledger(b.reseller.id)).rows
		expect(bRows.some((r: { customer: { id: number } | null }) => r.customer?.id === bCustomer)).toBe(true)
		expect(bRows.every((r: { customer: { id: number } | null }) => r.customer === null || r.customer.id === bCustomer)).toBe(true)
		// a reseller cannot read it
		expect((await call(adminLedger.loader, getPage(`/admin/resellers/${a.reseller.id}/ledger`, a.cookie), { id: String(a.reseller.id) })).status).toBe(403)
	})
})
