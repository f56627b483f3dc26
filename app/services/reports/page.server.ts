// What /admin/reports and /reseller/reports share: reading the filters from the query string,
// the analytics for them, the scope's exports, and queueing an export from the form. The routes
// authorise first and pass the scope in: a reseller's scope is his reseller id, always.
import { data } from '@remix-run/node'
import { prisma } from '~/utils/db.server'
import { readFormFields } from '~/utils/form-data.server'
import type { Lang } from '~/utils/i18n'
import { getLang } from '~/utils/i18n.server'
import { redirectWithToast } from '~/utils/toast.server'
import { analytics, revenueCurrencies } from './analytics.server'
import { addDays } from '~/services/routers/calendar'
import { tehranDay } from './dates'
import { ExportSchema, FilterSchema, RESELLER_KINDS, resolveFilters, scoped, type FilterInput, type ReportFilters, type ReportScope } from './filters'
import { failureReason, listExports, requestExport } from './export.server'

const DEFAULT_DAYS = 180
const QUERY_KEYS = ['from', 'to', 'resellerId', 'nodeId', 'planId'] as const

function flatten(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
	const out: Record<string, string[]> = {}
	for (const i of issues) (out[String(i.path[0] ?? 'form')] ??= []).push(i.message)
	return out
}

export async function loadReportsPage(request: Request, scope: ReportScope) {
	const url = new URL(request.url)
	const raw = Object.fromEntries(QUERY_KEYS.map((k) => [k, url.searchParams.get(k) ?? undefined]))
	const parsed = FilterSchema.safeParse(raw)
	const input: FilterInput = parsed.success ? parsed.data : { from: undefined, to: undefined }
	const today = tehranDay(new Date())
	const fromDay = input.from ?? addDays(today, 1 - DEFAULT_DAYS)
	const toDay = input.to ?? today
	const filters = scoped(resolveFilters({ ...input, from: fromDay, to: toDay }), scope)
	const currencies = await revenueCurrencies(scope.resellerId)
	const asked = url.searchParams.get('currency') ?? ''
	const currency = currencies.includes(asked) ? asked : (currencies[0] ?? 'IRR')
	const [figures, exports, options] = await Promise.all([
		analytics({ from: new Date(filters.from!), to: new Date(filters.to!), currency, resellerId: filters.resellerId ?? null }),
		listExports(scope),
		scope.resellerId == null ? adminOptions() : Promise.resolve(null),
	])
	const payload = {
		filters: { from: fromDay, to: toDay, resellerId: input.resellerId ?? null, nodeId: input.nodeId ?? null, planId: input.planId ?? null },
		errors: parsed.success ? null : flatten(parsed.error.issues),
		currency,
		currencies,
		figures,
		exports: exports.map((e) => ({ id: e.id, kind: e.kind, status: e.status, rowsDone: e.rowsDone, rowsTotal: e.rowsTotal, createdAt: e.createdAt, error: e.error, reason: failureReason(e) })),
		options,
		kinds: scope.resellerId == null ? null : RESELLER_KINDS,
	}
	// A filter that does not parse is the caller's mistake: the page still renders (defaults), as a 400.
	return data(payload, { status: parsed.success ? 200 : 400 })
}

async function adminOptions() {
	const [resellers, nodes, plans] = await Promise.all([
		prisma.reseller.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 500 }),
		prisma.node.findMany({ where: { deletedAt: null }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
		prisma.plan.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
	])
	return { resellers, nodes, plans }
}

/** The export form: validated, scoped, queued; back to the page with a toast (works without JS). */
export async function exportAction(request: Request, user: { id: number }, scope: ReportScope, path: string) {
	const parsed = ExportSchema.safeParse(await readFormFields(request))
	if (!parsed.success) return data({ errors: flatten(parsed.error.issues) }, { status: 400 })
	const { kind, intent: _intent, ...rest } = parsed.data
	if (scope.resellerId != null && !RESELLER_KINDS.includes(kind)) return data({ errors: { kind: ['reports.errors.kind'] } }, { status: 400 })
	const filters: ReportFilters = scoped(resolveFilters(rest), scope)
	const lang: Lang = await getLang(request)
	await requestExport({ requestedBy: user.id, resellerId: scope.resellerId, kind, filters, lang })
	return redirectWithToast(path, { type: 'success', key: 'reports.exports.queued' })
}
