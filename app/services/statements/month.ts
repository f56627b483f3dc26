// Reseller statements (issue 14): which instants a statement month covers. Pure, so tests can
// stand exactly on a boundary. A month — Jalali or Gregorian — runs from Tehran midnight of its
// day 1 to Tehran midnight of the next month's day 1, half-open [start, end). Gregorian months
// use Tehran midnight too (not UTC): the hub's business day is Tehran's everywhere else
// (payment-method daily limits, backups, invoice years), so both calendars cut a day at the same
// instant and a Gregorian statement of an Iranian reseller does not move 3½ hours of his
// evening into the next month. Asia/Tehran has had no DST since 2022; localMidnight re-checks
// the offset anyway, so older months with DST are still cut at their own local midnight.
// Jalali dates come from Intl's persian calendar (services/routers/calendar.ts), the same source
// every screen prints from, so no conversion table of ours can disagree with what is shown.
import { addDays, calendarParts, localDay, localMidnight, monthLength } from '~/services/routers/calendar'
import { normalizeDigits } from '~/utils/format'

export const STATEMENT_TZ = 'Asia/Tehran'
export const CALENDARS = ['jalali', 'gregorian'] as const
export type StatementCalendar = (typeof CALENDARS)[number]

export interface StatementMonth {
	cal: StatementCalendar
	year: number
	/** 1–12 */
	month: number
}

export interface StatementPeriod extends StatementMonth {
	/** Tehran midnight of day 1 (inclusive). */
	start: Date
	/** Tehran midnight of the next month's day 1 (exclusive). */
	end: Date
	/** Gregorian local dates of the first and last day, 'YYYY-MM-DD'. */
	firstDay: string
	lastDay: string
}

/** Years a statement may ask for: wide enough for any ledger, narrow enough to refuse nonsense. */
const YEARS: Record<StatementCalendar, [number, number]> = { jalali: [1350, 1500], gregorian: [1971, 2121] }

export const isCalendar = (v: unknown): v is StatementCalendar => v === 'jalali' || v === 'gregorian'

/** "1405-09" (Persian digits accepted) in a calendar → the month, or null when it is not one. */
export function parseMonth(value: string, cal: StatementCalendar): StatementMonth | null {
	const m = /^(\d{4})-(\d{1,2})$/.exec(normalizeDigits(value.trim()))
	if (!m) return null
	const year = Number(m[1])
	const month = Number(m[2])
	const [lo, hi] = YEARS[cal]
	if (year < lo || year > hi || month < 1 || month > 12) return null
	return { cal, year, month }
}

export const monthKey = (m: StatementMonth) => `${m.year}-${String(m.month).padStart(2, '0')}`

/** The Gregorian local date of day 1 of a month. */
function firstDayOf(m: StatementMonth): string {
	if (m.cal === 'gregorian') return `${m.year}-${String(m.month).padStart(2, '0')}-01`
	// Farvardin 1 falls on March 20–22 of Gregorian year + 621; months 1–6 have 31 days, 7–11 30.
	// The estimate is within two days of the real day 1; read it back through Intl and correct.
	let guess = addDays(`${m.year + 621}-03-21`, m.month <= 7 ? (m.month - 1) * 31 : 186 + (m.month - 7) * 30)
	for (let i = 0; i < 4; i++) {
		const p = calendarParts(guess, 'jalali')
		if (p.y === m.year && p.m === m.month) return addDays(guess, 1 - p.d)
		guess = addDays(guess, p.y * 12 + p.m < m.year * 12 + m.month ? 15 : -15)
	}
	throw new Error(`no Jalali month ${monthKey(m)}`)
}

export function shiftMonth(m: StatementMonth, by: number): StatementMonth {
	const n = m.year * 12 + (m.month - 1) + by
	return { cal: m.cal, year: Math.floor(n / 12), month: (n % 12) + 1 }
}

export function periodOf(m: StatementMonth): StatementPeriod {
	const firstDay = firstDayOf(m)
	const nextFirst = addDays(firstDay, monthLength(firstDay, m.cal))
	return { ...m, start: localMidnight(firstDay, STATEMENT_TZ), end: localMidnight(nextFirst, STATEMENT_TZ), firstDay, lastDay: addDays(nextFirst, -1) }
}

/** The month (of a calendar) that holds an instant, in Tehran. */
export function monthOf(at: Date, cal: StatementCalendar): StatementMonth {
	const p = calendarParts(localDay(at, STATEMENT_TZ), cal)
	return { cal, year: p.y, month: p.m }
}

/** Months from `from` to `to` (both included), newest first, at most `max`. */
export function monthsBetween(from: StatementMonth, to: StatementMonth, max = 60): StatementMonth[] {
	const out: StatementMonth[] = []
	for (let m = to; out.length < max && m.year * 12 + m.month >= from.year * 12 + from.month; m = shiftMonth(m, -1)) out.push(m)
	return out
}

/** "آذر ۱۴۰۵" / "Azar 1405" / "November 2026", through Intl (noon of day 1, safely inside the month). */
export function monthLabel(lang: 'en' | 'fa', m: StatementMonth) {
	const noon = new Date(`${firstDayOf(m)}T12:00:00Z`)
	const ca = m.cal === 'jalali' ? 'persian' : 'gregory'
	const locale = lang === 'fa' ? `fa-IR-u-ca-${ca}-nu-arabext` : `en-US-u-ca-${ca}`
	const parts = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).formatToParts(noon)
	// Drop the era ("AP") Intl adds to Persian-calendar years in English.
	const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
	return `${get('month')} ${get('year')}`
}

const dateFormats = new Map<string, Intl.DateTimeFormat>()
/** A date (and time) in a calendar and the reader's digits, Tehran time. */
export function statementDate(lang: 'en' | 'fa', cal: StatementCalendar, d: Date, withTime: boolean) {
	const key = `${lang}:${cal}:${withTime}`
	let f = dateFormats.get(key)
	if (!f) {
		const ca = cal === 'jalali' ? 'persian' : 'gregory'
		const locale = lang === 'fa' ? `fa-IR-u-ca-${ca}-nu-arabext` : `en-CA-u-ca-${ca}`
		f = new Intl.DateTimeFormat(locale, { timeZone: STATEMENT_TZ, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}) })
		dateFormats.set(key, f)
	}
	const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]))
	const sep = cal === 'jalali' ? '/' : '-'
	return `${p.year}${sep}${p.month}${sep}${p.day}${withTime ? ` ${p.hour}:${p.minute}` : ''}`
}
