// The admin's view of a reseller's ledger, and manual adjustments — posted through the ledger's
// single writer so the balance always equals the sum of the entries.
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import { BillingError, type BillingErrorCode } from '~/services/billing/errors'
import { isUniqueViolation, post, type PostInput } from '~/services/billing/ledger.server'
import { audit } from '~/utils/audit.server'
import { evaluateReseller } from '~/services/enforcement.server'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate, parseListParams } from '~/utils/pagination.server'
import type { AdjustmentForm } from './reseller-form'
import { asWalletLeg } from './wallet-leg'

export const LEDGER_KINDS = ['charge', 'reversal', 'node_credit', 'refund', 'adjustment_credit', 'adjustment_debit', 'pool_usage', 'top_up'] as const satisfies readonly PostInput['kind'][]

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
const Filters = z.object({
	account: z.enum(['money', 'traffic']).optional().catch(undefined),
	kind: z.enum(LEDGER_KINDS).optional().catch(undefined),
	from: day.optional().catch(undefined),
	to: day.optional().catch(undefined),
})
export type LedgerFilters = z.infer<typeof Filters>

/** Filters come from a GET form; anything unreadable is simply ignored. */
export function parseLedgerFilters(request: Request) {
	const url = new URL(request.url)
	const get = (k: string) => url.searchParams.get(k) || undefined
	return { ...parseListParams(request), ...Filters.parse({ account: get('account'), kind: get('kind'), from: get('from'), to: get('to') }) }
}

/** One page of the reseller's entries, newest first, keyset-paginated by id. */
export async function ledgerPage(resellerId: number, f: LedgerFilters & { q: string; after?: number }) {
	const createdAt: Prisma.DateTimeFilter = {}
	if (f.from) createdAt.gte = new Date(`${f.from}T00:00:00.000Z`)
	if (f.to) createdAt.lt = new Date(Date.parse(`${f.to}T00:00:00.000Z`) + 24 * 60 * 60_000)
	const rows = await prisma.ledgerEntry.findMany({
		where: {
			resellerId,
			...(f.account ? { account: f.account } : {}),
			...(f.kind ? { kind: f.kind } : {}),
			...(f.from || f.to ? { createdAt } : {}),
			...(f.q ? { OR: [{ note: { contains: f.q, mode: 'insensitive' } }, { refId: f.q }] } : {}),
			...(f.after ? { id: { lt: BigInt(f.after) } } : {}),
		},
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
	})
	const page = paginate(rows)
	const actorIds = [...new Set(page.rows.map((r) => r.actorId).filter((id): id is number => id != null))]
	const actors = actorIds.length ? await prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, username: true } }) : []
	const names = new Map(actors.map((a) => [a.id, a.username]))
	return { ...page, rows: page.rows.map(({ idempotencyKey: _k, ...r }) => ({ ...asWalletLeg(r), actor: r.actorId == null ? null : (names.get(r.actorId) ?? null) })) }
}

export type AdjustResult = { ok: true; duplicate: boolean } | { ok: false; code: BillingErrorCode }

/**
 * A manual credit or debit. The form's random key makes a double submit post once: the twin
 * fails on the unique idempotency key, its transaction rolls back, and it counts as done.
 */
export async function adjust(resellerId: number, form: AdjustmentForm, actorId: number): Promise<AdjustResult> {
	const idempotencyKey = `adjust:${resellerId}:${form.idempotencyKey}` // scoped, so a key can never touch another reseller
	try {
		await prisma.$transaction(async (tx) => {
			const event = await audit({ actorId, action: 'reseller.adjust', entityType: 'reseller', entityId: resellerId, after: { account: form.account, amount: String(form.amount), note: form.note } }, tx)
			await post(tx, {
				resellerId,
				account: form.account,
				amount: form.amount,
				kind: form.amount > 0n ? 'adjustment_credit' : 'adjustment_debit',
				refType: 'adjustment',
				refId: String(event.id),
				actorId,
				note: form.note,
				idempotencyKey,
			})
		})
		// A top-up may lift a pool or credit disable at once, not at the next periodic pass.
		await evaluateReseller(resellerId)
		return { ok: true, duplicate: false }
	} catch (e) {
		if (e instanceof BillingError) return { ok: false, code: e.code }
		if (isUniqueViolation(e)) return { ok: true, duplicate: true }
		throw e
	}
}
