// Dates and numbers go through Intl only. Persian uses the Jalali (persian) calendar and
// Persian digits; English uses the Gregorian calendar and Latin digits.
import type { Lang } from './i18n'

const localeOf = (lang: Lang) => (lang === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB')

const numberFormats = new Map<string, Intl.NumberFormat>()
export function formatNumber(lang: Lang, value: number | bigint, opts: Intl.NumberFormatOptions = {}) {
	const key = `${lang}:${JSON.stringify(opts)}`
	let f = numberFormats.get(key)
	if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(localeOf(lang), opts)))
	return f.format(value)
}

export function formatDate(lang: Lang, date: Date | string | number, style: 'date' | 'datetime' = 'date') {
	const d = new Date(date)
	return new Intl.DateTimeFormat(localeOf(lang), {
		dateStyle: 'medium',
		...(style === 'datetime' ? { timeStyle: 'short' } : {}),
		timeZone: 'UTC',
	}).format(d)
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const
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
	return `${bytes < 0n ? '-' : ''}${formatNumber(lang, value, { maximumFractionDigits: 2 })} ${UNITS[unit]}`
}

/** Accept Persian (۰-۹) and Arabic-Indic (٠-٩) digits wherever a number is typed. */
export function normalizeDigits(input: string) {
	return input.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
}
