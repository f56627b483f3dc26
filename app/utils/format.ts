// Dates and numbers go through Intl only. Persian uses the Jalali (persian) calendar and
// Persian digits; English uses the Gregorian calendar and Latin digits.
import type { Lang } from './i18n'
import { dateTimeFormat, numberFormat } from './intl-cache'

const localeOf = (lang: Lang) => (lang === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB')

export function formatNumber(lang: Lang, value: number | bigint, opts: Intl.NumberFormatOptions = {}) {
	return numberFormat(localeOf(lang), opts).format(value)
}

export function formatDate(lang: Lang, date: Date | string | number, style: 'date' | 'datetime' = 'date') {
	const d = new Date(date)
	return dateTimeFormat(localeOf(lang), {
		dateStyle: 'medium',
		...(style === 'datetime' ? { timeStyle: 'short' } : {}),
		timeZone: 'UTC',
	}).format(d)
}

// Persian readers get the currency's name, not its ISO code (issue 12, Persian polish). English
// keeps the codes people know, with words for the two Iranian units.
const CURRENCY_NAMES: Record<Lang, Record<string, string>> = {
	fa: { IRT: 'تومان', IRR: 'ریال', USD: 'دلار', EUR: 'یورو', USDT: 'تتر' },
	en: { IRT: 'Toman', IRR: 'Rial' },
}
export function currencyName(lang: Lang, code: string) {
	return CURRENCY_NAMES[lang][code] ?? code
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const
const UNITS_FA: Record<(typeof UNITS)[number], string> = { B: 'بایت', KB: 'کیلوبایت', MB: 'مگابایت', GB: 'گیگابایت', TB: 'ترابایت' }
/** Bytes (bigint) for people: binary multiples, at most two decimals. */
export function formatBytes(lang: Lang, bytes: bigint) {
	let unit = 0
	let whole = bytes < 0n ? -bytes : bytes
	let frac = 0
	while (whole >= 1024n && unit < UNITS.length - 1) {
		frac = Number(whole % 1024n) / 1024
		whole /= 1024n
		unit++
	}
	const value = Number(whole) + Math.round(frac * 100) / 100
	return `${bytes < 0n ? '-' : ''}${formatNumber(lang, value, { maximumFractionDigits: 2 })} ${lang === 'fa' ? UNITS_FA[UNITS[unit]!] : UNITS[unit]}`
}

/** Whole gigabytes as a plan shows them ("۵۰ گیگابایت", "50 GB"). */
export function formatGb(lang: Lang, gb: number | bigint) {
	return `${formatNumber(lang, gb)} ${lang === 'fa' ? UNITS_FA.GB : 'GB'}`
}

/** A reference number ("#13") in the reader's digits ("#۱۳"), never grouped. */
export function formatRef(lang: Lang, n: number | bigint | string) {
	return `#${formatNumber(lang, typeof n === 'string' ? BigInt(n) : n, { useGrouping: false })}`
}

/** Accept Persian (۰-۹) and Arabic-Indic (٠-٩) digits wherever a number is typed. */
export function normalizeDigits(input: string) {
	return input.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
}
