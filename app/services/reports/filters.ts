// The filters of reports and exports (issue 14): a date range (Jalali or Gregorian day inputs,
// inclusive, Tehran days), reseller, node, plan. One zod schema for the export form and the
// analytics query string; messages are translation keys. What is stored on an export row is the
// resolved form (instants as ISO strings), so the worker reads exactly what the page showed.
import { z } from 'zod'
import { dbId } from '~/utils/validation'
import { parseDay, tehranMidnight, tehranNextMidnight } from './dates'

export const EXPORT_KINDS = ['orders', 'invoices', 'payments', 'ledger', 'customers', 'node_usage', 'router_usage'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
/** What a reseller may export: only sheets whose every row can be scoped to him. */
export const RESELLER_KINDS: readonly ExportKind[] = ['orders', 'payments', 'ledger', 'customers', 'node_usage']

const day = z
	.string()
	.max(20, { error: 'errors.tooLong' })
	.optional()
	.transform((v, ctx) => {
		if (!v || !v.trim()) return undefined
		const d = parseDay(v)
		if (!d) ctx.addIssue({ code: 'custom', message: 'reports.errors.date' })
		return d ?? undefined
	})
const optionalId = z.preprocess((v) => (v === '' || v == null ? undefined : v), dbId.optional())

export const FilterSchema = z
	.object({ from: day, to: day, resellerId: optionalId, nodeId: optionalId, planId: optionalId })
	.superRefine((v, ctx) => {
		if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'reports.errors.range' })
	})

export const ExportSchema = z.intersection(FilterSchema, z.object({ intent: z.literal('export'), kind: z.enum(EXPORT_KINDS, { error: 'reports.errors.kind' }) }))

export type FilterInput = z.infer<typeof FilterSchema>

/** As stored on an export and passed to the sheets: instants, not day texts. */
export interface ReportFilters {
	/** Inclusive, ISO instant (Tehran midnight of the first day). */
	from?: string
	/** Exclusive, ISO instant (Tehran midnight after the last day). */
	to?: string
	/** The days as typed (Gregorian 'YYYY-MM-DD'), for showing the filter back. */
	fromDay?: string
	toDay?: string
	resellerId?: number
	nodeId?: number
	planId?: number
}

export function resolveFilters(v: FilterInput): ReportFilters {
	return {
		...(v.from ? { from: tehranMidnight(v.from).toISOString(), fromDay: v.from } : {}),
		...(v.to ? { to: tehranNextMidnight(v.to).toISOString(), toDay: v.to } : {}),
		...(v.resellerId ? { resellerId: v.resellerId } : {}),
		...(v.nodeId ? { nodeId: v.nodeId } : {}),
		...(v.planId ? { planId: v.planId } : {}),
	}
}

/** Whose rows: every row (admin) or one reseller's. A reseller's own id always wins over a filter. */
export interface ReportScope {
	resellerId: number | null
}

export function scoped(filters: ReportFilters, scope: ReportScope): ReportFilters {
	return scope.resellerId == null ? filters : { ...filters, resellerId: scope.resellerId }
}
