// The statement pages and downloads through their real loaders (issue 14): the reseller sees his
// own statement and nobody else's, the admin any reseller's; bad months and calendars are
// translated 400s; the Excel workbook is read back with exceljs (right to left in Persian, amounts
// as numbers in the store's display unit — Toman for this Rial wallet by default, Rial when the
// store shows Rial — Jalali + ISO dates); the PDF is a PDF whose text reads back shaped and in order
// (tests/invoices/pdf-text.ts, as the invoice PDF tests do).
import { randomUUID } from 'node:crypto'
import type { LoaderFunctionArgs } from '@remix-run/node'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, test } from 'vitest'
import * as adminPdf from '~/routes/admin+/resellers.$id.statement.pdf'
import * as adminPage from '~/routes/admin+/resellers.$id.statement'
import * as adminXlsx from '~/routes/admin+/resellers.$id.statement.xlsx'
import * as resellerPdf from '~/routes/reseller+/statements.pdf'
import * as resellerPage from '~/routes/reseller+/statements'
import * as resellerXlsx from '~/routes/reseller+/statements.xlsx'
import { post } from '~/services/billing/ledger.server'
import { monthKey, monthOf, shiftMonth } from '~/services/statements/month'
import { statementPdf } from '~/services/statements/pdf.server'
import { fullStatement } from '~/services/statements/statement.server'
import { forgetStoreSettings } from '~/services/settings.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { fund, createReseller } from '../billing/fixtures'
import { loginAs } from '../factories'
import { BASE, settle } from '../helpers'
import { pdfText } from '../invoices/pdf-text'

const cookieOf = async (userId: number) => (await createSession(userId, new Request(BASE))).split(';')[0]!
const reversed = (s: string) => [...s].reverse().join('')

async function call(mod: { loader: (args: LoaderFunctionArgs) => Promise<unknown> }, path: string, cookie: string, lang: 'en' | 'fa' = 'en', params: Record<string, string> = {}) {
	const request = new Request(`${BASE}${path}`, { headers: { Cookie: cookie, 'Accept-Language': lang } })
	return settle(() => mod.loader({ request, params, context: {} }))
}
const pageData = (r: unknown) => r as Awaited<ReturnType<typeof resellerPage.loader>>

const NAME = 'فروشگاه آرش'
let a: { id: number; cookie: string; customerId: number }
let b: { id: number; cookie: string }
let admin: string
const thisMonth = () => monthOf(new Date(), 'jalali')

beforeAll(async () => {
	const ra = await createReseller({ nodeIds: [], creditLimit: 500_000n })
	await prisma.reseller.update({ where: { id: ra.reseller.id }, data: { name: NAME, currency: 'IRR' } })
	await fund(ra.reseller.id, 1_250_000n)
	const customer = await prisma.customer.create({ data: { resellerId: ra.reseller.id, username: 'arash_c1', dataLimitBytes: 1n, expireAt: new Date(Date.now() + 86_400_000), subToken: randomUUID() } })
	const order = await prisma.order.create({ data: { resellerId: ra.reseller.id, customerId: customer.id, kind: 'extend', quote: {}, idempotencyKey: randomUUID(), currency: 'IRR' } })
	await prisma.$transaction((tx) => post(tx, { resellerId: ra.reseller.id, account: 'money', amount: -1_500_000n, kind: 'charge', refType: 'order', refId: order.id, idempotencyKey: randomUUID() }))
	a = { id: ra.reseller.id, cookie: await cookieOf(ra.user.id), customerId: customer.id }
	const rb = await createReseller({ nodeIds: [], funds: 777n })
	b = { id: rb.reseller.id, cookie: await cookieOf(rb.user.id) }
	admin = (await loginAs('admin')).cookie
})

describe('statement screen', () => {
	test('the reseller’s own month: opening, entries with customer and operation, closing, credit used', async () => {
		const data = pageData(await call(resellerPage, '/reseller/statements', a.cookie, 'fa'))
		expect(data.month).toEqual({ key: monthKey(thisMonth()), cal: 'jalali', label: expect.stringMatching(/[۰-۹]{4}$/) })
		expect(data.display).toBe('IRT') // the store's default: the screen shows this Rial wallet in Toman
		const s = data.summary
		expect([s.reseller.id, s.opening, s.credits, s.debits, s.closing, s.count]).toEqual([a.id, 0n, 1_250_000n, 1_500_000n, -250_000n, 2])
		expect(s.creditUsed).toEqual({ closing: 250_000n, peak: 250_000n, limit: 500_000n })
		expect(data.rows.map((r) => [r.operation, r.amount, r.balanceAfter, r.customer?.username ?? null])).toEqual([
			['adjustment_credit', 1_250_000n, 1_250_000n, null],
			['renew', -1_500_000n, -250_000n, 'arash_c1'],
		])
		expect(data.rows[1]!.customer!.id).toBe(a.customerId)
		// Gregorian on request; the previous month is empty and opens at zero
		const greg = pageData(await call(resellerPage, '/reseller/statements?cal=gregorian', a.cookie, 'fa'))
		expect([greg.month.cal, greg.summary.closing]).toEqual(['gregorian', -250_000n])
		const prev = pageData(await call(resellerPage, `/reseller/statements?month=${monthKey(shiftMonth(thisMonth(), -1))}&cal=jalali`, a.cookie))
		expect([prev.summary.opening, prev.summary.closing, prev.rows.length]).toEqual([0n, 0n, 0])
	})

	test('reseller B sees only his own; he cannot name A; the admin pages are not his', async () => {
		const data = pageData(await call(resellerPage, `/reseller/statements?reseller=${a.id}&id=${a.id}`, b.cookie))
		expect(data.summary.reseller.id).toBe(b.id)
		expect(data.rows.map((r) => r.amount)).toEqual([777n])
		for (const mod of [adminPage, adminXlsx, adminPdf]) expect(((await call(mod, `/admin/resellers/${a.id}/statement`, b.cookie, 'en', { id: String(a.id) })) as Response).status).toBe(403)
		// the downloads are his own too
		const wb = new ExcelJS.Workbook()
		await wb.xlsx.load(await ((await call(resellerXlsx, '/reseller/statements/xlsx', b.cookie)) as Response).arrayBuffer())
		const text = JSON.stringify(wb.worksheets[0]!.getSheetValues())
		expect(text).not.toContain('arash_c1')
		expect(text).not.toContain(NAME)
	})

	test('the admin reads any reseller’s statement; an unknown or malformed id is a 404', async () => {
		const data = pageData(await call(adminPage, `/admin/resellers/${a.id}/statement`, admin, 'en', { id: String(a.id) }))
		expect([data.summary.reseller.name, data.summary.closing, data.month.cal]).toEqual([NAME, -250_000n, 'gregorian'])
		for (const id of ['2000000000', 'abc', '-1']) {
			for (const mod of [adminPage, adminXlsx, adminPdf]) expect(((await call(mod, `/admin/resellers/${id}/statement`, admin, 'en', { id })) as Response).status).toBe(404)
		}
	})

	test('a bad month or calendar is a translated 400 on the screen and the downloads', async () => {
		for (const [mod, path] of [[resellerPage, '/reseller/statements'], [resellerXlsx, '/reseller/statements/xlsx'], [resellerPdf, '/reseller/statements/pdf']] as const) {
			for (const q of ['month=1405-13&cal=jalali', 'month=abc', 'month=2026-11&cal=jalali', 'cal=hijri', 'month=%00']) {
				const fa = (await call(mod, `${path}?${q}`, a.cookie, 'fa')) as Response
				expect(fa.status).toBe(400)
				expect(await fa.text()).toMatch(/ماه معتبر نیست|تقویم ناشناخته/)
			}
			const en = (await call(mod, `${path}?month=1405-13&cal=jalali`, a.cookie, 'en')) as Response
			expect([en.status, await en.text()]).toEqual([400, expect.stringContaining('That is not a month')])
		}
		// Persian digits are a month like any other
		expect(pageData(await call(resellerPage, `/reseller/statements?month=${monthKey(thisMonth()).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)}&cal=jalali`, a.cookie)).summary.count).toBe(2)
	})
})

describe('statement downloads', () => {
	test('Excel: Persian sheet right to left, amounts as numbers in Toman, Jalali and ISO date columns', async () => {
		const res = (await call(resellerXlsx, `/reseller/statements/xlsx?month=${monthKey(thisMonth())}&cal=jalali`, a.cookie, 'fa')) as Response
		expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
		expect(res.headers.get('Content-Disposition')).toContain(`statement-${a.id}-${monthKey(thisMonth())}-jalali.xlsx`)
		const wb = new ExcelJS.Workbook()
		await wb.xlsx.load(await res.arrayBuffer())
		const ws = wb.worksheets[0]!
		expect(ws.views[0]?.rightToLeft).toBe(true)
		const rows: unknown[][] = []
		const numbers: number[] = []
		ws.eachRow((row) => {
			rows.push((row.values as unknown[]).slice(1))
			numbers.push(row.number)
		})
		const find = (label: string) => rows.find((r) => r[0] === label)
		expect(find('نماینده')?.[1]).toBe(NAME)
		// the Rial wallet in Toman, as the store displays money by default (the reports do the same)
		expect(find('واحد پول')?.[1]).toBe('تومان')
		expect(find('مانده‌ی ابتدای دوره')?.[1]).toBe(0)
		expect(find('مانده‌ی پایان دوره')?.[1]).toBe(-25_000)
		expect(find('اعتبار مصرف‌شده در پایان دوره')?.[1]).toBe(25_000)
		const header = rows.findIndex((r) => r[0] === 'تاریخ (شمسی)')
		expect(header).toBeGreaterThan(0)
		expect([rows[header]![4], rows[header]![5]]).toEqual(['مبلغ (تومان)', 'مانده پس از آن (تومان)'])
		const entries = rows.slice(header + 1)
		expect(entries).toHaveLength(2)
		const legs = await prisma.ledgerEntry.findMany({ where: { resellerId: a.id }, orderBy: { id: 'asc' } })
		expect(entries.map((r) => [r[2], r[3], r[4], r[5]])).toEqual([
			['افزایش اعتبار توسط مدیر', '', 125_000, 125_000],
			['تمدید', 'arash_c1', -150_000, -25_000],
		])
		// Jalali text in Persian digits (Tehran time) and the exact ISO instant beside it
		expect(entries[0]![0]).toMatch(/^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$/)
		expect(entries.map((r) => r[1])).toEqual(legs.map((l) => l.createdAt.toISOString()))
		expect(typeof entries[1]![4]).toBe('number')
		expect(ws.getRow(numbers[header + 2]!).getCell(5).numFmt).toBe('#,##0 "تومان"')
		expect(ws.getRow(numbers.at(-1)!).getCell(6).numFmt).toBe('#,##0 "تومان"')
	})

	test('English Excel is left to right', async () => {
		const wb = new ExcelJS.Workbook()
		await wb.xlsx.load(await ((await call(adminXlsx, `/admin/resellers/${a.id}/statement/xlsx`, admin, 'en', { id: String(a.id) })) as Response).arrayBuffer())
		expect(wb.worksheets[0]!.views[0]?.rightToLeft).toBe(false)
		expect(JSON.stringify(wb.worksheets[0]!.getSheetValues())).toContain('Renewal')
	})

	test('PDF: a PDF with the reseller’s name shaped and in reading order, Persian digits', async () => {
		const res = (await call(resellerPdf, '/reseller/statements/pdf', a.cookie, 'fa')) as Response
		expect(res.headers.get('Content-Type')).toBe('application/pdf')
		const bytes = Buffer.from(await res.arrayBuffer())
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
		const { runs, glyphsOf } = pdfText(bytes)
		const visual = runs.join('')
		// Drawn left to right, a right-to-left run shows its letters reversed: the name reads back as
		// its mirror, never as the logical string drawn backwards by a reversing engine (word order kept).
		expect(runs).toContain(reversed(NAME))
		expect(visual).toContain(`${reversed('تومان')} ۲۵٬۰۰۰`)
		expect(visual).toContain(reversed('تمدید'))
		expect(visual).toContain('arash_c1')
		expect(glyphsOf.get('ش')!.size).toBeGreaterThan(1) // shaped: more than one joining form
		// English: left to right, Latin digits
		const en = pdfText(Buffer.from(await ((await call(adminPdf, `/admin/resellers/${a.id}/statement/pdf`, admin, 'en', { id: String(a.id) })) as Response).arrayBuffer()))
		expect(en.runs).toContain('Closing balance')
		expect(en.runs.join('')).toContain('−25,000 Toman')
		expect(en.text).not.toMatch(/[۰-۹]/)
	})

	test('PDF: a month longer than the print limit prints up to it and says the Excel file has all', async () => {
		const s = (await fullStatement(a.id, thisMonth()))!
		const { text, runs } = pdfText(await statementPdf(s, 'en', 1))
		expect(runs).toContain('Credit by the admin')
		expect(runs).not.toContain('Renewal')
		expect(runs.join('')).toContain('The first 1 of 2 entries are printed; the Excel file has them all.')
		expect(text).not.toContain('arash_c1')
	})
})

describe('a store that shows Rial', () => {
	test('the screen, the Excel file and the PDF keep the Rial wallet in Rial', async () => {
		await storeDisplay('IRR')
		try {
			expect(pageData(await call(resellerPage, '/reseller/statements', a.cookie, 'fa')).display).toBe('IRR')
			const wb = new ExcelJS.Workbook()
			await wb.xlsx.load(await ((await call(resellerXlsx, '/reseller/statements/xlsx', a.cookie, 'en')) as Response).arrayBuffer())
			const rows: unknown[][] = []
			wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
			expect(rows.find((r) => r[0] === 'Currency')?.[1]).toBe('Rial')
			expect(rows.find((r) => r[0] === 'Closing balance')?.[1]).toBe(-250_000)
			const header = rows.findIndex((r) => r[0] === 'Date (Jalali)')
			expect(rows[header]![4]).toBe('Amount (Rial)')
			expect(rows.slice(header + 1).map((r) => r[4])).toEqual([1_250_000, -1_500_000])
			const pdf = pdfText(Buffer.from(await ((await call(resellerPdf, '/reseller/statements/pdf', a.cookie, 'en')) as Response).arrayBuffer()))
			expect(pdf.runs.join('')).toContain('−250,000 Rial')
		} finally {
			await storeDisplay('IRT')
		}
	})
})

async function storeDisplay(displayCurrency: 'IRT' | 'IRR') {
	const value = { displayCurrency }
	await prisma.setting.upsert({ where: { key: 'store' }, create: { key: 'store', value }, update: { value } })
	forgetStoreSettings()
}
