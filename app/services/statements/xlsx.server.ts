// A statement as an Excel workbook (exceljs): one sheet, right to left in Persian, the summary on
// top and one row per ledger entry below. Amounts are NUMBER cells in the unit the screen and the
// PDF show (display.ts: a Rial wallet in Toman when the store displays Toman, as the reports'
// cells do — services/reports/cells.ts — else the wallet's own currency in major units), the
// unit's name inside the number format and in the amount columns' headers, so they sum and sort
// and match the screen to the unit; a Jalali date column (text in the reader's digits) and an ISO
// 8601 UTC column sit side by side, as in the reports (issue 14).
import ExcelJS from 'exceljs'
import type { TFunction } from 'i18next'
import { currencyName } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { getT } from '~/utils/i18n.server'
import { moneyCell, type StyledCell } from '~/services/reports/cells'
import { decimalsOf } from '~/utils/money'
import { shownCurrency, type DisplayCurrency } from './display'
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

/** A money cell in the shown unit: Toman from Rial exactly as the reports make it, else major units. */
function amountCell(lang: Lang, currency: string, display: DisplayCurrency) {
	if (currency !== shownCurrency(currency, display)) return (minor: bigint) => moneyCell(minor, 'IRR', lang)
	const numFmt = moneyFormat(lang, currency)
	return (minor: bigint): StyledCell => ({ value: majorUnits(minor, currency), numFmt })
}

export async function statementWorkbook(s: FullStatement, lang: Lang, display: DisplayCurrency = 'IRR'): Promise<Buffer> {
	const t = await getT(lang)
	const currency = s.reseller.currency
	const unit = currencyName(lang, shownCurrency(currency, display))
	const money = amountCell(lang, currency, display)
	const wb = new ExcelJS.Workbook()
	wb.creator = 'Guardino Hub'
	const title = t('statements.title', { month: monthLabel(lang, s.period) })
	const ws = wb.addWorksheet(t('statements.sheet'), { views: [{ rightToLeft: lang === 'fa' }] })
	ws.columns = [{ width: 18 }, { width: 26 }, { width: 22 }, { width: 22 }, { width: 18 }, { width: 18 }, { width: 40 }]

	const pair = (label: string, value: string | StyledCell) => {
		const row = ws.addRow([label, typeof value === 'string' ? value : value.value])
		row.getCell(1).font = { bold: true }
		if (typeof value !== 'string' && value.numFmt) row.getCell(2).numFmt = value.numFmt
		return row
	}
	ws.addRow([title]).font = { bold: true, size: 14 }
	pair(t('statements.reseller'), s.reseller.name)
	pair(t('statements.period'), `${s.period.firstDay} – ${s.period.lastDay}`)
	pair(t('statements.currency'), unit)
	pair(t('statements.opening'), money(s.opening))
	pair(t('statements.credits'), money(s.credits))
	pair(t('statements.debits'), money(s.debits))
	pair(t('statements.closing'), money(s.closing))
	pair(t('statements.creditUsedClosing'), money(s.creditUsed.closing))
	pair(t('statements.creditUsedPeak'), money(s.creditUsed.peak))
	pair(t('statements.creditLimit'), money(s.creditUsed.limit))
	ws.addRow([])

	const columns = ['dateJalali', 'dateIso', 'operation', 'customer', 'amount', 'balanceAfter', 'note'] as const
	const header = ws.addRow(columns.map((c) => (c === 'amount' || c === 'balanceAfter' ? t('statements.withUnit', { label: t(`statements.columns.${c}`), unit }) : t(`statements.columns.${c}`))))
	header.font = { bold: true }
	const headerRow = header.number
	for (const r of s.rows) {
		const amount = money(r.amount)
		const after = money(r.balanceAfter)
		const row = ws.addRow([jalaliDateTime(r.at, lang), r.at.toISOString(), t(`statements.operations.${r.operation}`), customerText(t, r), amount.value, after.value, r.note ?? ''])
		if (amount.numFmt) row.getCell(5).numFmt = amount.numFmt
		if (after.numFmt) row.getCell(6).numFmt = after.numFmt
	}
	ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } }
	ws.views = [{ rightToLeft: lang === 'fa', state: 'frozen', ySplit: headerRow }]
	return Buffer.from(await wb.xlsx.writeBuffer())
}
