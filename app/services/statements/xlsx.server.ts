// A statement as an Excel workbook (exceljs): one sheet, right to left in Persian, the summary on
// top and one row per ledger entry below. Amounts are NUMBER cells in the wallet's own currency
// (major units, the currency's name inside the number format), so they sum and sort and match the
// screen and the PDF to the unit; a Jalali date column (text in the reader's digits) and an ISO
// 8601 UTC column sit side by side, as in the reports (issue 14).
import ExcelJS from 'exceljs'
import type { TFunction } from 'i18next'
import { currencyName } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { getT } from '~/utils/i18n.server'
import { decimalsOf } from '~/utils/money'
import { monthLabel, STATEMENT_TZ } from './month'
import type { FullStatement } from './statement.server'

/** A bigint of minor units as a number of major units, through its digits (no float division). */
export function majorUnits(minor: bigint, currency: string) {
	const d = decimalsOf(currency)
	if (d === 0) return Number(minor)
	const neg = minor < 0n
	const digits = (neg ? -minor : minor).toString().padStart(d + 1, '0')
	return Number(`${neg ? '-' : ''}${digits.slice(0, -d)}.${digits.slice(-d)}`)
}

const moneyFormat = (lang: Lang, currency: string) => {
	const d = decimalsOf(currency)
	return `#,##0${d ? `.${'0'.repeat(d)}` : ''} "${currencyName(lang, currency)}"`
}

const jalaliFormats = new Map<Lang, Intl.DateTimeFormat>()
/** "۱۴۰۵/۰۹/۰۱ ۱۴:۳۰" (fa) / "1405/09/01 14:30" (en), Tehran time. */
export function jalaliDateTime(at: Date, lang: Lang) {
	let f = jalaliFormats.get(lang)
	if (!f) {
		f = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'fa-IR-u-ca-persian-nu-latn', { timeZone: STATEMENT_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
		jalaliFormats.set(lang, f)
	}
	const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
	return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`
}

export function customerText(t: TFunction, r: FullStatement['rows'][number]) {
	if (r.customer) return r.customer.username
	if (r.refType === 'payment' && r.refId) return t('statements.ref.payment', { id: r.refId })
	return ''
}

export async function statementWorkbook(s: FullStatement, lang: Lang): Promise<Buffer> {
	const t = await getT(lang)
	const currency = s.reseller.currency
	const fmt = moneyFormat(lang, currency)
	const wb = new ExcelJS.Workbook()
	wb.creator = 'Guardino Hub'
	const title = t('statements.title', { month: monthLabel(lang, s.period) })
	const ws = wb.addWorksheet(t('statements.sheet'), { views: [{ rightToLeft: lang === 'fa' }] })
	ws.columns = [{ width: 18 }, { width: 26 }, { width: 22 }, { width: 22 }, { width: 18 }, { width: 18 }, { width: 40 }]

	const pair = (label: string, value: string | number, numFmt?: string) => {
		const row = ws.addRow([label, value])
		row.getCell(1).font = { bold: true }
		if (numFmt) row.getCell(2).numFmt = numFmt
		return row
	}
	ws.addRow([title]).font = { bold: true, size: 14 }
	pair(t('statements.reseller'), s.reseller.name)
	pair(t('statements.period'), `${s.period.firstDay} – ${s.period.lastDay}`)
	pair(t('statements.currency'), currencyName(lang, currency))
	pair(t('statements.opening'), majorUnits(s.opening, currency), fmt)
	pair(t('statements.credits'), majorUnits(s.credits, currency), fmt)
	pair(t('statements.debits'), majorUnits(s.debits, currency), fmt)
	pair(t('statements.closing'), majorUnits(s.closing, currency), fmt)
	pair(t('statements.creditUsedClosing'), majorUnits(s.creditUsed.closing, currency), fmt)
	pair(t('statements.creditUsedPeak'), majorUnits(s.creditUsed.peak, currency), fmt)
	pair(t('statements.creditLimit'), majorUnits(s.creditUsed.limit, currency), fmt)
	ws.addRow([])

	const columns = ['dateJalali', 'dateIso', 'operation', 'customer', 'amount', 'balanceAfter', 'note'] as const
	const header = ws.addRow(columns.map((c) => t(`statements.columns.${c}`)))
	header.font = { bold: true }
	const headerRow = header.number
	for (const r of s.rows) {
		const row = ws.addRow([jalaliDateTime(r.at, lang), r.at.toISOString(), t(`statements.operations.${r.operation}`), customerText(t, r), majorUnits(r.amount, currency), majorUnits(r.balanceAfter, currency), r.note ?? ''])
		row.getCell(5).numFmt = fmt
		row.getCell(6).numFmt = fmt
	}
	ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } }
	ws.views = [{ rightToLeft: lang === 'fa', state: 'frozen', ySplit: headerRow }]
	return Buffer.from(await wb.xlsx.writeBuffer())
}
