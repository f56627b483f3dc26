// What the statement screen needs, for the reseller's own page and the admin's page alike: the
// month's summary, one page of rows, and the month picker's choices (every month since the
// reseller was created, newest first) with the links that keep the calendar.
import { getStoreSettings } from '~/services/settings.server'
import { monthKey, monthLabel, monthOf, monthsBetween, periodOf, shiftMonth, type StatementMonth } from './month'
import { statementSearch, type StatementQuery } from './request.server'
import { STATEMENT_PAGE, statementRows, statementSummary } from './statement.server'

const order = (m: StatementMonth) => m.year * 12 + m.month

export async function statementPage(resellerId: number, q: StatementQuery, now = new Date()) {
	const summary = await statementSummary(resellerId, periodOf(q.month))
	if (!summary) throw new Response('Not found', { status: 404 })
	const { rows, nextCursor } = await statementRows(resellerId, summary.period, { after: q.after, size: STATEMENT_PAGE })
	const cal = q.month.cal
	const current = monthOf(now, cal)
	const newest = order(q.month) > order(current) ? q.month : current
	const options = monthsBetween(monthOf(summary.reseller.createdAt, cal), newest)
	if (!options.some((m) => order(m) === order(q.month))) options.push(q.month)
	const other = cal === 'jalali' ? 'gregorian' : 'jalali'
	return {
		summary,
		/** Toman or Rial, as the store shows money (display.ts): the downloads use the same. */
		display: (await getStoreSettings()).displayCurrency,
		rows,
		nextCursor,
		/** This is a later page (the screen offers the way back to the first). */
		paged: q.after != null,
		month: { key: monthKey(q.month), cal, label: monthLabel(q.lang, q.month) },
		options: options.map((m) => ({ value: monthKey(m), label: monthLabel(q.lang, m) })),
		search: {
			self: statementSearch(q.month),
			previous: statementSearch(shiftMonth(q.month, -1)),
			next: statementSearch(shiftMonth(q.month, 1)),
			// The other calendar's month that holds this one's first day.
			otherCalendar: statementSearch(monthOf(summary.period.start, other)),
		},
	}
}
export type StatementPageData = Awaited<ReturnType<typeof statementPage>>
