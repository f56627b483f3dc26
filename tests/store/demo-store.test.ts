// The demo's store history (scripts/lib/demo-store.ts) on the demo catalogue: a coupon, end users
// with paid, open and void invoices over several Jalali months, made by the real services; a
// second run changes nothing.
import { expect, test } from 'vitest'
import { prisma } from '~/utils/db.server'
import { DEMO_COUPON, seedDemoStoreHistory } from '../../scripts/lib/demo-store'
import { seedDemo, seedDemoCatalogue } from '../../prisma/seed'
import { storeNode } from '../invoices/fixtures'

const jalaliMonth = (d: Date) => new Intl.DateTimeFormat('en-u-ca-persian', { timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric' }).format(d)

test('paid, open and void invoices across several Jalali months, a coupon used, idempotent', async () => {
	await seedDemo(prisma)
	const nodes = await Promise.all([storeNode('Demo A'), storeNode('Demo B'), storeNode('Demo C'), storeNode('Demo D')])
	await seedDemoCatalogue(prisma, nodes.map((n) => n.id))
	await seedDemoStoreHistory(prisma)
	const invoices = await prisma.invoice.findMany({ where: { type: 'invoice' }, orderBy: { seq: 'asc' } })
	const by = (s: string) => invoices.filter((i) => i.status === s)
	expect(by('paid').length).toBeGreaterThanOrEqual(5)
	expect(by('open').length).toBe(2)
	expect(by('void').length).toBe(2)
	expect(new Set(by('paid').map((i) => jalaliMonth(i.issuedAt!))).size).toBeGreaterThanOrEqual(3)
	// numbers are gapless and grow with the dates
	const dated = invoices.filter((i) => i.jalaliYear === invoices[0]!.jalaliYear)
	expect(dated.map((i) => i.issuedAt!.getTime())).toEqual([...dated.map((i) => i.issuedAt!.getTime())].sort((a, b) => a - b))
	const coupon = await prisma.coupon.findUniqueOrThrow({ where: { code: DEMO_COUPON } })
	expect(await prisma.couponRedemption.count({ where: { couponId: coupon.id, status: 'used' } })).toBe(1)
	expect(await prisma.customer.count({ where: { resellerId: null } })).toBeGreaterThanOrEqual(4)

	await seedDemoStoreHistory(prisma)
	expect(await prisma.invoice.count({ where: { type: 'invoice' } })).toBe(invoices.length)
})
