// Reseller statements from the ledger (issue 14): for random ledgers written by the real ledger
// functions (post, moveWalletMoney — concurrently, with refused debits), any cut of time into
// consecutive periods gives opening + Σ entries = closing, each period opens where the last one
// closed, the last closes at the wallet's balance, and an entry stamped exactly on a cut belongs to
// the period that starts there. Posts are stamped now(), so the periods here are cut at the
// entries' own instants; tests/statements/month.test.ts proves months are cut at Tehran midnight.
import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { moveWalletMoney, post } from '~/services/billing/ledger.server'
import { BillingError } from '~/services/billing/errors'
import { monthOf, periodOf, type StatementPeriod } from '~/services/statements/month'
import { statementRows, statementSummary } from '~/services/statements/statement.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

const period = (start: Date, end: Date): StatementPeriod => ({ ...periodOf(monthOf(start, 'jalali')), start, end })
const FAR_PAST = new Date('2000-01-01T00:00:00Z')
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z')

async function randomLedger(seed: number) {
	const rand = rng(seed)
	const int = (lo: number, hi: number) => BigInt(lo + Math.floor(rand() * (hi - lo + 1)))
	const { reseller } = await createReseller({ nodeIds: [], creditLimit: 4_000n })
	const customer = await prisma.customer.create({ data: { resellerId: reseller.id, username: `st${seed}`, dataLimitBytes: 1n, expireAt: new Date(Date.now() + 86_400_000), subToken: randomUUID() } })
	// Into the credit line, then past it (refused): the random part may or may not reach either.
	await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -1_000n, kind: 'adjustment_debit', refType: 'adjustment', idempotencyKey: `st:${seed}:open` }))
	const past = prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -3_001n, kind: 'adjustment_debit', refType: 'adjustment', idempotencyKey: `st:${seed}:past` }))
	await expect(past).rejects.toMatchObject({ code: 'insufficient_funds' })
	const ops = Array.from({ length: 48 }, (_, i) => async () => {
		const key = `st:${seed}:${i}`
		const pick = rand()
		await prisma.$transaction(async (tx) => {
			if (pick < 0.3) return post(tx, { resellerId: reseller.id, account: 'money', amount: int(1, 3_000), kind: 'adjustment_credit', refType: 'adjustment', idempotencyKey: key })
			if (pick < 0.45) return moveWalletMoney(tx, { wallet: { resellerId: reseller.id }, amount: int(1, 2_000), counter: 'cash:manual', kind: 'top_up', refType: 'payment', refId: i, idempotencyKey: key })
			if (pick < 0.85) {
				const order = await tx.order.create({ data: { resellerId: reseller.id, customerId: customer.id, kind: rand() < 0.5 ? 'create' : 'extend', quote: {}, idempotencyKey: key } })
				return post(tx, { resellerId: reseller.id, account: 'money', amount: -int(1, 2_500), kind: 'charge', refType: 'order', refId: order.id, idempotencyKey: key })
			}
			return post(tx, { resellerId: reseller.id, account: 'money', amount: -int(1, 1_500), kind: 'adjustment_debit', refType: 'adjustment', idempotencyKey: key })
		})
	})
	let refused = 1
	for (let i = 0; i < ops.length; i += 6) {
		const batch = await Promise.allSettled(ops.slice(i, i + 6).map((op) => op()))
		for (const r of batch) {
			if (r.status === 'rejected') {
				if (!(r.reason instanceof BillingError)) throw r.reason
				refused++
			}
		}
	}
	return { reseller, refused }
}

/** Cuts time at the given instants and checks every period against its neighbours and the ledger. */
async function checkCuts(resellerId: number, cuts: Date[]) {
	const bounds = [FAR_PAST, ...cuts.sort((a, b) => a.getTime() - b.getTime()), FAR_FUTURE]
	const legs = await prisma.ledgerEntry.findMany({ where: { resellerId, account: 'money' }, orderBy: { id: 'asc' } })
	let previousClosing = 0n
	let seen = 0
	for (let i = 0; i + 1 < bounds.length; i++) {
		const p = period(bounds[i]!, bounds[i + 1]!)
		const s = (await statementSummary(resellerId, p))!
		const { rows } = await statementRows(resellerId, p)
		expect(s.opening).toBe(previousClosing)
		expect(s.opening + s.credits - s.debits).toBe(s.closing)
		expect(rows.reduce((sum, r) => sum + r.amount, 0n)).toBe(s.credits - s.debits)
		expect(rows.length).toBe(s.count)
		// exactly the legs stamped inside [start, end)
		const inside = legs.filter((l) => l.createdAt >= p.start && l.createdAt < p.end).map((l) => l.id)
		expect(rows.map((r) => r.id)).toEqual(inside)
		// credit used never exceeds how far the ledger ever went below zero, nor the limit's reach
		expect(s.creditUsed.closing).toBe(s.closing < 0n ? -s.closing : 0n)
		expect(s.creditUsed.peak >= s.creditUsed.closing).toBe(true)
		previousClosing = s.closing
		seen += rows.length
	}
	const r = await prisma.reseller.findUniqueOrThrow({ where: { id: resellerId } })
	expect(previousClosing).toBe(r.balance)
	expect(seen).toBe(legs.length)
	return legs
}

describe('statement = opening + entries = closing', () => {
	test('random concurrent ledgers, cut anywhere (also exactly on an entry’s instant)', async () => {
		for (const seed of [1, 2, 3]) {
			const { reseller, refused } = await randomLedger(seed)
			expect(refused).toBeGreaterThan(0) // the floor was reached: some debits were refused
			const legs = await prisma.ledgerEntry.findMany({ where: { resellerId: reseller.id, account: 'money' }, orderBy: { id: 'asc' } })
			expect(legs.length).toBeGreaterThan(20)
			expect(legs.some((l) => l.balanceAfter! < 0n)).toBe(true) // the credit line was used
			const rand = rng(seed * 7)
			const onEntries = legs.filter(() => rand() < 0.25).map((l) => l.createdAt)
			const between = legs.slice(1).filter(() => rand() < 0.15).map((l, i) => new Date(l.createdAt.getTime() - 1 - (i % 2)))
			await checkCuts(reseller.id, [...new Map([...onEntries, ...between].map((d) => [d.getTime(), d])).values()])
			// An entry stamped exactly at a period's start is that period's, not the previous one's.
			const edge = legs[Math.floor(legs.length / 2)]!
			const after = (await statementRows(reseller.id, period(edge.createdAt, FAR_FUTURE))).rows
			const before = (await statementRows(reseller.id, period(FAR_PAST, edge.createdAt))).rows
			expect(after.some((r) => r.id === edge.id)).toBe(true)
			expect(before.some((r) => r.id === edge.id)).toBe(false)
		}
	})

	test('two posts stamped in the other order than the ledger chain still chain across the cut', async () => {
		// created_at is the transaction's start; the chain is the order posts took the wallet's lock.
		// A starts first but posts after B, so A is stamped earlier and chained later. A statement
		// that took "the last entry's balance_after" as the next opening would count B twice.
		const { reseller } = await createReseller({ nodeIds: [], funds: 1_000n })
		let started!: (at: Date) => void
		const aStarted = new Promise<Date>((resolve) => (started = resolve))
		let release!: () => void
		const gate = new Promise<void>((resolve) => (release = resolve))
		const a = prisma.$transaction(
			async (tx) => {
				const [row] = await tx.$queryRaw<Array<{ now: Date }>>`select now()::timestamptz(3) as now`
				started(row!.now)
				await gate
				return post(tx, { resellerId: reseller.id, account: 'money', amount: -300n, kind: 'adjustment_debit', refType: 'adjustment', idempotencyKey: randomUUID() })
			},
			{ timeout: 30_000 },
		)
		const aNow = await aStarted
		// B must start in a later millisecond than A (stamps keep milliseconds): wait for the clock, no sleep.
		for (;;) {
			const [row] = await prisma.$queryRaw<Array<{ later: boolean }>>`select clock_timestamp()::timestamptz(3) > ${aNow}::timestamptz(3) as later`
			if (row!.later) break
		}
		const b = await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -200n, kind: 'adjustment_debit', refType: 'adjustment', idempotencyKey: randomUUID() }))
		release()
		await a
		const [legA, legB] = await Promise.all([prisma.ledgerEntry.findFirstOrThrow({ where: { resellerId: reseller.id, amount: -300n } }), prisma.ledgerEntry.findUniqueOrThrow({ where: { id: b.id } })])
		expect(legA.id > legB.id).toBe(true)
		expect(legA.createdAt < legB.createdAt).toBe(true)
		const legs = await checkCuts(reseller.id, [legB.createdAt])
		expect(legs.at(-1)!.balanceAfter).toBe(500n)
		const second = (await statementSummary(reseller.id, period(legB.createdAt, FAR_FUTURE)))!
		expect([second.opening, second.closing]).toEqual([700n, 500n])
	})

	test('an unknown reseller has no statement', async () => {
		expect(await statementSummary(2_000_000_000, period(FAR_PAST, FAR_FUTURE))).toBeNull()
	})
})
