// Loading a reseller with what pricing and the rules need, and the rules that gate actions.
import type { Reseller } from '~/generated/prisma/client'
import { prisma, type Tx } from '~/utils/db.server'
import type { SqlDb } from '~/utils/sql.server'
import { BillingError } from './errors'
import { mayActError } from './ledger.server'
import type { PricedNode, PricingReseller } from './pricing'

export async function loadReseller(userId: number, db: Tx | typeof prisma = prisma) {
	const r = await db.reseller.findUnique({ where: { userId } })
	if (!r) throw new BillingError('not_found')
	return r
}

export function pricingOf(r: Reseller): PricingReseller {
	return { fundingModel: r.fundingModel, pricingMode: r.pricingMode, currency: r.currency, pricePerGb: r.pricePerGb, bundlePricePerGb: r.bundlePricePerGb, pricePerDay: r.pricePerDay }
}

/** Rules 1, 2 and 10 (see mayActError): throws when the reseller may not act now. */
export function assertMayAct(r: Reseller, action: 'create' | 'change', now = new Date()) {
	const blocked = mayActError(r, action, now)
	if (blocked) throw blocked
}

/** The reseller's nodes among `nodeIds`: allocated and not soft-deleted, else node_not_allocated. */
export async function allocatedNodes(resellerId: number, nodeIds: number[], db: SqlDb = prisma): Promise<PricedNode[]> {
	const unique = [...new Set(nodeIds)]
	if (unique.length === 0) throw new BillingError('node_not_allocated')
	// Raw: this runs in every quote and every execute (see execute-sql.server.ts for why).
	const rows = await db.$queryRaw<Array<{ nodeId: number; name: string; pricePerGb: bigint | null }>>`
		select a.node_id as "nodeId", n.name, a.price_per_gb as "pricePerGb"
		from node_allocations a join nodes n on n.id = a.node_id and n.deleted_at is null
		where a.reseller_id = ${resellerId} and a.node_id = any(${unique}::int[])
		order by a.node_id`
	if (rows.length !== unique.length) throw new BillingError('node_not_allocated')
	return rows
}

export function assertLimits(r: Reseller, gb: number | null, days: number | null) {
	if (gb != null && ((r.minGb != null && gb < r.minGb) || (r.maxGb != null && gb > r.maxGb))) throw new BillingError('limit_gb', { min: r.minGb ?? 1, max: r.maxGb ?? '∞' })
	if (days != null && ((r.minDays != null && days < r.minDays) || (r.maxDays != null && days > r.maxDays))) throw new BillingError('limit_days', { min: r.minDays ?? 1, max: r.maxDays ?? '∞' })
}
