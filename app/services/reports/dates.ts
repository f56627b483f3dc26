// Dates in reports (issue 14): filter inputs typed as Jalali (۱۴۰۵/۰۹/۰۱, with Persian digits) or
// Gregorian (2026-11-22, what <input type="date"> sends), each meaning that day's midnight in
// Tehran; and the two date columns every sheet carries — Jalali text in the sheet's digits and
// ISO 8601 UTC. Pure: no I/O.
import { jalaliToGregorian } from '~/models/receipt-form'
import { addDays, calendarParts, localDay, localMidnight } from '~/services/routers/calendar'
import { normalizeDigits } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export const TEHRAN = 'Asia/Tehran'

/** "1405/09/01" | "۱۴۰۵/۹/۱" | "2026-11-22" → the Gregorian local date 'YYYY-MM-DD', or null. */
export function parseDay(input: string): string | null {
	const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(normalizeDigits(input).trim())
	if (!m) return null
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
	if (mo < 1 || mo > 12 || d < 1 || d > 31) return null
	if (y < 1700) {
		if (y < 1300 || y > 1500) return null
		const [gy, gm, gd] = jalaliToGregorian(y, mo, d)
		const day = `${gy}-${String(gm).padStart(2, '0')}-${String(gd).padStart(2, '0')}`
		// Read it back through Intl's persian calendar: 1403/12/30 in a 29-day Esfand is no date.
		const back = calendarParts(day, 'jalali')
		return back.y === y && back.m === mo && back.d === d ? day : null
	}
	if (y > 2200) return null
	const day = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
	return new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day ? day : null
}

/** The instant a local Tehran day begins. */
export const tehranMidnight = (day: string) => localMidnight(day, TEHRAN)
/** The instant the day after `day` begins (an inclusive "to" date as an exclusive bound). */
export const tehranNextMidnight = (day: string) => localMidnight(addDays(day, 1), TEHRAN)
export const tehranDay = (at: Date) => localDay(at, TEHRAN)

/** 'YYYY-MM-DD' (Gregorian) as Jalali 'yyyy/mm/dd' in Latin digits: what a Persian date input shows. */
export function jalaliText(day: string) {
	const p = calendarParts(day, 'jalali')
	return `${p.y}/${String(p.m).padStart(2, '0')}/${String(p.d).padStart(2, '0')}`
}

const jalaliFormats = new Map<Lang, Intl.DateTimeFormat>()
/** The Jalali date and time in Tehran, e.g. "۱۴۰۵/۰۹/۱۰، ۱۴:۳۰" (fa) or "1405/09/10, 14:30" (en). */
export function jalaliDateTime(at: Date, lang: Lang) {
	let f = jalaliFormats.get(lang)
	if (!f) {
		f = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'fa-IR-u-ca-persian-nu-latn', {
			timeZone: TEHRAN, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
		})
		jalaliFormats.set(lang, f)
	}
	return f.format(at)
}

/** A Jalali calendar date alone (for day rows such as usage), from a Gregorian 'YYYY-MM-DD'. */
export function jalaliDate(day: string, lang: Lang) {
	const text = jalaliText(day)
	return lang === 'fa' ? text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d))) : text
}

/** The Jalali month key 'yyyy/mm' of a Gregorian local date. */
export function jalaliMonth(day: string) {
	return jalaliText(day).slice(0, 7)
}
