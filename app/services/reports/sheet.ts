// What one export sheet is (issue 14): its columns, the FROM … WHERE of its rows under the
// filters and scope, and the keyset it is read in. The exporter (export.server.ts) counts with the
// same WHERE, then pages `(key…) > (last key…) order by key… limit n`, so no page ever holds more
// than n rows and a row added meanwhile cannot shift later pages.
import { Prisma } from '~/generated/prisma/client'
import type { Lang } from '~/utils/i18n'
import type { Cell } from './cells'
import type { ReportFilters } from './filters'

export type Row = Record<string, unknown>

export interface SheetContext {
	lang: Lang
	t: (key: string) => string
	/** A reseller's own export: hub-wide figures (a card's whole day) are left out. */
	reseller: boolean
}

export interface SheetDef {
	/** Translation keys under reports.columns.*, in order; the first two are always the Jalali and ISO dates. */
	columns: Array<{ key: string; width?: number }>
	/** `from … where …` (the WHERE already carries the filters; the exporter appends `and …`). */
	from(f: ReportFilters): Prisma.Sql
	select: Prisma.Sql
	/** The keyset: SQL expressions unique together, in index order, with their SQL types. */
	keys: Array<{ expr: string; type: 'int' | 'bigint' | 'date' }>
	cells(row: Row, ctx: SheetContext): Cell[]
}

/** `and col >= from and col < to` for an instant column. */
export function instantRange(col: string, f: ReportFilters) {
	const c = Prisma.raw(col)
	return Prisma.sql`${f.from ? Prisma.sql`and ${c} >= ${new Date(f.from)}::timestamptz` : Prisma.empty} ${f.to ? Prisma.sql`and ${c} < ${new Date(f.to)}::timestamptz` : Prisma.empty}`
}

/** `and col between fromDay and toDay` for a `date` column (usage rollups keep calendar days). */
export function dayRange(col: string, f: ReportFilters) {
	const c = Prisma.raw(col)
	return Prisma.sql`${f.fromDay ? Prisma.sql`and ${c} >= ${f.fromDay}::date` : Prisma.empty} ${f.toDay ? Prisma.sql`and ${c} <= ${f.toDay}::date` : Prisma.empty}`
}

export const when = (cond: unknown, sql: Prisma.Sql) => (cond == null || cond === false ? Prisma.empty : sql)

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
/** A `date` column as the exporter gets it (Date at UTC midnight, or text) → 'YYYY-MM-DD'. */
export function dayOf(v: unknown): string {
	if (v instanceof Date) return v.toISOString().slice(0, 10)
	const s = String(v)
	return DAY_RE.test(s.slice(0, 10)) ? s.slice(0, 10) : s
}
