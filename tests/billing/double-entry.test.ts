// The double-entry ledger (issue 11): every transaction is balanced over accounts, wallets of
// resellers and of end users keep balance = Σ their legs with a continuous before/after chain, the
// database refuses an unbalanced transaction and any rewrite of history.
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { BillingError } from '~/services/billing/errors'
import { isUniqueViolation, moveWalletMoney } from '~/services/billing/ledger.server'
import { prisma } from '~/utils/db.server'
import { createUser } from '../factories'
import { createReseller, fund, unbalancedTransactions } from './fixtures'

function rng(seed: number) {
	return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof BillingError ? e.code : isUniqueViolation(e) ? 'dup' : (e as Error).message))

async function userChain(userId: number) {
	const legs = await prisma.ledgerEntry.findMany({ where: { userId }, orderBy: { id: 'asc' } })
	let running = 0n
	for (const e of legs) {
		expect(e.accountCode).toBe(`wallet:user:${userId}`)
		expect(e.balanceBefore).toBe(running)
		expect(e.balanceAfter).toBe(running + e.amount)
		running += e.amount
		expect(running).toBeGreaterThanOrEqual(0n)
	}
	return running
}

describe('double-entry ledger', () => {
	test('a reseller post is a balanced transaction: his wallet leg and the revenue leg', async () => {
		const { reseller } = await createReseller({ nodeIds: [], funds: 1000n })
		const legs = await prisma.ledgerEntry.findMany({ include: { transaction: true }, orderBy: { id: 'asc' } })
		expect(legs.map((e) => [e.accountCode, e.amount])).toEqual([
			[`wallet:reseller:${reseller.id}`, 1000n],
			['cash:manual', -1000n],
		])
		expect(legs[0]!.transactionId).toBe(legs[1]!.transactionId)
		expect(legs[1]).toMatchObject({ resellerId: null, balanceBefore: null, idempotencyKey: null })
		expect(await unbalancedTransactions()).toEqual([])
	})

	test('an end-user wallet: top-up from a method, spend split into revenue and tax, no spending past zero', async () => {
		const user = await createUser('customer')
		await prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: 500_000n, counter: 'cash:method:1', kind: 'top_up', refType: 'payment', refId: 9, idempotencyKey: 'payment:9:settle' }))
		const spent = await prisma.$transaction((tx) =>
			moveWalletMoney(tx, { wallet: { userId: user.id }, amount: -110_000n, counter: [{ account: 'revenue', amount: 100_000n }, { account: 'tax_payable', amount: 10_000n }], kind: 'charge', refType: 'invoice', refId: 4, idempotencyKey: 'invoice:4:pay' }),
		)
		expect(spent).toMatchObject({ balanceBefore: 500_000n, balanceAfter: 390_000n })
		await expect(prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: -390_001n, counter: 'revenue', kind: 'charge', idempotencyKey: randomUUID() }))).rejects.toMatchObject({ code: 'insufficient_funds' })
		const u = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
		expect(u.walletBalance).toBe(390_000n)
		expect(await userChain(user.id)).toBe(390_000n)
		const tax = await prisma.ledgerEntry.findFirstOrThrow({ where: { accountCode: 'tax_payable' }, include: { transaction: true } })
		expect(tax.transaction).toMatchObject({ kind: 'charge', refType: 'invoice', refId: '4', idempotencyKey: 'invoice:4:pay' })
		expect(await unbalancedTransactions()).toEqual([])
		await expect(prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: 999_999 }, amount: 1n, counter: 'promo', kind: 'top_up', idempotencyKey: randomUUID() }))).rejects.toMatchObject({ code: 'not_found' })
	})

	test('counter legs that do not balance the wallet leg are refused before anything is written', async () => {
		const user = await createUser('customer')
		const before = await prisma.ledgerEntry.count()
		await expect(prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: 10n, counter: [{ account: 'promo', amount: -9n }], kind: 'top_up', idempotencyKey: randomUUID() }))).rejects.toThrow(/sum to -9/)
		await expect(prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: 10n, counter: 'wallet:user:1', kind: 'top_up', idempotencyKey: randomUUID() }))).rejects.toThrow(/is a wallet/)
		expect(await prisma.ledgerEntry.count()).toBe(before)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).walletBalance).toBe(0n)
	})

	test('the database itself refuses an unbalanced or one-legged transaction, and any update or delete', async () => {
		const { reseller } = await createReseller({ nodeIds: [], funds: 100n })
		const unbalanced = prisma.$executeRaw`
			with t as (insert into ledger_transactions (kind, idempotency_key) values ('charge', 'x') returning id)
			insert into ledger_entries (transaction_id, account_code, account, amount, currency, kind)
			select t.id, c.code, 'money', c.amount, 'IRR', 'charge' from t, (values ('revenue', 5), ('promo', -4)) as c(code, amount)`
		await expect(unbalanced).rejects.toThrow(/does not sum to zero/)
		const oneLeg = prisma.$executeRaw`
			with t as (insert into ledger_transactions (kind, idempotency_key) values ('charge', 'y') returning id)
			insert into ledger_entries (transaction_id, account_code, account, amount, currency, kind) select t.id, 'revenue', 'money', 0, 'IRR', 'charge' from t`
		await expect(oneLeg).rejects.toThrow(/fewer than two entries/)
		await expect(prisma.$executeRaw`insert into ledger_transactions (kind, idempotency_key) values ('charge', 'alone')`).rejects.toThrow(/fewer than two entries/)
		await expect(prisma.$executeRaw`update ledger_entries set amount = amount + 1 where reseller_id = ${reseller.id}`).rejects.toThrow(/append-only/)
		await expect(prisma.$executeRaw`delete from ledger_entries`).rejects.toThrow(/append-only/)
		await expect(prisma.$executeRaw`update ledger_transactions set kind = 'x'`).rejects.toThrow(/append-only/)
		expect(await unbalancedTransactions()).toEqual([])
	})

	test.each([1, 2])('property (seed %i): 150 random concurrent moves on a user wallet and a reseller wallet keep every invariant', async (seed) => {
		const user = await createUser('customer')
		const { reseller } = await createReseller({ nodeIds: [], creditLimit: 300n })
		await fund(reseller.id, 200n)
		const rand = rng(seed)
		const keys: string[] = []
		const ops = Array.from({ length: 150 }, () => {
			const onUser = rand() < 0.5
			const credit = rand() < 0.45
			const amount = BigInt(1 + Math.floor(rand() * 300))
			const key = rand() < 0.1 && keys.length ? keys[Math.floor(rand() * keys.length)]! : randomUUID()
			keys.push(key)
			const fail = rand() < 0.1
			return outcome(
				prisma.$transaction(async (tx) => {
					await moveWalletMoney(tx, { wallet: onUser ? { userId: user.id } : { resellerId: reseller.id }, amount: credit ? amount : -amount, counter: credit ? 'gateway_clearing:zarinpal' : [{ account: 'revenue', amount: amount - amount / 10n }, { account: 'tax_payable', amount: amount / 10n }], kind: credit ? 'top_up' : 'charge', idempotencyKey: key })
					if (fail) throw new Error('boom after posting')
				}),
			)
		})
		const results = await Promise.all(ops)
		expect(results.filter((r) => !['ok', 'insufficient_funds', 'dup', 'boom after posting'].includes(r))).toEqual([])
		expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(30)
		const u = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
		expect(await userChain(user.id)).toBe(u.walletBalance)
		const r = await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })
		const sum = await prisma.ledgerEntry.aggregate({ where: { resellerId: reseller.id }, _sum: { amount: true } })
		expect(sum._sum.amount).toBe(r.balance)
		expect(r.balance).toBeGreaterThanOrEqual(-300n)
		expect(await unbalancedTransactions()).toEqual([])
		// Σ over every account of the whole ledger is zero: money neither appears nor vanishes
		const [all] = await prisma.$queryRaw<Array<{ total: bigint }>>`select coalesce(sum(amount), 0)::bigint as total from ledger_entries where currency = 'IRR' or currency = 'USD'`
		expect(all!.total).toBe(0n)
	})
})
