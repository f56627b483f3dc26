// The demo's reseller history (prisma/seed.ts) gives the charts months of content, through the
// ledger's writer only (every transaction balanced, the wallet equal to its legs), once.
import { expect, test } from 'vitest'
import { analytics } from '~/services/reports/analytics.server'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { seedDemo, seedDemoResellerHistory } from '../../prisma/seed'
import { unbalancedTransactions } from '../billing/fixtures'

test('several Jalali months of ledger history, created once', { timeout: 300_000 }, async () => {
	await seedDemo(prisma)
	const node = (name: string) => prisma.node.create({ data: { name, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })) } })
	const ids = [(await node('Hist A')).id, (await node('Hist B')).id, (await node('Hist C')).id]
	await seedDemoResellerHistory(prisma, ids)
	const count = await prisma.ledgerEntry.count()
	await seedDemoResellerHistory(prisma, ids) // a second demo start adds nothing
	expect(await prisma.ledgerEntry.count()).toBe(count)

	const r = await prisma.reseller.findFirstOrThrow({ where: { user: { username: 'reseller_irr' } } })
	const a = await analytics({ from: new Date(Date.now() - 160 * 86_400_000), to: new Date(Date.now() + 86_400_000), currency: 'IRR', resellerId: r.id })
	expect(a.perMonth.filter((m) => m.net > 0n).length).toBeGreaterThanOrEqual(4)
	expect(a.totals.refunds).toBeGreaterThan(0n)
	expect(a.byNode.filter((n) => n.id != null).length).toBe(3)
	expect(a.approval.count).toBe(5)
	expect(await unbalancedTransactions()).toEqual([])
	const sum = await prisma.ledgerEntry.aggregate({ where: { resellerId: r.id, account: 'money' }, _sum: { amount: true } })
	expect((await prisma.reseller.findUniqueOrThrow({ where: { id: r.id } })).balance).toBe(sum._sum.amount)
})
