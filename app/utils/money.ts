// Money is integer minor units (bigint) with an ISO currency. The one place that parses and
// formats it. Traffic is bytes (bigint); GB here means 1024³ bytes (what the panels use).
import { currencyName, formatNumber, normalizeDigits } from './format'
import type { Lang } from './i18n'
import { numberFormat } from './intl-cache'

export const CURRENCIES = { USD: 2, EUR: 2, IRT: 0, IRR: 0 } as const
export type Currency = keyof typeof CURRENCIES
export const GB = 1024n ** 3n

export const decimalsOf = (currency: string) => CURRENCIES[currency as Currency] ?? 2

/** "12.5" (or "۱۲٫۵", "1,250") → 1250n for USD. Returns null when it is not a valid amount. */
export function parseMoney(input: string, currency: string): bigint | null {
	const s = normalizeDigits(input).replace(/[,٬\s]/g, '').replace('٫', '.')
	const d = decimalsOf(currency)
	const m = /^(-?)(\d{1,15})(?:\.(\d+))?$/.exec(s)
	if (!m || (m[3] && m[3].length > d)) return null
	const frac = (m[3] ?? '').padEnd(d, '0')
	const v = BigInt(m[2]! + frac)
	return m[1] ? -v : v
}

/**
 * Minor units for people, with the currency's name in words ("۱۲۰٬۰۰۰ تومان", "12.50 USD").
 * `display` 'IRT' shows a Rial amount in Toman (÷10; a Rial remainder keeps one decimal).
 */
export function formatMoney(lang: Lang, minor: bigint, currency: string, display?: 'IRT' | 'IRR') {
	if (currency === 'IRR' && display === 'IRT') {
		if (minor % 10n === 0n) return formatMoney(lang, minor / 10n, 'IRT')
		// One decimal: hundredths in a two-decimal view would add a meaningless trailing zero.
		const neg = minor < 0n
		const abs = neg ? -minor : minor
		const value = formatNumber(lang, Number(abs / 10n)) + (lang === 'fa' ? '٫' : '.') + formatNumber(lang, Number(abs % 10n))
		return `${neg ? '−' : ''}${value} ${currencyName(lang, 'IRT')}`
	}
	const d = decimalsOf(currency)
	const neg = minor < 0n
	const abs = neg ? -minor : minor
	const scale = 10n ** BigInt(d)
	const whole = abs / scale
	const frac = abs % scale
	const locale = lang === 'fa' ? 'fa-IR-u-nu-arabext' : 'en-US'
	const wholeText = numberFormat(locale).format(whole)
	const fracText = d ? numberFormat(locale, { minimumIntegerDigits: d, useGrouping: false }).format(Number(frac)) : ''
	const sep = lang === 'fa' ? '٫' : '.'
	return `${neg ? '−' : ''}${wholeText}${d ? sep + fracText : ''} ${currencyName(lang, currency)}`
}

export const gbToBytes = (gb: number | bigint) => BigInt(gb) * GB
/** Bytes → whole GB rounded down (for display of remaining traffic). */
export const bytesToGbFloor = (b: bigint) => b / GB

/** 1250n (USD) → "12.50": the plain value an input shows for editing (parseMoney reads it back). */
export function moneyInput(minor: bigint, currency: string) {
	const d = decimalsOf(currency)
	const digits = (minor < 0n ? -minor : minor).toString().padStart(d + 1, '0')
	return `${minor < 0n ? '-' : ''}${d ? `${digits.slice(0, -d)}.${digits.slice(-d)}` : digits}`
}
