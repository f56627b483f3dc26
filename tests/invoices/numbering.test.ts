// Gapless numbers per series and Jalali year under concurrency, a rolled-back issue giving its
// number back, immutability of issued invoices (DB trigger) and credit notes in their own series.
import { describe, expect, test } from 'vitest'
import { issueInvoice, createDraft } from '~/services/invoices/checkout.server'
import { issueCreditNote } from '~/services/invoices/credit-notes.server'
import { jalaliYear, takeNumber } from '~/services/invoices/numbering.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { prisma } from '~/utils/db.server'
import { endUser, formKey, storeNode, storePlan, walletOf } from './fixtures'

// 2026-06-10 in Tehran is 1405/03/20.
const NOW = new Date('2026-06-10T08:30:00Z')

describe('Jalali year of issue (Asia/Tehran)', () => {
	test('Nowruz 1405 starts at 00:00 Tehran on 2026-03-21 (20:30 UTC the day before)', () => {
		expect(jalaliYear(new Date('2026-03-20T20:29:59Z'))).toBe(1404)
		expect(jalaliYear(new Date('2026-03-20T20:30:00Z'))).toBe(1405)
	})
})

describe('numbering', () => {
	test('20 concurrent issues take 1..20: no gap, no duplicate', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id])
		const users = await Promise.all(Array.from({ length: 20 }, () => endUser()))
		const drafts = await Promise.all(users.map((u) => createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)))
		await Promise.all(drafts.map((id, i) => issueInvoice(users[i]!.id, id, NOW)))
		const rows = await prisma.invoice.findMany({ where: { id: { in: drafts } }, select: { seq: true, number: true, status: true } })
		expect(rows.map((r) => r.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
		expect(new Set(rows.map((r) => r.number)).size).toBe(20)
		expect(rows.every((r) => r.status === 'open' && /^GH-1405-0000\d\d$/.test(r.number!))).toBe(true)
	})

	test('a rolled-back issue gives its number back (the next issue takes it)', async () => {
		const before = await takeNumberPeek('GH', 1406)
		await expect(
			prisma.$transaction(async (tx) => {
				await takeNumber(tx, 'GH', new Date('2027-06-10T08:30:00Z'))
				throw new Error('rollback')
			}),
		).rejects.toThrow('rollback')
		const n = await prisma.$transaction((tx) => takeNumber(tx, 'GH', new Date('2027-06-10T08:30:00Z')))
		expect(n.seq).toBe(before + 1)
		expect(n.number).toBe(`GH-1406-${String(before + 1).padStart(6, '0')}`)
	})
})

async function takeNumberPeek(series: string, year: number) {
	const row = await prisma.invoiceCounter.findUnique({ where: { series_year: { series, year } } })
	return row?.last ?? 0
}

describe('immutability and credit notes', () => {
	test('an issued invoice refuses changes to its lines and totals; status may still move', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id])
		const u = await endUser()
		const id = await createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)
		// a draft is editable
		await prisma.invoiceLine.updateMany({ where: { invoiceId: id }, data: { values: { edited: true } } })
		await issueInvoice(u.id, id, NOW)
		await expect(prisma.invoice.update({ where: { id }, data: { total: 1n } })).rejects.toThrow(/credit note/)
		await expect(prisma.invoice.update({ where: { id }, data: { number: 'GH-1405-999999' } })).rejects.toThrow(/credit note/)
		await expect(prisma.invoiceLine.updateMany({ where: { invoiceId: id }, data: { amount: 1n } })).rejects.toThrow(/issued invoice/)
		await expect(prisma.invoiceLine.deleteMany({ where: { invoiceId: id } })).rejects.toThrow(/issued invoice/)
		await expect(prisma.invoiceLine.create({ data: { invoiceId: id, position: 9, kind: 'plan', labelKey: 'x', unitAmount: 1n, amount: 1n } })).rejects.toThrow(/issued invoice/)
		await expect(prisma.invoice.delete({ where: { id } })).rejects.toThrow(/cannot be deleted/)
		await expect(prisma.$executeRaw`update invoices set status = 'draft' where id = ${id}`).rejects.toThrow(/credit note/)
		// a status change is allowed
		await prisma.invoice.update({ where: { id }, data: { note: 'seen' } })
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).total).toBe(1_000_000n)
	})

	test('a credit note has its own series, credits the wallet, and never passes what is uncredited', async () => {
		const node = await storeNode()
		const plan = await storePlan([node.id], { price: 1_000_000n })
		const admin = await endUser()
		const u = await endUser(1_000_000n)
		const id = await createDraft({ userId: u.id, planId: plan.id, mode: 'new', formKey: formKey() }, NOW)
		await issueInvoice(u.id, id, NOW)
		await payWithWallet(u.id, id, NOW)
		expect(await walletOf(u.id)).toBe(0n)
		const cn = await issueCreditNote(admin.id, id, 400_000n, 'goodwill', NOW)
		expect(cn.number).toMatch(/^CN-1405-\d{6}$/)
		expect(await walletOf(u.id)).toBe(400_000n)
		await expect(issueCreditNote(admin.id, id, 600_001n, 'too much', NOW)).rejects.toMatchObject({ code: 'credit_too_large' })
		const second = await issueCreditNote(admin.id, id, 600_000n, 'rest', NOW)
		expect(Number(second.number.slice(-6))).toBe(Number(cn.number.slice(-6)) + 1)
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).paymentStatus).toBe('refunded')
		expect(await walletOf(u.id)).toBe(1_000_000n)
	})
})
