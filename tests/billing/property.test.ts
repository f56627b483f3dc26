// Issue 8: the money invariants under a randomized concurrent run of every operation — creates,
// extends, traffic, node changes, refunds, manual disable/enable/delete — quoted first and then
// executed all at once, interleaved with usage syncs, provisioning jobs, panel faults and a node
// soft delete. Stale quotes must be refused, never applied. After the jobs settle:
//   per customer   Σ credits (refunds + reversals + drop credits) ≤ Σ charges
//   per reseller   balance = Σ entries, with a continuous before/after chain
//   every charge   has its order, of the same reseller and with a customer
//   no live account for a deleted customer; a refunded customer's accounts are off on the panel
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BillingError } from '~/services/billing/errors'
import { executeQuote, manualAction } from '~/services/billing/orders.server'
import { createQuote, type QuoteInput } from '~/services/billing/quotes.server'
import { softDeleteNode } from '~/services/nodes.server'
import { reconcileCustomer } from '~/services/provisioning.server'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'
import { createReseller, simNodes, unbalancedTransactions } from './fixtures'

type Sims = Awaited<ReturnType<typeof startAllSims>>
let sims: Sims
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
})
afterAll(async () => {
	await sims.close()
})

function rng(seed: number) {
	return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

/** Refusals a concurrent run may legitimately meet; anything else (a 500's cause) fails the test. */
const EXPECTED = new Set(['quote_stale', 'quote_used', 'insufficient_funds', 'blocked_zero_balance', 'blocked_negative_balance', 'not_found', 'invalid_state', 'nothing_to_refund', 'nothing_to_change', 'username_taken', 'node_not_allocated', 'limit_customers', 'busy'])

describe('money invariants under concurrency', () => {
	test.each([11, 22, 33])('seed %i: quotes executed against a moving world never break the ledger', async (seed) => {
		const rand = rng(seed)
		const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
		const admin = await createUser('admin')
		const nodes = await simNodes(sims, admin.id)
		const nodeIds = [nodes.marzban, nodes.wgdashboard, nodes.marzneshin]
		const { user, reseller } = await createReseller({ nodeIds, funds: 20_000n, creditLimit: 1_000n, pricingMode: rand() < 0.5 ? 'per_node' : 'bundle' })
		const unexpected: string[] = []
		const outcome = (p: Promise<unknown>) =>
			p.then(
				() => 'ok',
				(e) => {
					const code = e instanceof BillingError ? e.code : null
					if (!code || !EXPECTED.has(code)) unexpected.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
					return code ?? 'error'
				},
			)
		const execute = (quote: { id: string; inputs: unknown }) => executeQuote({ resellerUserId: user.id, quoteId: quote.id, idempotencyKey: `k${quote.id}`, inputs: quote.inputs as QuoteInput })

		// A few customers to operate on, made the normal way.
		const customers: number[] = []
		for (let i = 0; i < 6; i++) {
			const q = await createQuote(user.id, { kind: 'create', username: `p${seed}_${i}`, nodeIds: nodeIds.filter(() => rand() < 0.7).concat(nodes.marzban), gb: 1 + Math.floor(rand() * 20), days: 1 + Math.floor(rand() * 60) })
			customers.push((await execute(q)).customerId)
		}

		// Phase 1: quote many operations against the present state.
		const inputs: QuoteInput[] = Array.from({ length: 60 }, (_, i): QuoteInput => {
			const customerId = pick(customers)
			const k = rand()
			if (k < 0.15) return { kind: 'create', username: `n${seed}_${i}`, nodeIds: [pick(nodeIds)], gb: 1 + Math.floor(rand() * 10), days: 1 + Math.floor(rand() * 30) }
			if (k < 0.35) return { kind: 'extend', customerId, days: 1 + Math.floor(rand() * 30) }
			if (k < 0.55) return { kind: 'add_traffic', customerId, gb: 1 + Math.floor(rand() * 10) }
			if (k < 0.75) return { kind: 'change_nodes', customerId, nodeIds: nodeIds.filter(() => rand() < 0.5).concat(pick(nodeIds)) }
			return { kind: 'refund', customerId }
		})
		const quotes = (await Promise.all(inputs.map((input) => createQuote(user.id, input).catch(() => null)))).filter((q) => q !== null)
		expect(quotes.length).toBeGreaterThan(20)

		// Phase 2: execute them all at once (some twice), while the world moves underneath.
		const moves: Array<() => Promise<unknown>> = [
			...quotes.map((q) => () => execute(q)),
			...quotes.filter(() => rand() < 0.2).map((q) => () => execute(q)),
			...Array.from({ length: 12 }, () => () => manualAction(user.id, pick(customers), pick(['disable', 'enable', 'delete'] as const))),
			...Array.from({ length: 10 }, () => () => reconcileCustomer(pick(customers))),
			...Array.from({ length: 4 }, () => async () => {
				sims.marzban.control.addTraffic(Math.floor(rand() * 3 * Number(GB)))
				return syncNodeUsage(nodes.marzban)
			}),
			() => Promise.resolve(sims.marzneshin.control.failNext(3, pick(['http500', 'reset'] as const))),
			() => softDeleteNode(nodes.wgdashboard, admin.id),
		]
		for (let i = moves.length - 1; i > 0; i--) {
			const j = Math.floor(rand() * (i + 1))
			;[moves[i], moves[j]] = [moves[j]!, moves[i]!]
		}
		const results = await Promise.all(moves.map((m) => outcome(m())))
		// reconcile jobs may defer or retry; panel faults are allowed to fail them
		expect(unexpected.filter((m) => !/RetryLater|retried|rate limit|not answering/i.test(m))).toEqual([])
		expect(results).toContain('ok')
		expect(results).toContain('quote_stale')

		// Settle: faults cleared, every customer's job run until nothing is pending or removing.
		sims.marzneshin.control.clearFaults()
		const all = await prisma.customer.findMany({ where: { resellerId: reseller.id }, select: { id: true } })
		for (let round = 0; round < 8; round++) {
			const open = await prisma.subAccount.findMany({ where: { customer: { resellerId: reseller.id }, state: { in: ['pending', 'removing'] }, node: { deletedAt: null } }, select: { customerId: true }, distinct: ['customerId'] })
			if (!open.length) break
			for (const { customerId } of open) await reconcileCustomer(customerId).catch(() => null)
		}
		for (const { id } of all) await reconcileCustomer(id).catch(() => null)

		// Per customer: credits never pass charges.
		for (const { id } of all) {
			const orders = await prisma.order.findMany({ where: { customerId: id }, select: { id: true } })
			const entries = await prisma.ledgerEntry.findMany({ where: { refType: 'order', refId: { in: orders.map((o) => String(o.id)) }, account: 'money' } })
			const charges = entries.filter((e) => e.amount < 0n).reduce((s, e) => s - e.amount, 0n)
			const credits = entries.filter((e) => e.amount > 0n).reduce((s, e) => s + e.amount, 0n)
			expect(credits, `customer ${id}`).toBeLessThanOrEqual(charges)
		}

		// Per reseller: balance = Σ entries, continuous chain, never past the credit line on a charge.
		const r = await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })
		const entries = await prisma.ledgerEntry.findMany({ where: { resellerId: reseller.id, account: 'money' }, orderBy: { id: 'asc' } })
		let running = 0n
		for (const e of entries) {
			expect(e.balanceBefore).toBe(running)
			expect(e.balanceAfter).toBe(running + e.amount)
			if (e.kind === 'charge') expect(e.balanceAfter).toBeGreaterThanOrEqual(-r.creditLimit)
			running += e.amount
		}
		expect(r.balance).toBe(running)

		// Double entry: every transaction has its other leg and sums to zero.
		expect(await unbalancedTransactions()).toEqual([])

		// Every charge has its order, of this reseller, with a customer.
		for (const e of entries.filter((x) => x.kind === 'charge')) {
			expect(e.refType).toBe('order')
			const order = await prisma.order.findUnique({ where: { id: Number(e.refId) } })
			expect(order).toMatchObject({ resellerId: reseller.id, customerId: expect.any(Number) })
		}

		// No live account for a deleted customer; a refunded one is off on the panel.
		const gone = await prisma.subAccount.findMany({ where: { customer: { resellerId: reseller.id, status: 'deleted' }, state: { in: ['pending', 'active'] }, node: { deletedAt: null } } })
		expect(gone).toEqual([])
		const refunded = await prisma.subAccount.findMany({ where: { customer: { resellerId: reseller.id, status: 'refunded' }, state: 'active', node: { kind: 'marzban' } } })
		for (const s of refunded) expect(sims.marzban.state.users.get(s.remoteUsername)?.status ?? 'gone').not.toBe('active')
	}, 300_000) // a generous bound, not a timing assertion: the panels' rate limit (3/s) paces the jobs
})
