// Gapless invoice numbers (issue 12): GH-1405-000123 for invoices, CN-1405-000001 for credit
// notes, one counter per series and Jalali year of issue (Asia/Tehran). Not a sequence: a
// sequence hands out numbers that a rolled-back transaction never uses, and gaps in an invoice
// series are what tax audits ask about. The counter row is upserted in the issuing transaction:
// the upsert takes the row's lock (as SELECT … FOR UPDATE would) and holds it to the commit, so
// concurrent issues queue on it and a rolled-back issue gives its number back.
import type { Tx } from '~/utils/db.server'

export type Series = 'GH' | 'CN'

const persianYear = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'Asia/Tehran', year: 'numeric' })

/** The Jalali (Solar Hijri) year of `at` in Tehran, e.g. 1405 from 2026-03-20T21:00Z on. */
export function jalaliYear(at: Date): number {
	const year = persianYear.formatToParts(at).find((p) => p.type === 'year')?.value
	return Number(year)
}

export function formatInvoiceNumber(series: Series, year: number, seq: number) {
	return `${series}-${year}-${String(seq).padStart(6, '0')}`
}

/** The next number of `series` in `at`'s Jalali year; call it inside the draft → open transaction. */
export async function takeNumber(tx: Tx, series: Series, at: Date) {
	const year = jalaliYear(at)
	const [row] = await tx.$queryRaw<Array<{ last: number }>>`
		insert into invoice_counters (series, year, last) values (${series}, ${year}, 1)
		on conflict (series, year) do update set last = invoice_counters.last + 1
		returning last`
	const seq = row!.last
	return { series, year, seq, number: formatInvoiceNumber(series, year, seq) }
}
