// Exactly-once provisioning (rule 5) against the simulators over real sockets.
import { randomUUID } from 'node:crypto'
import { runOnce } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { executeQuote } from '~/services/billing/orders.server'
import { createQuote, type QuoteInput } from '~/services/billing/quotes.server'
import { reconcileCustomer, RetryLater } from '~/services/provisioning.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { startAllSims } from '../../sim/start-all'
import { taskList } from '../../worker/tasks/index'
import { createUser } from '../factories'
import { assertLedgerConsistent, createReseller, simNodes } from './fixtures'

let sims: Awaited<ReturnType<typeof startAllSims>>
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims, (await createUser('admin')).id)
})
afterAll(() => sims.close())

async function buy(userId: number, input: QuoteInput, key = randomUUID()) {
	const q = await createQuote(userId, input)
	return executeQuote({ resellerUserId: userId, quoteId: q.id, idempotencyKey: key, inputs: input })
}
const create = (username: string, nodeIds: number[], gb = 10, days = 30): QuoteInput => ({ kind: 'create', username, nodeIds, gb, days })
const marzbanUsers = (prefix: string) => sims.marzban.state.users.values().filter((u: { username: string }) => u.username.startsWith(prefix))

describe('exactly-once provisioning', () => {
	test('a create charges the quote, and the job makes one account per node', async () => {
		// 10 GB × 100 on 2 nodes + 30 days × 10 = 2300
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban, nodes.wgdashboard], funds: 10_000n })
		const q = await createQuote(user.id, create('alice', [nodes.marzban, nodes.wgdashboard]))
		expect(q.total).toBe(2300n)
		const { orderId, customerId } = await executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: create('alice', [nodes.wgdashboard, nodes.marzban]) })
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).balance).toBe(7700n)
		await runOnce({ connectionString: env().DATABASE_URL, taskList })
		const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } })
		expect(order.status).toBe('completed')
		const subs = await prisma.subAccount.findMany({ where: { customerId } })
		expect(subs.map((s) => s.state)).toEqual(['active', 'active'])
		expect(marzbanUsers('alice_')).toHaveLength(1)
		expect(subs.every((s) => s.links && !s.links.includes('vless://'))).toBe(true) // links sealed at rest
	})

	test('50 concurrent creates by one reseller funded for 10 → exactly 10 orders, 10 charges, 10 accounts', async () => {
		// one create on one node: 10 GB × 100 + 30 × 10 = 1300; fund exactly 10 of them
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 13_000n })
		const quotes = await Promise.all(Array.from({ length: 50 }, (_, i) => createQuote(user.id, create(`race${i}`, [nodes.marzban]))))
		const results = await Promise.allSettled(quotes.map((q, i) => executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: create(`race${i}`, [nodes.marzban]) })))
		const ok = results.filter((r) => r.status === 'fulfilled')
		expect(ok).toHaveLength(10)
		for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toMatch(/insufficient_funds|blocked_zero_balance/)
		expect(await prisma.order.count({ where: { resellerId: reseller.id } })).toBe(10)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, kind: 'charge' } })).toBe(10)
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.balance).toBe(0n)
		expect(s.moneySum).toBe(0n)
		await runOnce({ connectionString: env().DATABASE_URL, taskList })
		expect(marzbanUsers('race')).toHaveLength(10)
	})

	test('a double-submitted form returns the same order and charges once', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const input = create('twice', [nodes.marzban])
		const q = await createQuote(user.id, input)
		const key = randomUUID()
		const [a, b] = await Promise.all([executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: key, inputs: input }), executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: key, inputs: input })])
		expect(a.orderId).toBe(b.orderId)
		const c = await executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: key, inputs: input })
		expect(c.orderId).toBe(a.orderId)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, kind: 'charge' } })).toBe(1)
	})

	test('panel does the work then times out → one account, one charge', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('slowpoke', [nodes.marzban]))
		sims.marzban.control.failNext(1, 'work_then_timeout', { method: 'POST', pathPrefix: '/api/user' })
		await reconcileCustomer(customerId, orderId) // the create "times out"; the read-back finds it
		sims.marzban.control.clearFaults()
		expect(marzbanUsers('slowpoke_')).toHaveLength(1)
		expect((await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).state).toBe('active')
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, kind: 'charge' } })).toBe(1)
		expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('completed')
	}, 60_000)

	test('worker killed after the panel call, before saving → the next run adopts, no duplicate', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('crashy', [nodes.marzban]))
		const sub = await prisma.subAccount.findFirstOrThrow({ where: { customerId } })
		// what the dead worker managed: the account exists on the panel, our row still says pending
		sims.marzban.state.createUser({ username: sub.remoteUsername, proxies: { vless: {} }, inbounds: {}, data_limit: 10 * 1024 ** 3 })
		await reconcileCustomer(customerId, orderId)
		expect(marzbanUsers('crashy_')).toHaveLength(1)
		expect((await prisma.subAccount.findUniqueOrThrow({ where: { id: sub.id } })).state).toBe('active')
	})

	test('a node that finally fails is refunded its share; the order is partly failed', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban, nodes.marzneshin], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('halfway', [nodes.marzban, nodes.marzneshin]))
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).balance).toBe(10_000n - 2300n)
		sims.marzneshin.control.failNext(100, 'http500')
		for (let i = 0; i < 5; i++) await reconcileCustomer(customerId, orderId).catch((e) => expect(e).toBeInstanceOf(RetryLater))
		sims.marzneshin.control.clearFaults()
		const subs = await prisma.subAccount.findMany({ where: { customerId }, orderBy: { nodeId: 'asc' } })
		expect(subs.map((s) => [s.nodeId, s.state])).toEqual([[nodes.marzban, 'active'], [nodes.marzneshin, 'failed']])
		expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('partly_failed')
		// its share: 10 GB × 100 + half of 300 for days = 1150
		const reversal = await prisma.ledgerEntry.findFirstOrThrow({ where: { resellerId: reseller.id, kind: 'reversal' } })
		expect(reversal.amount).toBe(1150n)
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.balance).toBe(10_000n - 1150n)
		expect(s.moneySum).toBe(s.balance)
		// running again changes nothing (idempotent)
		await reconcileCustomer(customerId, orderId)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, kind: 'reversal' } })).toBe(1)
	}, 60_000)
})
