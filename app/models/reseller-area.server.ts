// The signed-in reseller: his commercial profile, what his forms may offer, his wallet and
// ledger. Every query is scoped by his own reseller id.
import type { LedgerAccount, NodeKind } from '~/generated/prisma/enums'
import { requireReseller } from '~/utils/auth.server'
import { readReseller } from './reseller-row.server'
import { prisma, sql } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { asWalletLeg } from './wallet-leg'

/**
 * requireReseller plus his Reseller row. A reseller login the admin has not set up yet (no
 * profile: no wallet, no nodes) may not use the customer pages: 403.
 */
export async function requireResellerProfile(request: Request) {
	const user = await requireReseller(request)
	const reseller = await readReseller(sql, { userId: user.id }) // every reseller request: no ORM (utils/sql.server.ts)
	if (!reseller) throw new Response('Forbidden', { status: 403 })
	return { user, reseller }
}

/**
 * What the reseller shell shows on every page: the unread count of his bell (0 for a login without
 * a profile). One raw statement for his reseller id and the count, without the ORM (issue 16).
 */
export async function resellerBell(userId: number): Promise<{ unread: number }> {
	const [row] = await sql.$queryRaw<Array<{ unread: number }>>`
		select (select count(*)::int from notifications n where n.audience = 'reseller' and n.reseller_id = r.id and n.read_at is null) as unread
		from resellers r where r.user_id = ${userId}`
	return { unread: row?.unread ?? 0 }
}

type Wallet = { fundingModel: 'wallet' | 'pool'; currency: string; balance: bigint; creditLimit: bigint; poolBytes: bigint; poolWindowStart: Date | null; poolWindowEnd: Date | null; negativeSince: Date | null }

/** The figures of the wallet card. */
export function walletSummary(r: Wallet) {
	return {
		fundingModel: r.fundingModel,
		currency: r.currency,
		balance: r.balance,
		creditLimit: r.creditLimit,
		/** Money he may still spend: balance + credit line (rule 1; a pool reseller's limit is poolBytes). */
		available: r.balance + r.creditLimit,
		poolBytes: r.poolBytes,
		poolWindowStart: r.poolWindowStart,
		poolWindowEnd: r.poolWindowEnd,
		negativeSince: r.negativeSince,
	}
}
export type WalletSummary = ReturnType<typeof walletSummary>

/** The nodes he may sell on: allocated to him and not soft-deleted (rule 7). */
export function allocatedNodeOptions(resellerId: number) {
	// Raw: the customer list and wizard load it on every view; through the ORM it was two queries.
	return sql.$queryRaw<Array<{ id: number; name: string; kind: NodeKind }>>`
		select a.node_id as id, n.name, n.kind::text as kind
		from node_allocations a join nodes n on n.id = a.node_id
		where a.reseller_id = ${resellerId} and n.deleted_at is null
		order by a.node_id`
}

/** Active plans priced in his currency (a plan's reseller price is in the plan's currency). */
export function planOptions(currency: string) {
	return prisma.plan.findMany({ where: { active: true, currency }, select: { id: true, name: true, days: true, dataLimitBytes: true, resellerPrice: true, currency: true }, orderBy: { id: 'asc' } })
}

/** One page of his ledger for one account, newest first (keyset on the entry id). */
export async function ledgerPage(resellerId: number, account: LedgerAccount, after?: number) {
	const rows = await prisma.ledgerEntry.findMany({
		where: { resellerId, account, ...(after ? { id: { lt: BigInt(after) } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, createdAt: true, kind: true, amount: true, currency: true, balanceAfter: true, refType: true, refId: true, note: true },
	})
	return paginate(rows.map(asWalletLeg))
}

/** The dashboard's figures: his active customers and his money (null without a profile). */
export async function resellerFigures(userId: number) {
	const r = await prisma.reseller.findUnique({ where: { userId } })
	if (!r) return null
	const activeCustomers = await prisma.customer.count({ where: { resellerId: r.id, status: 'active' } })
	return { activeCustomers, wallet: walletSummary(r) }
}
