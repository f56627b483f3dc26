// How values become spreadsheet cells (issue 14). Decision: money cells hold NUMBERS in the unit
// people read — Toman for Rial amounts (Rial ÷ 10, at most one decimal), major units for the others
// (USD 12.50) — with the unit inside the number format ('#,##0 "تومان"'), so the cell sums and
// sorts like a number and still reads "120,000 تومان". Exact Rial stays one column away where a
// sheet needs it (payments). Converted from the bigint through its digits, never through float
// arithmetic on the minor units. Traffic: bytes as an integer cell plus GB with two decimals.
import { currencyName } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { decimalsOf } from '~/utils/money'

export interface StyledCell {
	value: number | string | null
	numFmt?: string
}
export type Cell = string | number | null | StyledCell

/** A number from a bigint's digits with `shift` decimals: 1234567n, 1 → 123456.7 (exact text → double). */
function shifted(minor: bigint, shift: number) {
	if (shift === 0) return Number(minor)
	const neg = minor < 0n
	const digits = (neg ? -minor : minor).toString().padStart(shift + 1, '0')
	return Number(`${neg ? '-' : ''}${digits.slice(0, -shift)}.${digits.slice(-shift)}`)
}

export function moneyCell(minor: bigint | null, currency: string, lang: Lang): StyledCell {
	if (minor == null) return { value: null }
	if (currency === 'IRR') {
		const unit = currencyName(lang, 'IRT')
		// Whole Toman shows no decimals; a Rial remainder shows its one decimal (as formatMoney does).
		return { value: shifted(minor, 1), numFmt: minor % 10n === 0n ? `#,##0 "${unit}"` : `#,##0.0 "${unit}"` }
	}
	const d = decimalsOf(currency)
	return { value: shifted(minor, d), numFmt: `#,##0${d ? `.${'0'.repeat(d)}` : ''} "${currencyName(lang, currency)}"` }
}

export const GB_FORMAT = '#,##0.00'
const GB = 1024 ** 3

export function gbCell(bytes: bigint | null): StyledCell {
	return bytes == null ? { value: null } : { value: Math.round((Number(bytes) / GB) * 100) / 100, numFmt: GB_FORMAT }
}

export const intCell = (n: bigint | number | null): StyledCell => ({ value: n == null ? null : Number(n), numFmt: '0' })
