// Lifecycle operations (rule 6) and the rules that gate them (1, 2, 9), through the services,
// with the panel job run against the simulators and read back.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { executeQuote, manualAction } from '~/services/billing/orders.server'
import { createQuote, type QuoteInput } from '~/services/billing/quotes.server'
import { reconcileCustomer, RetryLater } from '~/services/provisioning.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'
import { assertLedgerConsistent, createReseller, fund, simNodes } from './fixtures'

const GB = 1024n ** 3n
const DAY = 86_400_000
let sims: Awaited<ReturnType<typeof startAllSims>>
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims, (await createUser('admin')).id)
})
afterAll(() => sims.close())

async function run(userId: number, input: QuoteInput) {
	const q = await createQuote(userId, input)
	const r = await executeQuote({ resellerUserId: userId, quoteId: q.id, idempotencyKey: randomUUID(), inputs: input })
	await reconcileCustomer(r.customerId, r.orderId)
	return { ...r, total: q.total }
}
const remote = (customerId: number) => prisma.subAccount.findFirstOrThrow({ where: { customerId, nodeId: nodes.marzban } }).then((s) => sims.marzban.state.users.get(s.remoteUsername)!)

describe('lifecycle', () => {
	test('extend adds days from expiry (or from now when expired) and re-enables an expiry disable, verified on the panel', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'ext', nodeIds: [nodes.marzban], gb: 5, days: 10 })
		const before = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).expireAt
		const ext = await run(user.id, { kind: 'extend', customerId, days: 30 })
		expect(ext.total).toBe(300n)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).expireAt.getTime()).toBe(before.getTime() + 30 * DAY)

		// expired and auto-disabled for expiry → extend counts from now and enables again
		await prisma.customer.update({ where: { id: customerId }, data: { expireAt: new Date(Date.now() - DAY), status: 'expired', disabledReason: 'expiry' } })
		await reconcileCustomer(customerId)
		expect((await remote(customerId)).status).toBe('disabled')
		const t0 = Date.now()
		await run(user.id, { kind: 'extend', customerId, days: 7 })
		const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })
		expect(c.status).toBe('active')
		expect(c.disabledReason).toBeNull()
		expect(c.expireAt.getTime()).toBeGreaterThanOrEqual(t0 + 7 * DAY - 1000)
		expect((await remote(customerId)).status).toBe('active')
		expect((await remote(customerId)).expire).toBe(Math.floor(c.expireAt.getTime() / 1000))
	})

	test('add traffic raises the limit on the panel; a manual disable survives it (rule 9)', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'traf', nodeIds: [nodes.marzban], gb: 5, days: 10 })
		await manualAction(user.id, customerId, 'disable')
		await reconcileCustomer(customerId)
		const add = await run(user.id, { kind: 'add_traffic', customerId, gb: 3 })
		expect(add.total).toBe(300n)
		const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })
		expect(c.dataLimitBytes).toBe(8n * GB)
		expect(c.status).toBe('disabled')
		expect(c.disabledReason).toBe('manual')
		expect((await remote(customerId)).dataLimit).toBe(Number(8n * GB))
		expect((await remote(customerId)).status).toBe('disabled')
		await manualAction(user.id, customerId, 'enable')
		await reconcileCustomer(customerId)
		expect((await remote(customerId)).status).toBe('active')
		expect((await prisma.customerEvent.findMany({ where: { customerId }, orderBy: { id: 'asc' } })).map((e) => e.kind)).toEqual(['created', 'manual_disabled', 'add_traffic', 'manual_enabled'])
	})

	test('a panel that acknowledges but does not apply is caught by the read-back and retried', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'liar', nodeIds: [nodes.marzban], gb: 5, days: 10 })
		await manualAction(user.id, customerId, 'disable')
		const sub = await prisma.subAccount.findFirstOrThrow({ where: { customerId } })
		// the panel "forgets" the disable right after acknowledging it
		const u = sims.marzban.state.users.get(sub.remoteUsername)!
		const original = Object.getOwnPropertyDescriptor(u, 'status')
		Object.defineProperty(u, 'status', { get: () => 'active', set: () => {}, configurable: true })
		await expect(reconcileCustomer(customerId)).rejects.toBeInstanceOf(RetryLater)
		expect((await prisma.subAccount.findUniqueOrThrow({ where: { id: sub.id } })).lastError).toMatch(/read back/)
		Object.defineProperty(u, 'status', original ?? { value: 'active', writable: true, configurable: true, enumerable: true })
		await reconcileCustomer(customerId)
		expect(sims.marzban.state.users.get(sub.remoteUsername)!.status).toBe('disabled')
	})

	test('change nodes creates on the new node, removes from the dropped one, charges the difference', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban, nodes.marzneshin], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'mover', nodeIds: [nodes.marzban], gb: 10, days: 10 })
		const marzbanName = (await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).remoteUsername
		const change = await run(user.id, { kind: 'change_nodes', customerId, nodeIds: [nodes.marzneshin] })
		// new node: 10 GB remaining × 100 = 1000; the dropped node's unused traffic is credited: −1000
		// (nothing used yet). Days are per customer, not per node: not credited.
		expect(change.total).toBe(0n)
		const subs = await prisma.subAccount.findMany({ where: { customerId }, orderBy: { nodeId: 'asc' } })
		expect(subs.map((s) => s.state)).toEqual(['removed', 'active'])
		expect(sims.marzban.state.users.get(marzbanName)).toBeUndefined()
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.balance).toBe(s.moneySum)
	})

	test('refund within 10 days returns the unused GB at the price paid; time is not refunded', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'refundy', nodeIds: [nodes.marzban], gb: 10, days: 30 })
		// paid 1000 for 10 GB (+300 for days); 4 GB used → 600 back
		await prisma.customer.update({ where: { id: customerId }, data: { usedBytes: 4n * GB } })
		const refund = await run(user.id, { kind: 'refund', customerId })
		expect(refund.total).toBe(-600n)
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).balance).toBe(100_000n - 1300n + 600n)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe('refunded')
		await expect(createQuote(user.id, { kind: 'refund', customerId })).rejects.toMatchObject({ code: 'not_found' })
		expect((await remote(customerId)).status).toBe('disabled') // default policy: disable, keep
	})

	test('refund with the "delete" policy removes the remote account', async () => {
		const { saveSettings, getSettings, forgetSettings } = await import('~/services/settings.server')
		const admin = await createUser('admin')
		await saveSettings({ ...(await getSettings()), refundRemoteAction: 'delete' }, admin.id)
		try {
			const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
			const { customerId } = await run(user.id, { kind: 'create', username: 'wiped', nodeIds: [nodes.marzban], gb: 10, days: 30 })
			const name = (await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).remoteUsername
			await run(user.id, { kind: 'refund', customerId })
			expect(sims.marzban.state.users.get(name)).toBeUndefined()
		} finally {
			await prisma.setting.deleteMany({ where: { key: 'automation' } })
			forgetSettings()
		}
	})

	test('refund after 10 days is refused', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'late', nodeIds: [nodes.marzban], gb: 10, days: 30 })
		await prisma.customer.update({ where: { id: customerId }, data: { purchasedAt: new Date(Date.now() - 11 * DAY) } })
		await expect(createQuote(user.id, { kind: 'refund', customerId })).rejects.toMatchObject({ code: 'refund_window_over' })
	})

	test('rules 1 and 2: zero available blocks everything; a negative balance blocks creation only', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 1300n, creditLimit: 2000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'edge', nodeIds: [nodes.marzban], gb: 10, days: 30 })
		await fund(reseller.id, -500n) // balance −500, available 1500
		await expect(createQuote(user.id, { kind: 'create', username: 'edge2', nodeIds: [nodes.marzban], gb: 1, days: 1 })).rejects.toMatchObject({ code: 'blocked_negative_balance' })
		expect((await createQuote(user.id, { kind: 'extend', customerId, days: 1 })).total).toBe(10n)
		await fund(reseller.id, -1500n) // available 0
		for (const input of [{ kind: 'extend', customerId, days: 1 }, { kind: 'add_traffic', customerId, gb: 1 }, { kind: 'refund', customerId }] as QuoteInput[]) {
			await expect(createQuote(user.id, input)).rejects.toMatchObject({ code: 'blocked_zero_balance' })
		}
		await expect(manualAction(user.id, customerId, 'disable')).rejects.toMatchObject({ code: 'blocked_zero_balance' })
	})

	test('bad inputs: node not allocated, another reseller’s customer, expired or changed quote', async () => {
		const a = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const b = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		await expect(createQuote(a.user.id, { kind: 'create', username: 'x1', nodeIds: [nodes.wgdashboard], gb: 1, days: 1 })).rejects.toMatchObject({ code: 'node_not_allocated' })
		const { customerId } = await run(b.user.id, { kind: 'create', username: 'theirs', nodeIds: [nodes.marzban], gb: 1, days: 1 })
		await expect(createQuote(a.user.id, { kind: 'extend', customerId, days: 1 })).rejects.toMatchObject({ code: 'not_found' })
		await expect(manualAction(a.user.id, customerId, 'delete')).rejects.toMatchObject({ code: 'not_found' })
		const input: QuoteInput = { kind: 'create', username: 'x2', nodeIds: [nodes.marzban], gb: 1, days: 1 }
		const q = await createQuote(a.user.id, input)
		await expect(executeQuote({ resellerUserId: a.user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: { ...input, gb: 2 } })).rejects.toMatchObject({ code: 'quote_mismatch' })
		await expect(executeQuote({ resellerUserId: b.user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: input })).rejects.toMatchObject({ code: 'not_found' })
		await prisma.quote.update({ where: { id: q.id }, data: { expiresAt: new Date(Date.now() - 1) } })
		await expect(executeQuote({ resellerUserId: a.user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: input })).rejects.toMatchObject({ code: 'quote_expired' })
		expect(await prisma.customer.count({ where: { resellerId: a.reseller.id } })).toBe(0)
	})

	test('delete removes the accounts from the panels', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 100_000n })
		const { customerId } = await run(user.id, { kind: 'create', username: 'gone', nodeIds: [nodes.marzban], gb: 1, days: 1 })
		const name = (await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).remoteUsername
		await manualAction(user.id, customerId, 'delete')
		await reconcileCustomer(customerId)
		expect(sims.marzban.state.users.get(name)).toBeUndefined()
		expect((await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).state).toBe('removed')
	})
})
