// Labels for the MikroTik pages: days and months in the router's calendar (Jalali or Gregorian)
// whatever the reader's language, digits in the reader's script, hours in the router's zone.
import type { Lang } from '~/utils/i18n'

type Calendar = 'jalali' | 'gregorian'
const cache = new Map<string, Intl.DateTimeFormat>()
function fmt(lang: Lang, calendar: Calendar, opts: Intl.DateTimeFormatOptions) {
	const key = `${lang}|${calendar}|${JSON.stringify(opts)}`
	let f = cache.get(key)
	if (!f) {
		const locale = `${lang === 'fa' ? 'fa-IR' : 'en-GB'}-u-ca-${calendar === 'jalali' ? 'persian' : 'gregory'}-nu-${lang === 'fa' ? 'arabext' : 'latn'}`
		cache.set(key, (f = new Intl.DateTimeFormat(locale, opts)))
	}
	return f
}

/** A local day ('YYYY-MM-DD') as "12 Dey" / "۱۲ دی". */
export const dayLabel = (lang: Lang, day: string, calendar: Calendar) => fmt(lang, calendar, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))
export const longDay = (lang: Lang, day: string, calendar: Calendar) => fmt(lang, calendar, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))
export const monthLabel = (lang: Lang, day: string, calendar: Calendar) => fmt(lang, calendar, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`))
export const hourLabel = (lang: Lang, iso: string, tz: string, calendar: Calendar) => fmt(lang, calendar, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(new Date(iso))
export const instantLabel = (lang: Lang, iso: string, tz: string, calendar: Calendar) => fmt(lang, calendar, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(new Date(iso))
