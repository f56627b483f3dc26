// Local days and billing cycles for MikroTik accounting (issue 13). Pure: every function takes the
// instant it reasons about, so tests can stand at a Tehran midnight or on a reset day.
// A "day" is a local calendar date written as Gregorian 'YYYY-MM-DD' (what a Postgres `date`
// holds); Jalali months are read through Intl's persian calendar, so no conversion table of our
// own can drift from what the screens print.
import type { RouterCalendar } from '~/generated/prisma/client'

const DAY_MS = 86_400_000
const dayFormats = new Map<string, Intl.DateTimeFormat>()
const persian = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' })

export function isTimeZone(tz: string) {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz })
		return true
	} catch {
		return false
	}
}

/** The local date of an instant in a time zone. */
export function localDay(at: Date, tz: string): string {
	let f = dayFormats.get(tz)
	if (!f) dayFormats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })))
	const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
	return `${p.year}-${p.month}-${p.day}`
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS
const fromNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10)
export const addDays = (day: string, n: number) => fromNumber(dayNumber(day) + n)
export const daysBetween = (from: string, to: string) => dayNumber(to) - dayNumber(from)

/** Year, month (1-based) and day of a local date in the chosen calendar. */
export function calendarParts(day: string, cal: RouterCalendar): { y: number; m: number; d: number } {
	if (cal === 'gregorian') {
		const [y, m, d] = day.split('-').map(Number)
		return { y, m, d }
	}
	// Noon UTC of that date: the persian formatter then reads the same civil date.
	const p = Object.fromEntries(persian.formatToParts(new Date(dayNumber(day) * DAY_MS + DAY_MS / 2)).map((x) => [x.type, x.value]))
	return { y: Number(p.year), m: Number(p.month), d: Number(p.day) }
}

const firstOfMonth = (day: string, cal: RouterCalendar) => addDays(day, 1 - calendarParts(day, cal).d)

/** Days in the month that holds `day` (Esfand has 29 or 30, found by looking, not by table). */
export function monthLength(day: string, cal: RouterCalendar) {
	const first = firstOfMonth(day, cal)
	const m = calendarParts(first, cal).m
	for (let n = 28; n <= 31; n++) if (calendarParts(addDays(first, n), cal).m !== m) return n
	return 31
}

/** The reset date inside the month that starts at `first`: day 1–31, clamped to the month's length. */
const resetIn = (first: string, resetDay: number, cal: RouterCalendar) => addDays(first, Math.min(resetDay, monthLength(first, cal)) - 1)

export interface CycleRule {
	timezone: string
	resetDay: number
	calendar: RouterCalendar
}

/** The local date the cycle holding `at` began on. */
export function cycleStart(at: Date, rule: CycleRule): string {
	const today = localDay(at, rule.timezone)
	const first = firstOfMonth(today, rule.calendar)
	const thisMonth = resetIn(first, rule.resetDay, rule.calendar)
	if (today >= thisMonth) return thisMonth
	return resetIn(firstOfMonth(addDays(first, -1), rule.calendar), rule.resetDay, rule.calendar)
}

/** The local date the next cycle begins on. */
export function nextCycleStart(start: string, rule: CycleRule): string {
	const first = firstOfMonth(start, rule.calendar)
	return resetIn(addDays(first, monthLength(first, rule.calendar)), rule.resetDay, rule.calendar)
}

/** The instant a local date begins in a time zone (handles DST by re-checking the offset). */
export function localMidnight(day: string, tz: string): Date {
	const wall = dayNumber(day) * DAY_MS
	let guess = wall
	for (let i = 0; i < 3; i++) {
		const offset = wallClock(new Date(guess), tz) - guess
		const next = wall - offset
		if (next === guess) break
		guess = next
	}
	return new Date(guess)
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()
/** The wall-clock time of an instant in a zone, as if that wall clock were UTC. */
function wallClock(at: Date, tz: string) {
	let f = clockFormats.get(tz)
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
		clockFormats.set(tz, f)
	}
	const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
	return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
}

/** A `date` column value (midnight UTC) for a local day, and back. */
export const dayToDate = (day: string) => new Date(`${day}T00:00:00Z`)
export const dateToDay = (date: Date) => date.toISOString().slice(0, 10)
