// Issue 8 §3: a burst never answers 500. 200 confirm forms of one reseller sent at once (and 10
// resellers × 50), through the real route: each either creates (302) or gets a translated 4xx —
// insufficient funds, a limit, or busy with Retry-After — and the ledger invariants hold.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as wizard from '~/routes/reseller+/customers.new'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { call, confirmEntries, formPost, getPage, resellerFixture, simNodes, type Sims } from '../reseller/fixtures'
import { assertLedgerConsistent } from './fixtures'

let sims: Sims
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims)
})
afterAll(async () => {
	await sims.close()
})

/** `n` confirm pages of creates (1 GB, 1 day on Marzban = 110), quoted one after another. */
async function confirmPages(cookie: string, n: number, prefix: string) {
	const pages = []
	for (let i = 0; i < n; i++) {
		const quoted = await call(wizard.action, formPost('/reseller/customers/new', { intent: 'quote', nodeIds: String(nodes.marzban), gb: '1', days: '1', username: `${prefix}_${i}` }, cookie))
		expect(quoted.status).toBe(302)
		pages.push((await call(wizard.loader, getPage(quoted.location!, cookie))).data)
	}
	return pages
}

/** Every answer is a redirect or a translated 4xx; the counts by status. */
function classify(answers: Array<Awaited<ReturnType<typeof call>> | Error>) {
	const byStatus: Record<string, number> = {}
	for (const a of answers) {
		const key = a instanceof Error ? `thrown: ${a.message.slice(0, 80)}` : String(a.status)
		byStatus[key] = (byStatus[key] ?? 0) + 1
		if (a instanceof Error) continue
		if (a.status === 302) continue
		expect(a.status, JSON.stringify(a.data?.code)).toBeGreaterThanOrEqual(400)
		expect(a.status).toBeLessThan(500)
		// spending the last of the money leaves nothing available: rule 1 then refuses the rest
		expect(['insufficient_funds', 'blocked_zero_balance', 'limit_customers', 'busy']).toContain(a.data.code)
		expect(a.data.result.error[''][0]).toBeTruthy() // the translated message reaches the form
	}
	return byStatus
}

async function assertInvariants(resellerId: number, ok: number) {
	const s = await assertLedgerConsistent(resellerId)
	expect(s.balance).toBe(s.moneySum)
	expect(s.balance).toBeGreaterThanOrEqual(-s.creditLimit)
	const entries = await prisma.ledgerEntry.findMany({ where: { resellerId, account: 'money' }, orderBy: { id: 'asc' } })
	let running = 0n
	for (const e of entries) {
		expect(e.balanceBefore).toBe(running)
		running += e.amount
	}
	// one customer, one order and one charge per success; nothing for the refused
	expect(await prisma.customer.count({ where: { resellerId } })).toBe(ok)
	expect(await prisma.order.count({ where: { resellerId } })).toBe(ok)
	expect(await prisma.ledgerEntry.count({ where: { resellerId, kind: 'charge' } })).toBe(ok)
}

describe('a burst of executes', () => {
	test('busy is a 429 with Retry-After and a translated message', async () => {
		const { billingErrorReply } = await import('~/utils/billing-errors.server')
		const { BillingError } = await import('~/services/billing/errors')
		const { parseWithZod } = await import('@conform-to/zod/v4')
		const { z } = await import('zod')
		const submission = parseWithZod(new FormData(), { schema: z.object({}) })
		const reply = (await billingErrorReply(new Request('http://localhost/'), submission, new BillingError('busy', { seconds: 2 }))) as unknown as { data: { code: string; result: { error: Record<string, string[]> } }; init: { status: number; headers: Record<string, string> } }
		expect(reply.init.status).toBe(429)
		expect(reply.init.headers['Retry-After']).toBe('2')
		expect(reply.data.result.error['']![0]).toMatch(/Try again in 2 seconds/)
	})

	test('200 at once by one reseller funded for 150: zero 500s, exactly 150 created, the rest told why', async () => {
		const r = await resellerFixture({ nodeIds: [nodes.marzban], funds: 150n * 110n })
		const pages = await confirmPages(r.cookie, 200, 'burst')
		const started = Date.now()
		const answers = await Promise.all(pages.map((p) => call(wizard.action, formPost('/reseller/customers/new', confirmEntries(p), r.cookie)).catch((e: Error) => e)))
		const byStatus = classify(answers)
		console.log(`burst: ${JSON.stringify(byStatus)} in ${Date.now() - started} ms`) // information only, never asserted
		expect(Object.keys(byStatus).filter((k) => k.startsWith('thrown'))).toEqual([])
		const ok = byStatus['302'] ?? 0
		// busy answers are allowed by the issue; on this machine every request got its turn
		expect(ok + (byStatus['429'] ?? 0)).toBeGreaterThanOrEqual(150)
		expect(ok).toBeLessThanOrEqual(150)
		await assertInvariants(r.reseller.id, ok)
	}, 300_000) // a generous bound for a loaded machine, not a timing assertion

	test('10 resellers × 50 at once: zero 500s, every reseller consistent', async () => {
		const resellers = await Promise.all(Array.from({ length: 10 }, () => resellerFixture({ nodeIds: [nodes.marzban], funds: 40n * 110n })))
		const pages = await Promise.all(resellers.map((r, i) => confirmPages(r.cookie, 50, `many${i}`)))
		const answers = await Promise.all(resellers.flatMap((r, i) => pages[i]!.map((p) => call(wizard.action, formPost('/reseller/customers/new', confirmEntries(p), r.cookie)).catch((e: Error) => e))))
		const byStatus = classify(answers)
		expect(Object.keys(byStatus).filter((k) => k.startsWith('thrown'))).toEqual([])
		for (const r of resellers) {
			const ok = await prisma.customer.count({ where: { resellerId: r.reseller.id } })
			expect(ok).toBeLessThanOrEqual(40)
			await assertInvariants(r.reseller.id, ok)
		}
	}, 300_000)
})
