import type { Lang } from '~/utils/i18n'
import { jalaliDate, jalaliDateTime } from '../dates'

/** The two date columns every sheet starts with: Jalali (Tehran time, the sheet's digits) and ISO 8601 UTC. */
export function datesOf(at: Date, lang: Lang): [string, string] {
	return [jalaliDateTime(at, lang), at.toISOString()]
}

/** For day rows (usage rollups): the Jalali date and the ISO calendar date. */
export function dayDatesOf(day: string, lang: Lang): [string, string] {
	return [jalaliDate(day, lang), day]
}
