// The ledger under concurrency: random credits, debits, refunds and failures at once.
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { BillingError } from '~/services/billing/errors'
import { isUniqueViolation, post } from '~/services/billing/ledger.server'
import { prisma } from '~/utils/db.server'
import { assertLedgerConsistent, createReseller } from './fixtures'

function rng(seed: number) {
	return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

describe('ledger', () => {
	test.each([1, 2, 3])('property (seed %i): 200 random concurrent posts keep balance = Σ entries and ≥ −credit limit', async (seed) => {
		const { reseller } = await createReseller({ nodeIds: [], creditLimit: 500n })
		const rand = rng(seed)
		const keys: string[] = []
		const ops = Array.from({ length: 200 }, () => {
			const kind = rand()
			const amount = BigInt(1 + Math.floor(rand() * 400))
			// some posts reuse a key (a retried request); some are made to fail mid-transaction
			const key = rand() < 0.1 && keys.length ? keys[Math.floor(rand() * keys.length)]! : randomUUID()
			keys.push(key)
			const fail = rand() < 0.1
			return prisma
				.$transaction(async (tx) => {
					await post(tx, { resellerId: reseller.id, account: 'money', amount: kind < 0.4 ? amount : -amount, kind: kind < 0.3 ? 'adjustment_credit' : kind < 0.4 ? 'refund' : 'charge', idempotencyKey: key })
					if (fail) throw new Error('boom after posting')
				})
				.then(() => 'ok', (e) => (e instanceof BillingError ? e.code : isUniqueViolation(e) ? 'dup' : (e as Error).message))
		})
		const results = await Promise.all(ops)
		expect(results.filter((r) => !['ok', 'insufficient_funds', 'dup', 'boom after posting'].includes(r))).toEqual([])
		expect(results).toContain('ok')
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.balance).toBe(s.moneySum)
		expect(s.balance).toBeGreaterThanOrEqual(-s.creditLimit)
		// every entry's before/after chain is continuous
		const entries = await prisma.ledgerEntry.findMany({ where: { resellerId: reseller.id, account: 'money' }, orderBy: { id: 'asc' } })
		let running = 0n
		for (const e of entries) {
			expect(e.balanceBefore).toBe(running)
			expect(e.balanceAfter).toBe(running + e.amount)
			running += e.amount
			expect(running).toBeGreaterThanOrEqual(-500n)
		}
	})

	test('a debit past the credit limit is refused and writes nothing', async () => {
		const { reseller } = await createReseller({ nodeIds: [], creditLimit: 100n, funds: 50n })
		await expect(prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -151n, kind: 'charge', idempotencyKey: randomUUID() }))).rejects.toMatchObject({ code: 'insufficient_funds' })
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id } })).toBe(1)
		await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -150n, kind: 'charge', idempotencyKey: randomUUID() }))
		const r = await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })
		expect(r.balance).toBe(-100n)
		expect(r.negativeSince).not.toBeNull()
	})

	test('the same idempotency key posts once', async () => {
		const { reseller } = await createReseller({ nodeIds: [] })
		const key = randomUUID()
		await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: 10n, kind: 'adjustment_credit', idempotencyKey: key }))
		await expect(prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: 10n, kind: 'adjustment_credit', idempotencyKey: key }))).rejects.toSatisfy(isUniqueViolation)
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).balance).toBe(10n)
	})

	test('pool: debits stop at zero, usage may overdraw; traffic has its own balance', async () => {
		const { reseller } = await createReseller({ nodeIds: [], fundingModel: 'pool', poolBytes: 1000n })
		await expect(prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'traffic', amount: -1001n, kind: 'adjustment_debit', idempotencyKey: randomUUID() }))).rejects.toMatchObject({ code: 'pool_exhausted' })
		await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'traffic', amount: -1200n, kind: 'pool_usage', idempotencyKey: randomUUID(), allowOverdraft: true }))
		const s = await assertLedgerConsistent(reseller.id)
		expect(s.poolBytes).toBe(-200n)
		expect(s.trafficSum).toBe(-200n)
		expect(s.balance).toBe(0n)
	})
})
