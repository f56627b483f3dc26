// Reseller statements (issue 14): one month of a reseller's money wallet, read from the ledger
// only (docs/decisions/013 — his wallet legs). Every query carries the reseller id; routes decide
// whose id it is (the signed-in reseller's own, or any for the admin).
//
// Opening = Σ of his legs stamped before the month's start, closing = Σ before its end, so
// opening + Σ(month) = closing always holds, and equals the last leg's balance_after whenever the
// stamps follow the chain. They may not quite: created_at is the transaction's start (now()),
// while the chain follows the order posts took his row lock, so two posts racing across midnight
// can be stamped in the other order. The sums never disagree with "balance = Σ legs"; each row
// still shows the balance after it exactly as the ledger recorded it.
// This folder may be imported by routes only; it imports models/utils, the month arithmetic, the
// store's display setting and the shared money cells and PDF money text (reports, invoices).
import { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { paginate } from '~/utils/pagination.server'
import { periodOf, type StatementMonth, type StatementPeriod } from './month'

/** Rows per screen page; downloads take the whole month. */
export const STATEMENT_PAGE = 100

/**
 * What a row was, for people: an order's charge is named by the order (create, renew, …), every
 * other entry by its ledger kind. Keys of statements.operations.*.
 */
export const OPERATIONS = ['create', 'renew', 'add_traffic', 'change_nodes', 'charge', 'refund', 'reversal', 'node_credit', 'top_up', 'adjustment_credit', 'adjustment_debit', 'pool_usage'] as const
export type Operation = (typeof OPERATIONS)[number]

export function operationOf(kind: string, orderKind: string | null): Operation {
	if (kind === 'charge' && orderKind) {
		if (orderKind === 'extend') return 'renew'
		if (orderKind === 'create' || orderKind === 'add_traffic' || orderKind === 'change_nodes') return orderKind
	}
	return (OPERATIONS as readonly string[]).includes(kind) ? (kind as Operation) : 'charge'
}

export interface StatementRow {
	id: bigint
	at: Date
	kind: string
	operation: Operation
	amount: bigint
	balanceBefore: bigint
	balanceAfter: bigint
	refType: string | null
	refId: string | null
	note: string | null
	customer: { id: number; username: string } | null
}

export interface StatementSummary {
	reseller: { id: number; name: string; currency: string; creditLimit: bigint; createdAt: Date }
	period: StatementPeriod
	opening: bigint
	closing: bigint
	/** Σ of the month's positive legs. */
	credits: bigint
	/** Σ of the month's negative legs, as a positive amount. */
	debits: bigint
	count: number
	/** How far below zero the wallet is at the close, and at its lowest in the month (0 when never). */
	creditUsed: { closing: bigint; peak: bigint; limit: bigint }
}

const debt = (balance: bigint) => (balance < 0n ? -balance : 0n)

/** Null when the reseller does not exist. `period` is a month's (periodOf); tests cut their own. */
export async function statementSummary(resellerId: number, period: StatementPeriod): Promise<StatementSummary | null> {
	const reseller = await prisma.reseller.findUnique({ where: { id: resellerId }, select: { id: true, name: true, currency: true, creditLimit: true, createdAt: true } })
	if (!reseller) return null
	const [agg] = await prisma.$queryRaw<Array<{ opening: bigint; credits: bigint; debits: bigint; count: bigint; lowest: bigint | null }>>(Prisma.sql`
		select
			coalesce(sum(amount) filter (where created_at < ${period.start}), 0)::bigint as opening,
			coalesce(sum(amount) filter (where created_at >= ${period.start} and amount > 0), 0)::bigint as credits,
			coalesce(-sum(amount) filter (where created_at >= ${period.start} and amount < 0), 0)::bigint as debits,
			count(*) filter (where created_at >= ${period.start}) as count,
			min(balance_after) filter (where created_at >= ${period.start}) as lowest
		from ledger_entries
		where reseller_id = ${resellerId} and account = 'money' and created_at < ${period.end}`)
	const opening = agg?.opening ?? 0n
	const credits = agg?.credits ?? 0n
	const debits = agg?.debits ?? 0n
	const closing = opening + credits - debits
	const lowest = agg?.lowest != null && agg.lowest < opening ? agg.lowest : opening
	return {
		reseller,
		period,
		opening,
		closing,
		credits,
		debits,
		count: Number(agg?.count ?? 0n),
		creditUsed: { closing: debt(closing), peak: debt(lowest < closing ? lowest : closing), limit: reseller.creditLimit },
	}
}

/** The month's rows in ledger order (id), with the customer of each order's row. */
export async function statementRows(resellerId: number, period: StatementPeriod, page?: { after?: bigint; size?: number }) {
	const size = page?.size ?? Number.MAX_SAFE_INTEGER
	const legs = await prisma.ledgerEntry.findMany({
		where: { resellerId, account: 'money', createdAt: { gte: period.start, lt: period.end }, ...(page?.after ? { id: { gt: page.after } } : {}) },
		orderBy: { id: 'asc' },
		...(page?.size ? { take: page.size + 1 } : {}),
		select: { id: true, createdAt: true, kind: true, amount: true, balanceBefore: true, balanceAfter: true, refType: true, refId: true, note: true },
	})
	const { rows, nextCursor } = paginate(legs, size)
	const orderIds = [...new Set(rows.filter((r) => r.refType === 'order' && r.refId && /^\d{1,9}$/.test(r.refId)).map((r) => Number(r.refId)))]
	// Scoped by reseller too: a row can only ever name his own order's customer.
	const orders = orderIds.length ? await prisma.order.findMany({ where: { id: { in: orderIds }, resellerId }, select: { id: true, kind: true, customer: { select: { id: true, username: true } } } }) : []
	const byId = new Map(orders.map((o) => [String(o.id), o]))
	const out: StatementRow[] = rows.map((r) => {
		const order = r.refType === 'order' && r.refId ? byId.get(r.refId) : undefined
		if (r.balanceBefore == null || r.balanceAfter == null) throw new Error('a wallet ledger row without its balance')
		return {
			id: r.id,
			at: r.createdAt,
			kind: r.kind,
			operation: operationOf(r.kind, order?.kind ?? null),
			amount: r.amount,
			balanceBefore: r.balanceBefore,
			balanceAfter: r.balanceAfter,
			refType: r.refType,
			refId: r.refId,
			note: r.note,
			customer: order?.customer ?? null,
		}
	})
	return { rows: out, nextCursor }
}

/** The whole month, for the Excel and PDF downloads. */
export async function fullStatement(resellerId: number, month: StatementMonth) {
	const summary = await statementSummary(resellerId, periodOf(month))
	if (!summary) return null
	const { rows } = await statementRows(resellerId, summary.period)
	return { ...summary, rows }
}
export type FullStatement = NonNullable<Awaited<ReturnType<typeof fullStatement>>>
