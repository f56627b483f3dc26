// The detail page's operations through the routes — extend, add traffic, change nodes, refund
// (quote → confirm → execute) and disable / enable / delete — with the worker job run against the
// simulators; bad inputs, foreign ids and rule 1 refused with nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as detail from '~/routes/reseller+/customers.$id'
import * as wg from '~/routes/reseller+/customers.$id.wg.$nodeId'
import { reconcileCustomer } from '~/services/provisioning.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { startAllSims } from '../../sim/start-all'
import { balanceOf, call, confirmEntries, createThroughRoutes, formPost, fund, getPage, latestOrder, operateThroughRoutes, resellerFixture, simNodes, snapshot, type Sims } from './fixtures'

let sims: Sims
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims)
})
afterAll(async () => {
	await sims.close()
})

const DAY = 24 * 60 * 60_000

/** A reseller and one customer on Marzban + WGDashboard (10 GB, 30 days), provisioned. */
async function provisioned(funds = 1_000_000n) {
	const r = await resellerFixture({ nodeIds: [nodes.marzban, nodes.wgdashboard, nodes.marzneshin], funds })
	const { customerId } = await createThroughRoutes(r.cookie, { nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)], gb: '10', days: '30' })
	await reconcileCustomer(customerId!, (await latestOrder(customerId!)).id)
	const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId! } })
	return { ...r, customerId: customerId!, remote: `${c.username}_g${c.id}`, path: `/reseller/customers/${customerId}`, params: { id: String(customerId) } }
}

async function runJob(customerId: number) {
	await reconcileCustomer(customerId, (await latestOrder(customerId)).id)
}

describe('priced operations', () => {
	test('extend: quote of the days only, charged exactly, expiry moved on the panel', async () => {
		const x = await provisioned()
		const before = await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })
		const balance = await balanceOf(x.reseller.id)
		const { quoted, page, executed } = await operateThroughRoutes(x.cookie, x.customerId, { op: 'extend', days: '30' })
		expect(quoted.status).toBe(302)
		expect(quoted.location).toMatch(new RegExp(`^${x.path}\\?quote=`))
		expect(page!.data.quote.items.map((i: { key: string }) => i.key)).toEqual(['quote.item.days'])
		expect(page!.data.quote.total).toBe(300n)
		expect(executed!.status).toBe(302)
		expect(executed!.location).toBe(x.path)
		expect(await balanceOf(x.reseller.id)).toBe(balance - 300n)
		const after = await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })
		expect(after.expireAt.getTime() - before.expireAt.getTime()).toBe(30 * DAY)
		await runJob(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)!.expire).toBe(Math.floor(after.expireAt.getTime() / 1000))
		expect((await latestOrder(x.customerId)).status).toBe('completed')
		const events = (await call(detail.loader, getPage(x.path, x.cookie), x.params)).data.events.map((e: { kind: string }) => e.kind)
		expect(events).toEqual(['extend', 'created'])
	})

	test('add traffic: per node, the limit grows on the panel', async () => {
		const x = await provisioned()
		const balance = await balanceOf(x.reseller.id)
		const { page, executed } = await operateThroughRoutes(x.cookie, x.customerId, { op: 'add_traffic', gb: '5' })
		expect(page!.data.quote.total).toBe(5n * 100n * 2n)
		expect(executed!.status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(balance - 1000n)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).dataLimitBytes).toBe(15n * GB)
		await runJob(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)!.dataLimit).toBe(Number(15n * GB))
	})

	test('change nodes: the new node is created, the dropped one removed, the difference charged or credited', async () => {
		const x = await provisioned()
		const balance = await balanceOf(x.reseller.id)
		const { page, executed } = await operateThroughRoutes(x.cookie, x.customerId, { op: 'change_nodes', nodeIds: [String(nodes.marzban), String(nodes.marzneshin)] })
		const q = page!.data.quote
		expect(q.items.map((i: { key: string }) => i.key)).toEqual(['quote.item.traffic_node', 'quote.item.node_credit'])
		expect(q.items[1].values.nodeId).toBe('Sim WG') // the credit line names the node
		expect(q.items[1].amount < 0n).toBe(true)
		expect(executed!.status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(balance - q.total)
		await runJob(x.customerId)
		expect(sims.marzneshin.state.users.get(x.remote)).toBeTruthy()
		expect([...sims.wgdashboard.state.peers.values()].some((p) => p.name.split(' ')[0] === x.remote)).toBe(false)
		const subs = await prisma.subAccount.findMany({ where: { customerId: x.customerId }, orderBy: { nodeId: 'asc' } })
		expect(subs.map((s) => [s.nodeId, s.state])).toEqual([[nodes.marzban, 'active'], [nodes.wgdashboard, 'removed'], [nodes.marzneshin, 'active']])
		// the form offers the current nodes checked
		const d = await call(detail.loader, getPage(x.path, x.cookie), x.params)
		expect(d.data.subAccounts.find((s: { nodeId: number }) => s.nodeId === nodes.wgdashboard).state).toBe('removed')
	})

	test('refund: the quote shows the refundable amount; confirming credits it and disables the accounts', async () => {
		const x = await provisioned()
		sims.marzban.control.addTraffic({ [x.remote]: Number(4n * GB) })
		await prisma.customer.update({ where: { id: x.customerId }, data: { usedBytes: 4n * GB } })
		const balance = await balanceOf(x.reseller.id)
		const { page, executed } = await operateThroughRoutes(x.cookie, x.customerId, { op: 'refund' })
		const q = page!.data.quote
		expect(q.kind).toBe('refund')
		expect(q.items).toHaveLength(1)
		expect(q.items[0]).toMatchObject({ key: 'quote.item.refund', values: { gb: 6 } })
		expect(q.total).toBe(-(2000n * 6n) / 10n) // 6 of the 10 GB bought, at the price paid for traffic
		expect(executed!.status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(balance + 1200n)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).status).toBe('refunded')
		await runJob(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)!.status).toBe('disabled')
		// no second refund, no operations on a refunded customer
		const again = await call(detail.action, formPost(x.path, { intent: 'quote', op: 'refund' }, x.cookie), x.params)
		expect(again.status).toBe(404)
		expect(again.data.code).toBe('not_found')
	})

	test('refund after 10 days → 400 refund_window_over', async () => {
		const x = await provisioned()
		await prisma.customer.update({ where: { id: x.customerId }, data: { purchasedAt: new Date(Date.now() - 11 * DAY) } })
		const r = await call(detail.action, formPost(x.path, { intent: 'quote', op: 'refund' }, x.cookie), x.params)
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('refund_window_over')
		expect(r.data.op).toBe('refund')
	})

	test('an expired operation quote → 400, nothing written', async () => {
		const x = await provisioned()
		const quoted = await call(detail.action, formPost(x.path, { intent: 'quote', op: 'extend', days: '7' }, x.cookie), x.params)
		const page = await call(detail.loader, getPage(quoted.location!, x.cookie), x.params)
		await prisma.quote.update({ where: { id: page.data.quote.id }, data: { expiresAt: new Date(Date.now() - 1) } })
		const before = await snapshot(x.reseller.id)
		const r = await call(detail.action, formPost(quoted.location!, confirmEntries(page.data), x.cookie), x.params)
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('quote_expired')
		expect(await snapshot(x.reseller.id)).toEqual(before)
	})
})

describe('manual actions', () => {
	test('disable → enable → delete, each followed on the panel', async () => {
		const x = await provisioned()
		const manual = (action: string) => call(detail.action, formPost(x.path, { intent: 'manual', action }, x.cookie), x.params)
		const disabled = await manual('disable')
		expect(disabled.status).toBe(302)
		expect(disabled.location).toBe(x.path)
		expect(await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).toMatchObject({ status: 'disabled', disabledReason: 'manual' })
		await reconcileCustomer(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)!.status).toBe('disabled')
		expect((await manual('disable')).data.code).toBe('invalid_state')

		expect((await manual('enable')).status).toBe(302)
		await reconcileCustomer(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)!.status).toBe('active')

		const deleted = await manual('delete')
		expect(deleted.location).toBe('/reseller/customers')
		await reconcileCustomer(x.customerId)
		expect(sims.marzban.state.users.get(x.remote)).toBeUndefined()
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).status).toBe('deleted')
		// the page still opens (history), without links, subscription or operations
		const d = await call(detail.loader, getPage(x.path, x.cookie), x.params)
		expect(d.data.subscription).toBeNull()
		expect(d.data.events.map((e: { kind: string }) => e.kind).slice(0, 3)).toEqual(['deleted', 'manual_enabled', 'manual_disabled'])
	})

	test('an unknown manual action → 400', async () => {
		const x = await provisioned()
		const r = await call(detail.action, formPost(x.path, { intent: 'manual', action: 'explode' }, x.cookie), x.params)
		expect(r.status).toBe(400)
	})
})

describe('refusals write nothing', () => {
	test.each([
		['extend 0 days', { op: 'extend', days: '0' }, 'errors.positive'],
		['extend -3 days', { op: 'extend', days: '-3' }, 'errors.positive'],
		['extend "soon"', { op: 'extend', days: 'soon' }, 'errors.number'],
		['add -1 GB', { op: 'add_traffic', gb: '-1' }, 'errors.positive'],
		['add 0 GB', { op: 'add_traffic', gb: '0' }, 'errors.positive'],
		['add "lots" GB', { op: 'add_traffic', gb: 'lots' }, 'errors.number'],
		['change to no node', { op: 'change_nodes' }, 'customers.errors.nodes'],
		['an unknown operation', { op: 'teleport' }, ''],
	])('%s → 400', async (_n, fields, message) => {
		const x = await provisioned()
		const before = await snapshot(x.reseller.id)
		const r = await call(detail.action, formPost(x.path, { intent: 'quote', ...fields }, x.cookie), x.params)
		expect(r.status).toBe(400)
		expect(JSON.stringify(r.data.result)).toContain(message)
		expect(await snapshot(x.reseller.id)).toEqual(before)
		expect(await prisma.quote.count({ where: { resellerId: x.reseller.id, kind: { not: 'create' } } })).toBe(0)
	})

	test('change to a node not allocated to him → 400 node_not_allocated', async () => {
		const x = await provisioned()
		const other = await prisma.node.create({ data: { name: 'not his', kind: 'marzban', secrets: 'x' } })
		const before = await snapshot(x.reseller.id)
		const r = await call(detail.action, formPost(x.path, { intent: 'quote', op: 'change_nodes', nodeIds: [String(nodes.marzban), String(other.id)] }, x.cookie), x.params)
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('node_not_allocated')
		expect(r.data.result.error['']).toEqual(['Choose only nodes allocated to you.'])
		expect(await snapshot(x.reseller.id)).toEqual(before)
	})

	test('rule 1: with nothing available, every operation is refused with a clear message', async () => {
		const x = await provisioned()
		await fund(x.reseller.id, -(await balanceOf(x.reseller.id)))
		const before = await snapshot(x.reseller.id)
		for (const fields of [{ intent: 'quote', op: 'extend', days: '1' }, { intent: 'quote', op: 'add_traffic', gb: '1' }, { intent: 'quote', op: 'refund' }, { intent: 'manual', action: 'disable' }]) {
			const r = await call(detail.action, formPost(x.path, fields, x.cookie), x.params)
			expect(r.status).toBe(400)
			expect(r.data.code).toBe('blocked_zero_balance')
		}
		expect(await snapshot(x.reseller.id)).toEqual(before)
		// viewing still works
		expect((await call(detail.loader, getPage(x.path, x.cookie), x.params)).status).toBe(200)
	})

	test("another reseller's customer is a 404 for every loader and action; nothing changes", async () => {
		const x = await provisioned()
		const intruder = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const before = await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })
		expect((await call(detail.loader, getPage(x.path, intruder.cookie), x.params)).status).toBe(404)
		for (const fields of [{ intent: 'quote', op: 'extend', days: '1' }, { intent: 'manual', action: 'delete' }, { intent: 'execute', op: 'extend', days: '1', quoteId: 'aaaaaaaaaa', idempotencyKey: 'bbbbbbbbbbbbbbbbbbbb' }]) {
			expect((await call(detail.action, formPost(x.path, fields, intruder.cookie), x.params)).status).toBe(404)
		}
		const wgParams = { id: String(x.customerId), nodeId: String(nodes.wgdashboard) }
		expect((await call(wg.loader, getPage(`${x.path}/wg/${nodes.wgdashboard}`, x.cookie), wgParams)).status).toBe(200)
		expect((await call(wg.loader, getPage(`${x.path}/wg/${nodes.wgdashboard}`, intruder.cookie), wgParams)).status).toBe(404)
		expect(await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).toEqual(before)
		expect(await snapshot(intruder.reseller.id)).toMatchObject({ orders: 0, customers: 0 })
		// a malformed or unknown id is a 404 too
		expect((await call(detail.loader, getPage('/reseller/customers/abc', x.cookie), { id: 'abc' })).status).toBe(404)
		expect((await call(detail.loader, getPage('/reseller/customers/999999', x.cookie), { id: '999999' })).status).toBe(404)
	})

	test("a quote of another customer is not shown on this customer's page", async () => {
		const x = await provisioned()
		const { customerId: second } = await createThroughRoutes(x.cookie, { nodeIds: String(nodes.marzban), gb: '1', days: '1' })
		const quoted = await call(detail.action, formPost(`/reseller/customers/${second}`, { intent: 'quote', op: 'extend', days: '1' }, x.cookie), { id: String(second) })
		const url = quoted.location!.replace(`/reseller/customers/${second}`, x.path)
		expect((await call(detail.loader, getPage(url, x.cookie), x.params)).data.quote).toBeNull()
	})
})
