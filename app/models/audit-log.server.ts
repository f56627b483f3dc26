// The audit log's list (/admin/audit): filters from a GET form and keyset pages, newest first
// (`?before=<id>`: the rows older than the last one seen; never OFFSET, so page 1,000 costs what
// page 1 does and rows written meanwhile never shift a page). Admin only: the log spans tenants.
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import { jalaliToGregorian } from '~/models/receipt-form'
import { prisma } from '~/utils/db.server'
import { normalizeDigits } from '~/utils/format'
import { AUDIT_ACTIONS, AUDIT_GROUPS } from './audit-actions'

export const AUDIT_PAGE_SIZE = 50
const DAY_MS = 24 * 60 * 60_000

/**
 * A day typed in the form: `2026-12-01` (the English date input) or a Jalali `1405/09/10`
 * (Persian; Persian or Arabic digits, `/` or `-`). Days are UTC days, as the list shows them.
 * Anything that is not a real day is null (the filter is then ignored, never a 500).
 */
export function parseDay(input: string | null | undefined): Date | null {
	const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(normalizeDigits(input ?? '').trim())
	if (!m) return null
	let [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
	if (mo < 1 || mo > 12 || d < 1 || d > 31) return null
	if (y < 1700) {
		if (y < 1300 || d > (mo <= 6 ? 31 : 30)) return null
		;[y, mo, d] = jalaliToGregorian(y, mo, d)
	}
	const day = new Date(Date.UTC(y, mo - 1, d))
	if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null
	return day
}

const typed = (max: number, pattern: RegExp) =>
	z
		.string()
		.transform((v) => normalizeDigits(v).trim())
		.pipe(z.string().max(max).regex(pattern))
		.optional()
		.catch(undefined)

// Unreadable filters are ignored rather than refused: the page is a GET form a person edits.
const Filters = z.object({
	actor: typed(100, /^[\p{L}\p{N}_.@-]+$/u),
	system: z.literal('1').optional().catch(undefined),
	kind: z
		.string()
		.refine((v) => AUDIT_ACTIONS.includes(v) || AUDIT_GROUPS.includes(v))
		.optional()
		.catch(undefined),
	entityType: typed(40, /^[a-z_]+$/),
	entityId: typed(60, /^[\p{L}\p{N}_.:@-]+$/u),
	from: typed(10, /^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/),
	to: typed(10, /^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/),
	// audit ids are bigint: up to 18 digits (a longer "cursor" is just the first page)
	before: typed(18, /^\d{1,18}$/),
})
export type AuditFilters = z.infer<typeof Filters>

export function parseAuditFilters(request: Request): AuditFilters {
	const url = new URL(request.url)
	const get = (k: string) => url.searchParams.get(k) || undefined
	return Filters.parse(Object.fromEntries(['actor', 'system', 'kind', 'entityType', 'entityId', 'from', 'to', 'before'].map((k) => [k, get(k)])))
}

export function auditWhere(f: AuditFilters): Prisma.AuditEventWhereInput {
	const where: Prisma.AuditEventWhereInput[] = []
	if (f.system) where.push({ actorId: null })
	else if (f.actor) where.push({ actor: { username: { equals: f.actor, mode: 'insensitive' } } })
	if (f.kind) where.push(AUDIT_GROUPS.includes(f.kind) && !AUDIT_ACTIONS.includes(f.kind) ? { action: { startsWith: `${f.kind}.` } } : { action: f.kind })
	if (f.entityType) where.push({ entityType: f.entityType })
	if (f.entityId) where.push({ entityId: f.entityId })
	const from = parseDay(f.from)
	const to = parseDay(f.to)
	if (from) where.push({ at: { gte: from } })
	if (to) where.push({ at: { lt: new Date(to.getTime() + DAY_MS) } })
	if (f.before) where.push({ id: { lt: BigInt(f.before) } })
	return { AND: where }
}

export async function auditPage(f: AuditFilters, size = AUDIT_PAGE_SIZE) {
	const rows = await prisma.auditEvent.findMany({
		where: auditWhere(f),
		orderBy: { id: 'desc' },
		take: size + 1,
		select: { id: true, at: true, action: true, entityType: true, entityId: true, before: true, after: true, ip: true, actor: { select: { id: true, username: true } } },
	})
	const page = rows.slice(0, size)
	return {
		rows: page.map((r) => ({
			id: String(r.id),
			at: r.at.toISOString(),
			action: r.action,
			entityType: r.entityType,
			entityId: r.entityId,
			before: asRecord(r.before),
			after: asRecord(r.after),
			ip: r.ip,
			actor: r.actor?.username ?? null,
		})),
		nextBefore: rows.length > size ? String(page[page.length - 1]!.id) : null,
	}
}

export type AuditRow = Awaited<ReturnType<typeof auditPage>>['rows'][number]

/** before/after are JSON objects when written by us; anything else is shown under one key. */
function asRecord(v: Prisma.JsonValue | null): Record<string, unknown> | null {
	if (v == null) return null
	return typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v }
}
