// What a statement request asks for: ?month=YYYY-MM&cal=jalali|gregorian (&after= on screen).
// No month means this month; no calendar means the reader's (Jalali in Persian, Gregorian in
// English). A month or calendar that is present but unreadable is a translated 400, never a
// guess: a statement for the wrong month would look right and be wrong.
import { getLang, getT } from '~/utils/i18n.server'
import type { Lang } from '~/utils/i18n'
import { normalizeDigits } from '~/utils/format'
import { isCalendar, monthKey, monthOf, parseMonth, type StatementCalendar, type StatementMonth } from './month'

export interface StatementQuery {
	lang: Lang
	month: StatementMonth
	/** Keyset cursor (ledger entry id) of the screen's next page. */
	after?: bigint
}

async function badRequest(request: Request, key: string): Promise<never> {
	const t = await getT(request)
	throw new Response(t(key), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

export async function parseStatementQuery(request: Request, now = new Date()): Promise<StatementQuery> {
	const params = new URL(request.url).searchParams
	const lang = await getLang(request)
	const calParam = params.get('cal')
	if (calParam && !isCalendar(calParam)) return badRequest(request, 'statements.errors.calendar')
	const cal: StatementCalendar = calParam && isCalendar(calParam) ? calParam : lang === 'fa' ? 'jalali' : 'gregorian'
	const monthParam = params.get('month')
	const month = monthParam ? parseMonth(monthParam, cal) : monthOf(now, cal)
	if (!month) return badRequest(request, 'statements.errors.month')
	// An unreadable cursor is the first page, as in every other list.
	const afterParam = normalizeDigits(params.get('after') ?? '')
	const after = /^\d{1,18}$/.test(afterParam) ? BigInt(afterParam) : undefined
	return { lang, month, after }
}

/** The query string that names a month (the links between screen, Excel and PDF). */
export const statementSearch = (m: StatementMonth) => `?month=${monthKey(m)}&cal=${m.cal}`

/** A download's file name: statement-<reseller>-1405-09.xlsx (ASCII, so every browser keeps it). */
export function statementFileName(resellerId: number, m: StatementMonth, ext: 'xlsx' | 'pdf') {
	return `statement-${resellerId}-${monthKey(m)}${m.cal === 'jalali' ? '-jalali' : ''}.${ext}`
}
