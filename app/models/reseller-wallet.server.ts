// The reseller's wallet history (issue 15): each row names its operation and the customer it was
// for, with a link, and the balance after it; filters by kind and by customer ride the URL.
// Every query carries his reseller id: another reseller's customer or order is never named, and
// filtering by another reseller's customer simply finds nothing.
import { z } from 'zod'
import type { LedgerAccount } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { normalizeDigits } from '~/utils/format'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { dbId } from '~/utils/validation'
import { LEDGER_KINDS } from './reseller-ledger.server'
import { asWalletLeg } from './wallet-leg'

const digits = (v: unknown) => (typeof v === 'string' ? normalizeDigits(v) : v)
const Filters = z.object({
	kind: z.enum(LEDGER_KINDS).optional().catch(undefined),
	customer: z.preprocess(digits, dbId).optional().catch(undefined),
	after: z.preprocess(digits, dbId).optional().catch(undefined),
})
export type WalletFilters = z.infer<typeof Filters>

/** GET parameters; anything unreadable is ignored (the first page, no filter). */
export function parseWalletFilters(request: Request): WalletFilters {
	const p = new URL(request.url).searchParams
	const get = (k: string) => p.get(k) || undefined
	return Filters.parse({ kind: get('kind'), customer: get('customer'), after: get('after') })
}

/** The customer the filter names, if he is this reseller's (for the filter chip). */
export function filterCustomer(resellerId: number, customerId: number | undefined) {
	if (!customerId) return Promise.resolve(null)
	return prisma.customer.findFirst({ where: { id: customerId, resellerId }, select: { id: true, username: true } })
}

export async function walletPage(resellerId: number, account: LedgerAccount, f: WalletFilters) {
	// A customer's rows are those of his orders (charges, refunds, node credits all reference the order).
	const orderIds = f.customer ? (await prisma.order.findMany({ where: { resellerId, customerId: f.customer }, select: { id: true } })).map((o) => String(o.id)) : null
	const rows = await prisma.ledgerEntry.findMany({
		where: {
			resellerId,
			account,
			...(f.kind ? { kind: f.kind } : {}),
			...(orderIds ? { refType: 'order', refId: { in: orderIds } } : {}),
			...(f.after ? { id: { lt: BigInt(f.after) } } : {}),
		},
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, createdAt: true, kind: true, amount: true, currency: true, balanceBefore: true, balanceAfter: true, refType: true, refId: true, note: true },
	})
	const page = paginate(rows.map(asWalletLeg))
	return { ...page, rows: await withOrderCustomers(resellerId, page.rows) }
}

/**
 * Ledger rows with the order each references (its kind) and that order's customer — only this
 * reseller's orders, so another reseller's customer is never named. Used by his wallet and by
 * the admin's view of his ledger.
 */
export async function withOrderCustomers<R extends { refType: string | null; refId: string | null }>(resellerId: number, rows: R[]) {
	const refs = [...new Set(rows.filter((r) => r.refType === 'order' && r.refId && /^\d{1,9}$/.test(r.refId)).map((r) => Number(r.refId)))]
	const orders = refs.length
		? await prisma.order.findMany({ where: { id: { in: refs }, resellerId }, select: { id: true, kind: true, customer: { select: { id: true, username: true } } } })
		: []
	const byId = new Map(orders.map((o) => [String(o.id), o]))
	return rows.map((r) => {
		const order = r.refType === 'order' && r.refId ? byId.get(r.refId) : undefined
		return { ...r, orderKind: order?.kind ?? null, customer: order?.customer ?? null }
	})
}
