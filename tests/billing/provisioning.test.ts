// Exactly-once provisioning (rule 5) against the simulators over real sockets.
import { randomUUID } from 'node:crypto'
import { runOnce } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { executeQuote, manualAction } from '~/services/billing/orders.server'
import { createQuote, type QuoteInput } from '~/services/billing/quotes.server'
import { createNode, softDeleteNode } from '~/services/nodes.server'
import { reconcileCustomer, RetryLater } from '~/services/provisioning.server'
import { saveSettings, getSettings, forgetSettings } from '~/services/settings.server'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { SIM_CREDENTIALS, startAllSims } from '../../sim/start-all'
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
		// what the dead worker managed: the account exists on the panel (with our marker), our row
		// still says pending — and the client already used 5 MB on it before we adopt it
		sims.marzban.state.createUser({ username: sub.remoteUsername, proxies: { vless: {} }, inbounds: {}, data_limit: 10 * 1024 ** 3, note: `guardino:${customerId}` })
		sims.marzban.state.addTraffic({ [sub.remoteUsername]: 5_000_000 })
		await reconcileCustomer(customerId, orderId)
		expect(marzbanUsers('crashy_')).toHaveLength(1)
		const adopted = await prisma.subAccount.findUniqueOrThrow({ where: { id: sub.id } })
		expect(adopted.state).toBe('active')
		// the counter at adoption is the baseline: the next sync counts only what came after it
		expect(adopted.lastCounter).toBe(5_000_000n)
		sims.marzban.state.addTraffic({ [sub.remoteUsername]: 1_000_000 })
		await syncNodeUsage(nodes.marzban)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).usedBytes).toBe(1_000_000n)
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

type Control = (typeof sims)['marzban']['control']
/**
 * Runs `fn` while the simulator holds the next request on `route` — after the panel received it,
 * before it acts and answers — so a reseller's action lands exactly inside the job's panel call.
 */
function during(control: Control, route: string, fn: () => Promise<unknown>) {
	const count = control.count.bind(control)
	const delay = control.delay.bind(control)
	let hit = false
	control.count = (r: string) => {
		if (r === route) hit = true
		count(r)
	}
	control.delay = async () => {
		if (hit) {
			control.count = count
			control.delay = delay
			await fn()
		}
		return delay()
	}
	return () => {
		control.count = count
		control.delay = delay
	}
}

/** What the customer's orders hold in money: charges − every credit (≥ 0 when nothing was over-refunded). */
async function netPaid(customerId: number) {
	const [row] = await prisma.$queryRaw<Array<{ net: bigint }>>`
		select coalesce(-sum(e.amount), 0)::bigint as net from orders o
		join ledger_entries e on e.ref_type = 'order' and e.ref_id = o.id::text and e.account = 'money'
		where o.customer_id = ${customerId}::int`
	return row!.net
}

describe('races with the reseller, adoption by marker (issue 8 §2.5, §2.6)', () => {
	test('a node soft-deleted between the charge and the job: its share is reversed and the order settles', async () => {
		const admin = await createUser('admin')
		const extra = await createNode({ name: 'Sim Marzneshin (retiring)', kind: 'marzneshin', baseUrl: sims.marzneshin.url, ...SIM_CREDENTIALS.xray, tls: false, verifyTls: false, transport: 'rest', usageMultiplier: '1', selected: [] } as unknown as Parameters<typeof createNode>[0], admin.id)
		if (!extra.ok) throw new Error('node')
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban, extra.nodeId], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('orphan', [nodes.marzban, extra.nodeId]))
		await softDeleteNode(extra.nodeId, admin.id)
		await reconcileCustomer(customerId, orderId)
		const gone = await prisma.subAccount.findFirstOrThrow({ where: { customerId, nodeId: extra.nodeId } })
		expect(gone.state).toBe('failed')
		expect(gone.lastError).toMatch(/node deleted/)
		expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('partly_failed')
		const reversal = await prisma.ledgerEntry.findFirstOrThrow({ where: { resellerId: reseller.id, kind: 'reversal' } })
		expect(reversal.amount).toBe(1150n)
		expect(reversal.idempotencyKey).toBe(`sub:${gone.id}:reversal:order:${orderId}`)
		const events = await prisma.customerEvent.findMany({ where: { customerId, kind: 'node_failed' } })
		expect(events.map((e) => e.reason)).toEqual(['node_deleted'])
		// nothing was created on the deleted node's panel (rule 7), and a rerun changes nothing
		expect(sims.marzneshin.state.users.get(gone.remoteUsername)).toBeUndefined()
		await reconcileCustomer(customerId, orderId)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, kind: 'reversal' } })).toBe(1)
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.balance).toBe(10_000n - 1150n)
	})

	test('the customer is deleted while his create is in flight → the remote account is removed, no active sub-account', async () => {
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('ghost', [nodes.marzban]))
		const undo = during(sims.marzban.control, 'POST /api/user', () => manualAction(user.id, customerId, 'delete'))
		try {
			await reconcileCustomer(customerId, orderId)
		} finally {
			undo()
		}
		await runOnce({ connectionString: env().DATABASE_URL, taskList }) // the job the delete queued
		expect(await prisma.subAccount.count({ where: { customerId, state: 'active' } })).toBe(0)
		expect((await prisma.subAccount.findFirstOrThrow({ where: { customerId } })).state).toBe('removed')
		expect(marzbanUsers('ghost_')).toHaveLength(0)
	})

	test('the customer is refunded while his create is in flight → the fresh account is deleted', async () => {
		forgetSettings()
		await saveSettings({ ...(await getSettings()), refundRemoteAction: 'disable' }, (await createUser('admin')).id)
		const { user } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('ghost2', [nodes.marzban]))
		const undo = during(sims.marzban.control, 'POST /api/user', () => buy(user.id, { kind: 'refund', customerId }))
		try {
			await reconcileCustomer(customerId, orderId)
		} finally {
			undo()
		}
		await runOnce({ connectionString: env().DATABASE_URL, taskList })
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe('refunded')
		expect(await prisma.subAccount.count({ where: { customerId, state: 'active' } })).toBe(0)
		expect(marzbanUsers('ghost2_')).toHaveLength(0)
	})

	test("a refund landing during a node's last failing attempt: the reversal is capped, credits never exceed charges", async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban, nodes.marzneshin], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('capped', [nodes.marzban, nodes.marzneshin]))
		expect(await netPaid(customerId)).toBe(2300n)
		sims.marzneshin.control.failNext(4, 'http500', { method: 'POST', pathPrefix: '/api/users' })
		for (let i = 0; i < 4; i++) await reconcileCustomer(customerId, orderId).catch((e) => expect(e).toBeInstanceOf(RetryLater))
		let openAfterRefund = -1n
		// the 5th (last) attempt: the refund commits while the panel holds the create, then it fails
		sims.marzneshin.control.failNext(1, 'http500', { method: 'POST', pathPrefix: '/api/users' })
		const undo = during(sims.marzneshin.control, 'POST /api/users', async () => {
			await buy(user.id, { kind: 'refund', customerId })
			openAfterRefund = await netPaid(customerId)
		})
		try {
			await expect(reconcileCustomer(customerId, orderId)).rejects.toBeInstanceOf(RetryLater)
		} finally {
			undo()
			sims.marzneshin.control.clearFaults()
		}
		const failed = await prisma.subAccount.findFirstOrThrow({ where: { customerId, nodeId: nodes.marzneshin } })
		expect(failed.state).toBe('failed')
		// the refund returned more than the rest of the failed node's share: only the rest goes back
		expect(openAfterRefund).toBeGreaterThanOrEqual(0n)
		expect(openAfterRefund).toBeLessThan(failed.chargedAmount)
		const reversals = await prisma.ledgerEntry.findMany({ where: { resellerId: reseller.id, kind: 'reversal' } })
		expect(reversals.reduce((a, r) => a + r.amount, 0n)).toBe(openAfterRefund)
		expect(await netPaid(customerId)).toBe(0n)
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.moneySum).toBe(s.balance)
		expect(s.balance).toBeLessThanOrEqual(10_000n)
	}, 60_000)

	test("a stranger's account with our username is never adopted: shown to the admin, failed and refunded", async () => {
		const { user, reseller } = await createReseller({ nodeIds: [nodes.marzban], funds: 10_000n })
		const { customerId, orderId } = await buy(user.id, create('squatted', [nodes.marzban]))
		const sub = await prisma.subAccount.findFirstOrThrow({ where: { customerId } })
		// made on the panel by someone else: no marker, his own limit and traffic
		sims.marzban.state.createUser({ username: sub.remoteUsername, proxies: { vless: {} }, inbounds: {}, data_limit: 1024 ** 3, note: 'bought at the corner shop' })
		sims.marzban.state.addTraffic({ [sub.remoteUsername]: 7_000_000 })
		const before = JSON.stringify(sims.marzban.state.users.get(sub.remoteUsername))
		const writes = () => Object.entries(sims.marzban.control.stats().byRoute).filter(([r]) => /^(PUT|DELETE) \/api\/user\/|\/reset$|\/revoke_sub$/.test(r)).reduce((a, [, n]) => a + n, 0)
		const writesBefore = writes()
		await expect(reconcileCustomer(customerId, orderId)).rejects.toBeInstanceOf(RetryLater)
		const shown = await prisma.subAccount.findUniqueOrThrow({ where: { id: sub.id } })
		expect(shown.state).toBe('pending')
		expect(shown.driftError).toBe('foreign_account')
		expect(shown.lastError).toMatch(/foreign_account/)
		const note = await prisma.notification.findMany({ where: { kind: 'foreign_account', dedupeKey: `foreign:${sub.id}` } })
		expect(note).toHaveLength(1)
		expect(note[0]!.data).toMatchObject({ customerId, nodeId: nodes.marzban, remoteUsername: sub.remoteUsername })
		for (let i = 0; i < 4; i++) await reconcileCustomer(customerId, orderId).catch((e) => expect(e).toBeInstanceOf(RetryLater))
		const final = await prisma.subAccount.findUniqueOrThrow({ where: { id: sub.id } })
		expect(final.state).toBe('failed')
		expect(final.ref).toBeNull() // never took it over
		expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('failed_refunded')
		expect((await prisma.ledgerEntry.findFirstOrThrow({ where: { resellerId: reseller.id, kind: 'reversal' } })).amount).toBe(1300n)
		expect(await prisma.notification.count({ where: { kind: 'foreign_account', dedupeKey: `foreign:${sub.id}` } })).toBe(1)
		// the stranger's account is exactly as it was: no write of ours reached it
		expect(JSON.stringify(sims.marzban.state.users.get(sub.remoteUsername))).toBe(before)
		expect(writes()).toBe(writesBefore)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).usedBytes).toBe(0n)
	}, 60_000)
})
