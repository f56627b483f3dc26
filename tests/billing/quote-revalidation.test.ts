// Issue 8 §2: executing a quote re-validates everything it relied on, through the real routes.
// A quote taken, then the world moves (the customer, the reseller's prices, allocations, nodes,
// limits), then the confirm form is sent: 409 quote_stale with a fresh quote, nothing written.
// Refunds and dropped-node credits come from the ledger at execute, never past what was paid.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as detail from '~/routes/reseller+/customers.$id'
import * as wizard from '~/routes/reseller+/customers.new'
import { post } from '~/services/billing/ledger.server'
import { softDeleteNode } from '~/services/nodes.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'
import { balanceOf, call, confirmEntries, createThroughRoutes, formPost, getPage, latestOrder, resellerFixture, simNodes, snapshot, type ResellerOpts, type Sims } from '../reseller/fixtures'

let sims: Sims
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims)
})
afterAll(async () => {
	await sims.close()
})

type Fields = Record<string, string | string[]>

/** A funded reseller on three nodes and one customer (10 GB, 30 days) on Marzban + WGDashboard. */
async function withCustomer(opts: Partial<ResellerOpts> = {}) {
	const r = await resellerFixture({ nodeIds: [nodes.marzban, nodes.wgdashboard, nodes.marzneshin], funds: 1_000_000n, ...opts })
	const made = await createThroughRoutes(r.cookie, { nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)], gb: '10', days: '30' })
	expect(made.executed?.status).toBe(302)
	const customerId = made.customerId!
	return { ...r, customerId, path: `/reseller/customers/${customerId}`, params: { id: String(customerId) } }
}

type X = Awaited<ReturnType<typeof withCustomer>>

/** Step 1 and the confirm page of an operation, not yet confirmed. */
async function quoteOp(x: X, fields: Fields) {
	const quoted = await call(detail.action, formPost(x.path, { intent: 'quote', ...fields }, x.cookie), x.params)
	expect(quoted.status).toBe(302)
	return (await call(detail.loader, getPage(quoted.location!, x.cookie), x.params)).data
}

const confirm = (x: X, page: Parameters<typeof confirmEntries>[0]) => call(detail.action, formPost(x.path, confirmEntries(page), x.cookie), x.params)

/** The quote page of a create, not yet confirmed. */
async function quoteCreate(cookie: string, fields: Fields) {
	const quoted = await call(wizard.action, formPost('/reseller/customers/new', { intent: 'quote', ...fields }, cookie))
	expect(quoted.status).toBe(302)
	return (await call(wizard.loader, getPage(quoted.location!, cookie))).data
}

const confirmCreate = (cookie: string, page: Parameters<typeof confirmEntries>[0]) => call(wizard.action, formPost('/reseller/customers/new', confirmEntries(page), cookie))

/** Per customer: what his orders were charged and credited through the ledger. */
async function customerLedger(customerId: number) {
	const orders = await prisma.order.findMany({ where: { customerId }, select: { id: true } })
	const entries = await prisma.ledgerEntry.findMany({ where: { refType: 'order', refId: { in: orders.map((o) => String(o.id)) }, account: 'money' } })
	const charges = entries.filter((e) => e.amount < 0n).reduce((s, e) => s - e.amount, 0n)
	const credits = entries.filter((e) => e.amount > 0n).reduce((s, e) => s + e.amount, 0n)
	return { charges, credits, entries }
}

function expectStale(r: Awaited<ReturnType<typeof confirm>>) {
	expect(r.status).toBe(409)
	expect(r.data.code).toBe('quote_stale')
	expect(r.data.result.error[''][0]).toMatch(/changed since/)
}

describe('the customer changed since the quote', () => {
	test('a refund executed after an extend was quoted: the extend is stale, no fresh quote for a refunded customer, nothing charged', async () => {
		const x = await withCustomer()
		const extend = await quoteOp(x, { op: 'extend', days: '30' })
		const refund = await quoteOp(x, { op: 'refund' })
		const secondRefund = await quoteOp(x, { op: 'refund' })
		expect((await confirm(x, refund)).status).toBe(302)
		const before = await snapshot(x.reseller.id)
		const late = await confirm(x, extend)
		expectStale(late)
		expect(late.data.freshQuoteHref).toBeNull()
		// a second refund quoted before the first ran cannot credit again
		expectStale(await confirm(x, secondRefund))
		expect(await snapshot(x.reseller.id)).toEqual(before)
		const m = await customerLedger(x.customerId)
		expect(m.credits).toBeLessThanOrEqual(m.charges)
		expect(m.entries.filter((e) => e.kind === 'refund')).toHaveLength(1)
	})

	test('another operation executed since: stale with a fresh quote, which then executes', async () => {
		const x = await withCustomer()
		const extend = await quoteOp(x, { op: 'extend', days: '10' })
		const traffic = await quoteOp(x, { op: 'add_traffic', gb: '5' })
		expect((await confirm(x, extend)).status).toBe(302)
		const before = await snapshot(x.reseller.id)
		const late = await confirm(x, traffic)
		expectStale(late)
		expect(await snapshot(x.reseller.id)).toEqual(before)
		expect(late.data.freshQuoteHref).toMatch(new RegExp(`^${x.path}\\?quote=`))
		const fresh = (await call(detail.loader, getPage(late.data.freshQuoteHref, x.cookie), x.params)).data
		expect(fresh.quote.total).toBe(traffic.quote.total)
		expect((await confirm(x, fresh)).status).toBe(302)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: x.customerId } })).dataLimitBytes).toBe(15n * GB)
	})

	test.each([
		['enforcement limited him', (id: number) => prisma.customer.update({ where: { id }, data: { status: 'limited', disabledReason: 'quota' } })],
		['his expiry moved', (id: number) => prisma.customer.update({ where: { id }, data: { expireAt: new Date(Date.now() + 86_400_000) } })],
		['his limit moved', (id: number) => prisma.customer.update({ where: { id }, data: { dataLimitBytes: 3n * GB } })],
		['a node failed for him', (id: number) => prisma.subAccount.updateMany({ where: { customerId: id, nodeId: nodes.wgdashboard }, data: { state: 'failed' } })],
		['a node was added for him', (id: number) => prisma.subAccount.create({ data: { customerId: id, nodeId: nodes.marzneshin, remoteUsername: `x_${id}` } })],
	])('%s since: an add-traffic quote is stale', async (_, change) => {
		const x = await withCustomer()
		const traffic = await quoteOp(x, { op: 'add_traffic', gb: '5' })
		await change(x.customerId)
		const before = await snapshot(x.reseller.id)
		expectStale(await confirm(x, traffic))
		expect(await snapshot(x.reseller.id)).toEqual(before)
	})

	test('usage synced since does not make a charge stale (usage is not a priced fact)', async () => {
		const x = await withCustomer()
		const extend = await quoteOp(x, { op: 'extend', days: '10' })
		await prisma.customer.update({ where: { id: x.customerId }, data: { usedBytes: 2n * GB } })
		expect((await confirm(x, extend)).status).toBe(302)
	})

	test('a customer deleted since: 404, nothing charged', async () => {
		const x = await withCustomer()
		const extend = await quoteOp(x, { op: 'extend', days: '10' })
		expect((await call(detail.action, formPost(x.path, { intent: 'manual', action: 'delete' }, x.cookie), x.params)).status).toBe(302)
		const before = await snapshot(x.reseller.id)
		expect((await confirm(x, extend)).status).toBe(404)
		expect(await snapshot(x.reseller.id)).toEqual(before)
	})
})

describe('the reseller changed since the quote', () => {
	const create = { nodeIds: [] as string[], gb: '10', days: '30', username: '' }
	test.each([
		['his GB price', (r: { id: number }) => prisma.reseller.update({ where: { id: r.id }, data: { pricePerGb: 50n } })],
		['his day price', (r: { id: number }) => prisma.reseller.update({ where: { id: r.id }, data: { pricePerDay: 1n } })],
		['his pricing mode', (r: { id: number }) => prisma.reseller.update({ where: { id: r.id }, data: { pricingMode: 'bundle' } })],
		['his funding model', (r: { id: number }) => prisma.reseller.update({ where: { id: r.id }, data: { fundingModel: 'pool' } })],
		['his GB limit', (r: { id: number }) => prisma.reseller.update({ where: { id: r.id }, data: { maxGb: 5 } })],
		['a per-node price', (r: { id: number }) => prisma.nodeAllocation.updateMany({ where: { resellerId: r.id, nodeId: nodes.marzban }, data: { pricePerGb: 7n } })],
		['an allocation removed', (r: { id: number }) => prisma.nodeAllocation.deleteMany({ where: { resellerId: r.id, nodeId: nodes.marzban } })],
	])('%s changed: a create quote is stale, nothing written', async (_, change) => {
		const r = await resellerFixture({ nodeIds: [nodes.marzban, nodes.wgdashboard], funds: 1_000_000n })
		const page = await quoteCreate(r.cookie, { ...create, nodeIds: [String(nodes.marzban)], username: `u${Date.now() % 100000}` })
		await change(r.reseller)
		const before = await snapshot(r.reseller.id)
		const late = await confirmCreate(r.cookie, page)
		expect(late.status).toBe(409)
		expect(late.data.code).toBe('quote_stale')
		expect(await snapshot(r.reseller.id)).toEqual(before)
	})

	test('a node soft-deleted since: the quote is stale, nothing written', async () => {
		const admin = await createUser('admin')
		const { simNodes: fresh } = await import('./fixtures')
		const own = await fresh(sims, admin.id)
		const r = await resellerFixture({ nodeIds: [own.marzban], funds: 1_000_000n })
		const page = await quoteCreate(r.cookie, { ...create, nodeIds: [String(own.marzban)], username: 'softdel' })
		await softDeleteNode(own.marzban, admin.id)
		const before = await snapshot(r.reseller.id)
		expect((await confirmCreate(r.cookie, page)).status).toBe(409)
		expect(await snapshot(r.reseller.id)).toEqual(before)
	})

	test('an unchanged reseller and customer execute exactly the quote', async () => {
		const r = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const page = await quoteCreate(r.cookie, { ...create, nodeIds: [String(nodes.marzban)], username: 'steady' })
		const before = await balanceOf(r.reseller.id)
		expect((await confirmCreate(r.cookie, page)).status).toBe(302)
		expect(await balanceOf(r.reseller.id)).toBe(before - page.quote.total)
	})
})

describe('refunds come from the ledger at execute', () => {
	test('usage since the quote lowers the refund: the present remaining GB is refunded, never the quoted one', async () => {
		const x = await withCustomer()
		const refund = await quoteOp(x, { op: 'refund' })
		expect(refund.quote.total).toBe(-2000n) // 10 GB × 100 × 2 nodes, nothing used
		await prisma.customer.update({ where: { id: x.customerId }, data: { usedBytes: 5n * GB } })
		const before = await balanceOf(x.reseller.id)
		expect((await confirm(x, refund)).status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(before + 1000n)
		expect((await latestOrder(x.customerId)).amount).toBe(-1000n)
	})

	test('after a failed node was reversed, the refund holds only what is still paid: credits never pass charges', async () => {
		const x = await withCustomer()
		const order = await latestOrder(x.customerId)
		// the WGDashboard node failed for good: its share (traffic 1000 + days 150) went back
		await prisma.$transaction((tx) => post(tx, { resellerId: x.reseller.id, account: 'money', amount: 1150n, kind: 'reversal', refType: 'order', refId: order.id, idempotencyKey: randomUUID() }))
		const refund = await quoteOp(x, { op: 'refund' })
		expect((await confirm(x, refund)).status).toBe(302)
		const m = await customerLedger(x.customerId)
		expect(m.charges).toBe(2300n)
		expect(m.credits).toBeLessThanOrEqual(m.charges)
		// traffic paid 2000 − 1150 already credited = 850 still held for traffic
		expect(m.credits).toBe(1150n + 850n)
	})

	test('a plan refunds only its traffic part: the price is split at purchase and recorded on the order', async () => {
		const r = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const plan = await prisma.plan.create({ data: { name: 'P10', days: 30, dataLimitBytes: 10n * GB, publicPrice: 2000n, resellerPrice: 1300n } })
		const made = await createThroughRoutes(r.cookie, { nodeIds: [String(nodes.marzban)], planId: String(plan.id), username: 'planner' })
		expect(made.executed?.status).toBe(302)
		// weights from his own prices: 10 GB × 100 = 1000 for traffic, 30 d × 10 = 300 for time
		expect(await latestOrder(made.customerId!)).toMatchObject({ amount: 1300n, trafficAmount: 1000n, timeAmount: 300n })
		const x = { ...r, customerId: made.customerId!, path: `/reseller/customers/${made.customerId}`, params: { id: String(made.customerId) } }
		const refund = await quoteOp(x, { op: 'refund' })
		expect(refund.quote.total).toBe(-1000n)
	})
})

describe('change nodes', () => {
	test('the same nodes again is refused: nothing to change', async () => {
		const x = await withCustomer()
		const r = await call(detail.action, formPost(x.path, { intent: 'quote', op: 'change_nodes', nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)] }, x.cookie), x.params)
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('nothing_to_change')
	})

	test('bundle: dropping a node and adding it back cannot earn money', async () => {
		const x = await withCustomer({ pricingMode: 'bundle' })
		const start = await balanceOf(x.reseller.id)
		const drop = await quoteOp(x, { op: 'change_nodes', nodeIds: [String(nodes.marzban)] })
		expect((await confirm(x, drop)).status).toBe(302)
		const readd = await quoteOp(x, { op: 'change_nodes', nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)] })
		expect((await confirm(x, readd)).status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(start)
		const m = await customerLedger(x.customerId)
		expect(m.credits).toBe(0n)
	})

	test('per node: a drop credit is computed at execute from the present usage', async () => {
		const x = await withCustomer()
		const drop = await quoteOp(x, { op: 'change_nodes', nodeIds: [String(nodes.marzban)] })
		expect(drop.quote.total).toBe(-1000n)
		await prisma.customer.update({ where: { id: x.customerId }, data: { usedBytes: 8n * GB } })
		const before = await balanceOf(x.reseller.id)
		expect((await confirm(x, drop)).status).toBe(302)
		expect(await balanceOf(x.reseller.id)).toBe(before + 200n)
	})
})

describe('idempotency keys are scoped to the reseller and the quote', () => {
	test("replaying another reseller's quote and key returns nothing of his", async () => {
		const a = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const b = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const page = await quoteCreate(a.cookie, { nodeIds: [String(nodes.marzban)], gb: '1', days: '1', username: 'alpha' })
		const done = await confirmCreate(a.cookie, page)
		expect(done.status).toBe(302)
		const replay = await confirmCreate(b.cookie, page)
		expect(replay.status).toBe(404)
		expect(replay.location).toBeNull()
	})

	test("a finished submit is found before any transaction: the SQL key is orderKey's", async () => {
		const { ownerAndOrder, orderKey } = await import('~/services/billing/execute-sql.server')
		const a = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const page = await quoteCreate(a.cookie, { nodeIds: [String(nodes.marzban)], gb: '1', days: '1', username: 'fastpath' })
		expect((await confirmCreate(a.cookie, page)).status).toBe(302)
		const order = await prisma.order.findFirstOrThrow({ where: { resellerId: a.reseller.id } })
		expect(order.idempotencyKey).toBe(orderKey(a.reseller.id, page.quote.id, page.idempotencyKey))
		expect(await ownerAndOrder(a.user.id, page.quote.id, page.idempotencyKey)).toMatchObject({ id: a.reseller.id, order_id: order.id })
	})

	test('the key of an executed quote sent with another quote executes that quote, not the first', async () => {
		const a = await resellerFixture({ nodeIds: [nodes.marzban], funds: 1_000_000n })
		const first = await quoteCreate(a.cookie, { nodeIds: [String(nodes.marzban)], gb: '1', days: '1', username: 'first' })
		const second = await quoteCreate(a.cookie, { nodeIds: [String(nodes.marzban)], gb: '1', days: '1', username: 'second' })
		const one = await confirmCreate(a.cookie, first)
		const two = await confirmCreate(a.cookie, { ...second, idempotencyKey: first.idempotencyKey })
		expect(one.status).toBe(302)
		expect(two.status).toBe(302)
		expect(two.location).not.toBe(one.location)
		expect(await prisma.quote.findUniqueOrThrow({ where: { id: second.quote.id } })).toMatchObject({ usedAt: expect.any(Date) })
		expect(await prisma.customer.count({ where: { resellerId: a.reseller.id } })).toBe(2)
	})
})
