// Loading a reseller with what pricing and the rules need, and the rules that gate actions.
import type { Reseller } from '~/generated/prisma/client'
import { prisma, type Tx } from '~/utils/db.server'
import { BillingError } from './errors'
import { available } from './ledger.server'
import type { PricedNode, PricingReseller } from './pricing'

export async function loadReseller(userId: number, db: Tx | typeof prisma = prisma) {
	const r = await db.reseller.findUnique({ where: { userId } })
	if (!r) throw new BillingError('not_found')
	return r
}

/** Row-locks the reseller for the rest of the transaction: every money decision serialises here. */
export async function lockReseller(tx: Tx, resellerId: number) {
	await tx.$queryRaw`select id from resellers where id = ${resellerId} for update`
	return tx.reseller.findUniqueOrThrow({ where: { id: resellerId } })
}

export function pricingOf(r: Reseller): PricingReseller {
	return { fundingModel: r.fundingModel, pricingMode: r.pricingMode, currency: r.currency, pricePerGb: r.pricePerGb, bundlePricePerGb: r.bundlePricePerGb, pricePerDay: r.pricePerDay }
}

/**
 * Rule 1: with nothing available (balance + credit ≤ 0, or an empty pool) only listing and viewing
 * are allowed. Rule 2: while the balance is negative, no new customers. Rule 10: a pool outside its
 * window is closed.
 */
export function assertMayAct(r: Reseller, action: 'create' | 'change', now = new Date()) {
	if (available(r) <= 0n) throw new BillingError(r.fundingModel === 'pool' ? 'pool_exhausted' : 'blocked_zero_balance')
	if (r.fundingModel === 'wallet' && action === 'create' && r.balance < 0n) throw new BillingError('blocked_negative_balance')
	if (r.fundingModel === 'pool') {
		if ((r.poolWindowStart && now < r.poolWindowStart) || (r.poolWindowEnd && now > r.poolWindowEnd)) throw new BillingError('pool_window_closed')
	}
}

/** The reseller's nodes among `nodeIds`: allocated and not soft-deleted, else node_not_allocated. */
export async function allocatedNodes(resellerId: number, nodeIds: number[], db: Tx | typeof prisma = prisma): Promise<PricedNode[]> {
	const unique = [...new Set(nodeIds)]
	const rows = await db.nodeAllocation.findMany({
		where: { resellerId, nodeId: { in: unique }, node: { deletedAt: null } },
		select: { nodeId: true, pricePerGb: true, node: { select: { name: true } } },
		orderBy: { nodeId: 'asc' },
	})
	if (rows.length !== unique.length || unique.length === 0) throw new BillingError('node_not_allocated')
	return rows.map((r) => ({ nodeId: r.nodeId, name: r.node.name, pricePerGb: r.pricePerGb }))
}

export function assertLimits(r: Reseller, gb: number | null, days: number | null) {
	if (gb != null && ((r.minGb != null && gb < r.minGb) || (r.maxGb != null && gb > r.maxGb))) throw new BillingError('limit_gb', { min: r.minGb ?? 1, max: r.maxGb ?? '∞' })
	if (days != null && ((r.minDays != null && days < r.minDays) || (r.maxDays != null && days > r.maxDays))) throw new BillingError('limit_days', { min: r.minDays ?? 1, max: r.maxDays ?? '∞' })
}
