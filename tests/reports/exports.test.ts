// Every export kind read back with exceljs: translated headers, a right-to-left sheet in Persian,
// amounts as numbers in Toman with the unit in the format, a Jalali and an ISO date column, and
// only the rows the filters and the scope allow.
import ExcelJS from 'exceljs'
import { afterAll, describe, expect, test } from 'vitest'
import { EXPORT_KINDS, resolveFilters, type ExportKind, type ReportFilters } from '~/services/reports/filters'
import { requestExport, runExport } from '~/services/reports/export.server'
import { prisma } from '~/utils/db.server'
import { getT } from '~/utils/i18n.server'
import { createUser } from '../factories'
import { removeExportFiles, reportWorld } from './fixtures'

const PERSIAN_JALALI = /^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

async function exportOf(kind: ExportKind, opts: { lang?: 'fa' | 'en'; filters?: ReportFilters; resellerId?: number | null; by: number }) {
	const row = await requestExport({ requestedBy: opts.by, resellerId: opts.resellerId ?? null, kind, filters: opts.filters ?? {}, lang: opts.lang ?? 'fa' })
	await runExport(row.id, { pageSize: 3 }) // small pages: every sheet is read through several keyset pages
	const done = await prisma.reportExport.findUniqueOrThrow({ where: { id: row.id } })
	expect(done.error).toBeNull()
	expect(done.status).toBe('done')
	const wb = new ExcelJS.Workbook()
	await wb.xlsx.readFile(done.file!)
	const ws = wb.worksheets[0]!
	const header = (ws.getRow(1).values as unknown[]).slice(1) as string[]
	const rows = [] as Array<Record<string, ExcelJS.Cell>>
	for (let i = 2; i <= ws.rowCount; i++) {
		const r = ws.getRow(i)
		rows.push(Object.fromEntries(header.map((h, c) => [h, r.getCell(c + 1)])))
	}
	return { done, ws, header, rows }
}

afterAll(removeExportFiles)

describe('Excel exports', () => {
	test('each kind opens, in Persian: RTL, translated headers, Jalali + ISO dates, Toman numbers', { timeout: 300_000 }, async () => {
		const w = await reportWorld()
		const admin = await createUser('admin')
		const fa = await getT('fa')
		const col = (k: string) => fa(`reports.columns.${k}`)
		const counts: Record<string, number> = {}
		for (const kind of EXPORT_KINDS) {
			const { ws, header, rows, done } = await exportOf(kind, { by: admin.id })
			expect(ws.views[0]?.rightToLeft, kind).toBe(true)
			expect(ws.name).toBe(fa(`reports.kinds.${kind}`))
			expect(header.slice(0, 2)).toEqual([col('jalali'), col('iso')])
			expect(done.rowsDone).toBe(rows.length)
			expect(done.rowsTotal).toBe(rows.length)
			for (const r of rows) {
				expect(String(r[col('jalali')]!.value)).toMatch(PERSIAN_JALALI)
				expect(String(r[col('iso')]!.value)).toMatch(kind.endsWith('_usage') ? /^\d{4}-\d{2}-\d{2}$/ : ISO)
			}
			counts[kind] = rows.length
		}
		expect(counts).toMatchObject({ orders: 4, invoices: 1, payments: 6, customers: 4, node_usage: 2, router_usage: 1 })
		expect(counts.ledger).toBe(w.postings.length) // one wallet leg per transaction; counter legs are not wallets
	})

	test('amounts are numbers in Toman with the unit in the format; the ISO column is the row\'s instant', { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const admin = await createUser('admin')
		const fa = await getT('fa')
		const col = (k: string) => fa(`reports.columns.${k}`)
		const orders = await exportOf('orders', { by: admin.id })
		const o1 = orders.rows.find((r) => r[col('id')]!.value === w.orders.o1.id)!
		expect(o1[col('amount')]!.value).toBe(100_100) // 1,001,000 Rial
		expect(o1[col('amount')]!.numFmt).toBe('#,##0 "تومان"')
		expect(o1[col('iso')]!.value).toBe(w.orders.o1.createdAt.toISOString())
		expect(o1[col('trafficGb')]!.value).toBe(10)

		const payments = await exportOf('payments', { by: admin.id })
		const p = payments.rows[0]!
		expect(p[col('amount')]!.value).toBe(100_000.5) // 1,000,005 Rial: the Rial remainder is one decimal
		expect(p[col('amount')]!.numFmt).toBe('#,##0.0 "تومان"')
		expect(p[col('amountRial')]!.value).toBe(1_000_005)
		expect(p[col('cardLast4')]!.value).toBe('1234')
		expect(p[col('dayCount')]!.value).toBe(1) // one used reservation on that Tehran day
		expect(p[col('dayCountLimit')]!.value).toBe(10)
		expect(p[col('dayAmountLimit')]!.value).toBe(5_000_000)

		const invoices = await exportOf('invoices', { by: admin.id, lang: 'en' })
		expect(invoices.ws.views[0]?.rightToLeft ?? false).toBe(false)
		const en = await getT('en')
		const inv = invoices.rows[0]!
		expect(invoices.header).toContain(en('reports.columns.discount'))
		expect(inv[en('reports.columns.discount')]!.value).toBe(20_000)
		expect(inv[en('reports.columns.discount')]!.numFmt).toBe('#,##0 "Toman"')
		expect(String(inv[en('reports.columns.jalali')]!.value)).toMatch(/^\d{4}\/\d{2}\/\d{2}/) // Latin digits in English

		const peers = await exportOf('router_usage', { by: admin.id })
		expect(peers.rows[0]![col('usedGb')]!.value).toBe(4)
		expect(peers.rows[0]![col('usedBytes')]!.value).toBe(4 * 1024 ** 3)
		expect(peers.rows[0]![col('iso')]!.value).toBe(new Date(w.now.getTime() - 86_400_000).toISOString().slice(0, 10))

		const ledger = await exportOf('ledger', { by: admin.id })
		const fund = ledger.rows.find((r) => r[col('wallet')]!.value === `wallet:reseller:${w.r1.reseller.id}` && r[col('entryKind')]!.value === fa('reports.entryKind.adjustment_credit'))!
		expect(fund[col('balanceBefore')]!.value).toBe(0)
		expect(fund[col('balanceAfter')]!.value).toBe(500_000)
	})

	test('filters: a Jalali date range (Persian digits, Tehran midnight), reseller, node, plan', { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const admin = await createUser('admin')
		const fa = await getT('fa')
		const col = (k: string) => fa(`reports.columns.${k}`)
		const ids = async (kind: ExportKind, filters: ReportFilters) => (await exportOf(kind, { by: admin.id, filters })).rows.map((r) => Number(r[col('id')]!.value)).sort((a, b) => a - b)
		const { o1, o2, o3, oRefund } = w.orders
		expect(await ids('orders', { resellerId: w.r2.reseller.id })).toEqual([o3.id])
		expect(await ids('orders', { planId: w.plan.id })).toEqual([o1.id, o3.id].sort((a, b) => a - b))
		expect(await ids('orders', { nodeId: w.nodeB.id })).toEqual([o1.id, o3.id].sort((a, b) => a - b))
		// o2 was 10 days ago, the refund 5, o3 2: from 11 days ago to 4 days ago (as typed in Persian) holds o2 and the refund
		const jalali = (daysAgo: number) => new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(w.now.getTime() - daysAgo * 86_400_000))
		const { FilterSchema } = await import('~/services/reports/filters')
		const range = FilterSchema.parse({ from: jalali(11), to: jalali(4) })
		expect(jalali(11)).toMatch(/^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/)
		const f = resolveFilters(range)
		// Tehran midnight is 20:30 UTC the day before (UTC+03:30)
		expect(f.from).toMatch(/T20:30:00\.000Z$/)
		expect(await ids('orders', { ...f, resellerId: w.r1.reseller.id })).toEqual([o2.id, oRefund.id].sort((a, b) => a - b)) // (earlier tests' worlds share the database)
	})

	test("a reseller's export holds only his rows, whatever filter he sends", { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const fa = await getT('fa')
		const col = (k: string) => fa(`reports.columns.${k}`)
		const r1 = w.r1.reseller.id
		const orders = await exportOf('orders', { by: w.r1.user.id, resellerId: r1, filters: { resellerId: w.r2.reseller.id } })
		expect(orders.rows.map((r) => r[col('reseller')]!.value)).toEqual(orders.rows.map(() => 'Reseller One'))
		expect(orders.rows.length).toBe(3)
		const ledger = await exportOf('ledger', { by: w.r1.user.id, resellerId: r1 })
		expect(new Set(ledger.rows.map((r) => r[col('wallet')]!.value))).toEqual(new Set([`wallet:reseller:${r1}`]))
		const customers = await exportOf('customers', { by: w.r1.user.id, resellerId: r1 })
		expect(customers.rows.map((r) => r[col('username')]!.value).sort()).toEqual(['rep_c1', 'rep_c2'])
		// hub-wide figures of a card's day are not his
		const payments = await exportOf('payments', { by: w.r1.user.id, resellerId: r1 })
		expect(payments.rows[0]![col('dayCount')]!.value).toBeNull()
	})
})
