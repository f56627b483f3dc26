// The create wizard through its routes (quote → confirm → execute), the worker job against the
// simulators, and every refusal: bad input, rules 1–2, foreign or expired quotes, funds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as detail from '~/routes/reseller+/customers.$id'
import * as wg from '~/routes/reseller+/customers.$id.wg.$nodeId'
import * as wizard from '~/routes/reseller+/customers.new'
import { reconcileCustomer } from '~/services/provisioning.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { startAllSims } from '../../sim/start-all'
import { balanceOf, billingMessage, call, confirmEntries, createThroughRoutes, formPost, fund, getPage, latestOrder, resellerFixture, simNodes, snapshot, type Sims } from './fixtures'

let sims: Sims
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims)
})
afterAll(async () => {
	await sims.close()
})

const funded = (extra: Partial<Parameters<typeof resellerFixture>[0]> = {}) => resellerFixture({ nodeIds: [nodes.marzban, nodes.wgdashboard, nodes.marzneshin], funds: 1_000_000n, ...extra })

describe('create wizard: happy path', () => {
	test('quote → confirm → charged exactly the quote → worker creates both accounts; links, QR, WG file, /sub', async () => {
		const { reseller, cookie } = await funded()
		const before = await balanceOf(reseller.id)
		const { quoted, page, executed, customerId } = await createThroughRoutes(cookie, { nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)], gb: '10', days: '30', username: 'Alice_1', note: 'vip' })
		expect(quoted.status).toBe(302)
		expect(quoted.location).toMatch(/^\/reseller\/customers\/new\?quote=[\w-]+&key=[\w-]{16,}$/)
		// the quote page: itemised per node and per day, a total, an expiry
		const q = page!.data.quote
		expect(q.items.map((i: { key: string }) => i.key)).toEqual(['quote.item.traffic_node', 'quote.item.traffic_node', 'quote.item.days'])
		expect(q.total).toBe(10n * 100n * 2n + 30n * 10n)
		expect(q.inputs).toMatchObject({ kind: 'create', username: 'alice_1', note: 'vip' })
		expect(new Date(q.expiresAt).getTime()).toBeGreaterThan(Date.now())
		expect(executed!.status).toBe(302)
		expect(executed!.response!.headers.get('Set-Cookie')).toContain('toast=')
		expect(customerId).toBeTruthy()
		expect(await balanceOf(reseller.id)).toBe(before - q.total)

		const customer = await prisma.customer.findUniqueOrThrow({ where: { id: customerId! }, include: { subAccounts: true } })
		expect(customer).toMatchObject({ resellerId: reseller.id, username: 'alice_1', note: 'vip', dataLimitBytes: 10n * GB, status: 'active' })
		expect(customer.subAccounts.map((s) => s.state)).toEqual(['pending', 'pending'])
		const order = await latestOrder(customerId!)
		expect(order).toMatchObject({ status: 'queued', amount: q.total, kind: 'create' })

		// before the job: the detail page says queued and asks to be polled
		const params = { id: String(customerId) }
		const queued = await call(detail.loader, getPage(`/reseller/customers/${customerId}`, cookie), params)
		expect(queued.data.latestOrder.status).toBe('queued')
		expect(queued.data.settling).toBe(true)

		await reconcileCustomer(customerId!, order.id)
		const remote = `alice_1_g${customerId}`
		const m = sims.marzban.state.users.get(remote)!
		expect(m.dataLimit).toBe(Number(10n * GB))
		expect(Math.abs(m.expire! - customer.expireAt.getTime() / 1000)).toBeLessThan(2)
		expect([...sims.wgdashboard.state.peers.values()].some((p) => p.name.split(' ')[0] === remote)).toBe(true)
		expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('completed')

		const page2 = await call(detail.loader, getPage(`/reseller/customers/${customerId}`, cookie), params)
		expect(page2.data.settling).toBe(false)
		expect(page2.data.latestOrder.status).toBe('completed')
		const mSub = page2.data.subAccounts.find((s: { nodeId: number }) => s.nodeId === nodes.marzban)
		expect(mSub.state).toBe('active')
		expect(mSub.links.length).toBeGreaterThan(0)
		expect(mSub.links[0].url).toMatch(/^(vless|vmess|trojan|ss):\/\//)
		expect(mSub.links[0].qr).toMatch(/^data:image\/svg\+xml;base64,/)
		const wSub = page2.data.subAccounts.find((s: { nodeId: number }) => s.nodeId === nodes.wgdashboard)
		expect(wSub.wireguard.fileName).toBeTruthy()
		expect(page2.data.subscription.url).toBe(`http://localhost/sub/${customer.subToken}`)
		expect(page2.data.subscription.qr).toMatch(/^data:image\/svg\+xml/)
		expect(page2.data.events.map((e: { kind: string }) => e.kind)).toContain('created')
		// the sealed ref (a WireGuard private key for some panels) never reaches the page
		const json = JSON.stringify(page2.data, (_k, v) => (typeof v === 'bigint' ? String(v) : v))
		expect(json).not.toMatch(/"ref"|v1\.[0-9a-f]{8}\./)

		const file = await call(wg.loader, getPage(`/reseller/customers/${customerId}/wg/${nodes.wgdashboard}`, cookie), { id: String(customerId), nodeId: String(nodes.wgdashboard) })
		expect(file.status).toBe(200)
		expect(file.response!.headers.get('Content-Type')).toMatch(/^text\/plain/)
		expect(file.response!.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".+\.conf"$/)
		const conf = await file.response!.text()
		expect(conf).toContain('[Interface]')
		expect(conf).toContain('PrivateKey')
		// a node without a WireGuard file → 404
		const none = await call(wg.loader, getPage(`/reseller/customers/${customerId}/wg/${nodes.marzban}`, cookie), { id: String(customerId), nodeId: String(nodes.marzban) })
		expect(none.status).toBe(404)
	})

	test('a blank username is generated; Persian digits are accepted; a plan-less create needs GB and days', async () => {
		const { cookie } = await funded()
		const { customerId } = await createThroughRoutes(cookie, { nodeIds: String(nodes.marzban), gb: '۵', days: '۳۰', username: '' })
		const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId! } })
		expect(c.username).toMatch(/^u[a-z0-9]{6}$/)
		expect(c.dataLimitBytes).toBe(5n * GB)
	})

	test('a double submit of the confirm form creates and charges once', async () => {
		const { reseller, cookie } = await funded()
		const quoted = await call(wizard.action, formPost('/reseller/customers/new', { intent: 'quote', nodeIds: String(nodes.marzban), gb: '1', days: '1', username: 'twice' }, cookie))
		const page = await call(wizard.loader, getPage(quoted.location!, cookie))
		const fields = confirmEntries(page.data)
		const [a, b] = await Promise.all([call(wizard.action, formPost(quoted.location!, fields, cookie)), call(wizard.action, formPost(quoted.location!, fields, cookie))])
		expect(a.status).toBe(302)
		expect(b.status).toBe(302)
		expect(a.location).toBe(b.location)
		const s = await snapshot(reseller.id)
		expect(s.customers).toBe(1)
		expect(s.orders).toBe(1)
		expect(s.balance).toBe(1_000_000n - 110n)
		// the page of a used quote links to its customer
		const again = await call(wizard.loader, getPage(quoted.location!, cookie))
		expect(again.data.quote.used).toBe(true)
		expect(`/reseller/customers/${again.data.quote.customerId}`).toBe(a.location)
	})
})

describe('create wizard: plans and traffic pools', () => {
	test('a plan in his currency is offered and priced at its reseller price', async () => {
		const plan = await prisma.plan.create({ data: { name: 'Gold', days: 30, dataLimitBytes: 50n * GB, publicPrice: 900n, resellerPrice: 700n, currency: 'USD' } })
		const euro = await prisma.plan.create({ data: { name: 'Euro', days: 30, dataLimitBytes: GB, publicPrice: 1n, resellerPrice: 1n, currency: 'EUR' } })
		const { reseller, cookie } = await funded()
		const form = await call(wizard.loader, getPage('/reseller/customers/new', cookie))
		expect(form.data.plans.map((p: { id: number }) => p.id)).toContain(plan.id)
		expect(form.data.plans.map((p: { id: number }) => p.id)).not.toContain(euro.id)
		const { page, customerId } = await createThroughRoutes(cookie, { planId: String(plan.id), nodeIds: [String(nodes.marzban), String(nodes.marzneshin)], gb: '', days: '' })
		expect(page!.data.quote.items).toEqual([{ key: 'quote.item.plan', values: { plan: 'Gold', days: 30, gb: 50 }, amount: 700n, bytes: 50n * GB }])
		expect(await balanceOf(reseller.id)).toBe(1_000_000n - 700n)
		const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId! } })
		expect(c.dataLimitBytes).toBe(50n * GB)
		expect(Math.round((c.expireAt.getTime() - Date.now()) / 86_400_000)).toBe(30)
		// "change" brings the form back with what was chosen
		const again = await call(wizard.loader, getPage(`/reseller/customers/new?from=${page!.data.quote.id}`, cookie))
		expect(again.data.quote).toBeNull()
		expect(again.data.defaults).toMatchObject({ planId: String(plan.id), nodeIds: [String(nodes.marzban), String(nodes.marzneshin)] })
	})

	test('a pool reseller pays nothing in money: the quote shows the pool traffic', async () => {
		const { reseller, cookie } = await resellerFixture({ nodeIds: [nodes.marzban], fundingModel: 'pool', poolBytes: 100n * GB })
		const { page, executed, customerId } = await createThroughRoutes(cookie, { nodeIds: String(nodes.marzban), gb: '20', days: '30' })
		expect(page!.data.quote.items.map((i: { key: string }) => i.key)).toEqual(['quote.item.pool_traffic', 'quote.item.days'])
		expect(page!.data.quote.total).toBe(0n)
		expect(page!.data.available).toBeNull()
		expect(executed!.status).toBe(302)
		expect(customerId).toBeTruthy()
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, account: 'money' } })).toBe(0)
	})

	test.each([
		['an empty pool', { poolBytes: 0n }, 'pool_exhausted'],
		['a pool outside its window', { poolBytes: 10n * GB, windowEnd: new Date(Date.now() - 60_000) }, 'pool_window_closed'],
	] as const)('%s → 400 %s', async (_n, opts, code) => {
		const { reseller, cookie } = await resellerFixture({ nodeIds: [nodes.marzban], fundingModel: 'pool', poolBytes: opts.poolBytes })
		if ('windowEnd' in opts) await prisma.reseller.update({ where: { id: reseller.id }, data: { poolWindowEnd: opts.windowEnd } })
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost('/reseller/customers/new', { intent: 'quote', nodeIds: String(nodes.marzban), gb: '1', days: '1' }, cookie))
		expect(r.status).toBe(400)
		expect(r.data.code).toBe(code)
		expect(await snapshot(reseller.id)).toEqual(before)
	})
})

describe('create wizard: refusals write nothing', () => {
	const base = () => ({ intent: 'quote', nodeIds: String(nodes.marzban), gb: '10', days: '30' })
	test.each([
		['no node', { nodeIds: [] as string[] }, 'customers.errors.nodes'],
		['negative GB', { gb: '-5' }, 'errors.positive'],
		['zero days', { days: '0' }, 'errors.positive'],
		['non-numeric GB', { gb: 'ten' }, 'errors.number'],
		['fractional days', { days: '1.5' }, 'errors.integer'],
		['huge GB', { gb: '99999999' }, 'errors.tooLong'],
		['missing days', { days: '' }, 'errors.required'],
		['bad username', { username: 'a!' }, 'customers.errors.username'],
		['long username', { username: 'x'.repeat(21) }, 'customers.errors.username'],
		['non-numeric node', { nodeIds: 'abc' }, 'errors.number'],
	])('%s → 400 %s', async (_n, patch, message) => {
		const { reseller, cookie } = await funded()
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost('/reseller/customers/new', { ...base(), ...patch }, cookie))
		expect(r.status).toBe(400)
		expect(JSON.stringify(r.data.result)).toContain(message)
		expect(await snapshot(reseller.id)).toEqual(before)
		expect(await prisma.quote.count({ where: { resellerId: reseller.id } })).toBe(0)
	})

	test.each([
		['a node not allocated to him', () => ({ nodeIds: [String(nodes.marzban), String(nodes.marzneshin)] }), { nodeIds: () => [nodes.marzban, nodes.wgdashboard] }, 'node_not_allocated'],
		['an unknown node', () => ({ nodeIds: '999999' }), {}, 'node_not_allocated'],
		['zero balance (rule 1)', () => ({}), { funds: 0n }, 'blocked_zero_balance'],
		['a traffic limit', () => ({ gb: '500' }), { maxGb: 100 }, 'limit_gb'],
	] as const)('%s → 400 with the translated message, nothing written', async (_n, patch, opts, code) => {
		const { nodeIds, ...rest } = opts as { nodeIds?: () => number[]; funds?: bigint; maxGb?: number }
		const { reseller, cookie } = await funded({ ...rest, ...(nodeIds ? { nodeIds: nodeIds() } : {}) })
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost('/reseller/customers/new', { ...base(), ...patch() }, cookie))
		expect(r.status).toBe(400)
		expect(r.data.code).toBe(code)
		if (code !== 'limit_gb') expect(r.data.result.error['']).toEqual([await billingMessage(code)])
		else expect(r.data.result.error[''][0]).toMatch(/between 1 and 100 GB/)
		expect(await snapshot(reseller.id)).toEqual(before)
	})

	test('negative balance blocks creation (rule 2)', async () => {
		const { reseller, cookie } = await funded({ funds: 0n, creditLimit: 10_000n })
		await fund(reseller.id, -10n)
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost('/reseller/customers/new', base(), cookie))
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('blocked_negative_balance')
		expect(await snapshot(reseller.id)).toEqual(before)
	})

	test('a username he already has → 400 username_taken', async () => {
		const { reseller, cookie } = await funded()
		await createThroughRoutes(cookie, { ...base(), username: 'dup_name' })
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost('/reseller/customers/new', { ...base(), username: 'DUP_NAME' }, cookie))
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('username_taken')
		expect(await snapshot(reseller.id)).toEqual(before)
	})

	test('insufficient funds: the quote warns, executing it → 400, nothing charged', async () => {
		const { reseller, cookie } = await funded({ funds: 500n })
		const quoted = await call(wizard.action, formPost('/reseller/customers/new', base(), cookie))
		expect(quoted.status).toBe(302)
		const page = await call(wizard.loader, getPage(quoted.location!, cookie))
		expect(page.data.quote.total).toBe(1300n)
		expect(page.data.available).toBe(500n)
		const before = await snapshot(reseller.id)
		const r = await call(wizard.action, formPost(quoted.location!, confirmEntries(page.data), cookie))
		expect(r.status).toBe(400)
		expect(r.data.code).toBe('insufficient_funds')
		expect(await snapshot(reseller.id)).toEqual(before)
	})

	test('an expired quote → 400 quote_expired; changed inputs → 400 quote_mismatch; nothing written', async () => {
		const { reseller, cookie } = await funded()
		const quoted = await call(wizard.action, formPost('/reseller/customers/new', base(), cookie))
		const page = await call(wizard.loader, getPage(quoted.location!, cookie))
		const before = await snapshot(reseller.id)
		const tampered = confirmEntries(page.data).map(([k, v]): [string, string] => (k === 'gb' ? [k, '999'] : [k, v]))
		const mismatch = await call(wizard.action, formPost(quoted.location!, tampered, cookie))
		expect(mismatch.status).toBe(400)
		expect(mismatch.data.code).toBe('quote_mismatch')
		await prisma.quote.update({ where: { id: page.data.quote.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
		const expired = await call(wizard.action, formPost(quoted.location!, confirmEntries(page.data), cookie))
		expect(expired.status).toBe(400)
		expect(expired.data.result.error['']).toEqual([await billingMessage('quote_expired')])
		expect(await snapshot(reseller.id)).toEqual(before)
		// the page shows the quote as expired (and offers to price it again)
		expect((await call(wizard.loader, getPage(quoted.location!, cookie))).data.quote.expired).toBe(true)
	})

	test("another reseller's quote is neither shown nor executable", async () => {
		const a = await funded()
		const b = await funded()
		const quoted = await call(wizard.action, formPost('/reseller/customers/new', base(), a.cookie))
		const page = await call(wizard.loader, getPage(quoted.location!, a.cookie))
		expect((await call(wizard.loader, getPage(quoted.location!, b.cookie))).data.quote).toBeNull()
		const before = await snapshot(b.reseller.id)
		const r = await call(wizard.action, formPost(quoted.location!, confirmEntries(page.data), b.cookie))
		expect(r.status).toBe(404)
		expect(r.data.code).toBe('not_found')
		expect(await snapshot(b.reseller.id)).toEqual(before)
		expect(await snapshot(a.reseller.id)).toMatchObject({ customers: 0, orders: 0 })
	})

	test('an unknown intent or a malformed confirm form → 400', async () => {
		const { cookie } = await funded()
		expect((await call(wizard.action, formPost('/reseller/customers/new', { intent: 'nope' }, cookie))).status).toBe(400)
		expect((await call(wizard.action, formPost('/reseller/customers/new', { intent: 'execute', quoteId: 'x', idempotencyKey: 'y', username: 'ok_name', nodeIds: '1', gb: '1', days: '1' }, cookie))).status).toBe(400)
	})
})
