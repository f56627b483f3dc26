// Quote → execute (rule 3). A quote is the itemised price of one operation, valid QUOTE_TTL;
// executing it (orders.server.ts) charges exactly its total or refuses.
import { randomBytes } from 'node:crypto'
import type { Reseller } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { BillingError } from './errors'
import { allocatedNodes, assertLimits, assertMayAct, loadReseller, pricingOf } from './reseller-context.server'
import { pricePlan, priceTrafficAndDays, refundAmount, type PriceResult } from './pricing'

export const QUOTE_TTL_MS = 5 * 60_000
export const REFUND_WINDOW_MS = 10 * 24 * 60 * 60_000

export type QuoteInput =
	| { kind: 'create'; username: string; note?: string; nodeIds: number[]; planId?: number; gb?: number; days?: number }
	| { kind: 'extend'; customerId: number; days: number }
	| { kind: 'add_traffic'; customerId: number; gb: number }
	| { kind: 'change_nodes'; customerId: number; nodeIds: number[] }
	| { kind: 'refund'; customerId: number }

/** Canonical form of the inputs: node ids sorted and unique, empty optionals dropped. */
export function canonicalInputs(input: QuoteInput) {
	const sorted = 'nodeIds' in input ? { ...input, nodeIds: [...new Set(input.nodeIds)].sort((a, b) => a - b) } : input
	return JSON.parse(JSON.stringify(sorted)) as QuoteInput
}

/** Key-order independent serialisation (Postgres jsonb reorders keys). */
export function sameInputs(a: unknown, b: unknown) {
	const stable = (v: unknown): unknown =>
		Array.isArray(v) ? v.map(stable) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v
	return JSON.stringify(stable(a)) === JSON.stringify(stable(b))
}

export async function ownedCustomer(resellerId: number, customerId: number) {
	// Tenant scope in the where: another reseller's customer is simply not found (404).
	const c = await prisma.customer.findFirst({ where: { id: customerId, resellerId, status: { notIn: ['deleted', 'refunded'] } }, include: { subAccounts: { where: { state: { in: ['pending', 'active'] } } } } })
	if (!c) throw new BillingError('not_found')
	return c
}

async function price(r: Reseller, input: QuoteInput, now: Date): Promise<PriceResult & { extra: Record<string, unknown> }> {
	switch (input.kind) {
		case 'create': {
			assertMayAct(r, 'create', now)
			const nodes = await allocatedNodes(r.id, input.nodeIds)
			if (r.maxCustomers != null && (await prisma.customer.count({ where: { resellerId: r.id, status: { notIn: ['deleted', 'refunded'] } } })) >= r.maxCustomers) throw new BillingError('limit_customers', { max: r.maxCustomers })
			if (await prisma.customer.findFirst({ where: { resellerId: r.id, username: input.username }, select: { id: true } })) throw new BillingError('username_taken')
			if (input.planId) {
				const plan = await prisma.plan.findFirst({ where: { id: input.planId, active: true } })
				if (!plan) throw new BillingError('not_found')
				return { ...pricePlan(pricingOf(r), plan, nodes), extra: { dataLimitBytes: String(plan.dataLimitBytes), days: plan.days } }
			}
			assertLimits(r, input.gb!, input.days!)
			return { ...priceTrafficAndDays(pricingOf(r), nodes, input.gb!, input.days!), extra: { dataLimitBytes: String(BigInt(input.gb!) * GB), days: input.days } }
		}
		case 'extend': {
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId)
			assertLimits(r, null, input.days)
			const nodes = await allocatedNodes(r.id, c.subAccounts.map((s) => s.nodeId))
			return { ...priceTrafficAndDays(pricingOf(r), nodes, 0, input.days), extra: {} }
		}
		case 'add_traffic': {
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId)
			assertLimits(r, input.gb, null)
			const nodes = await allocatedNodes(r.id, c.subAccounts.map((s) => s.nodeId))
			return { ...priceTrafficAndDays(pricingOf(r), nodes, input.gb, 0), extra: {} }
		}
		case 'change_nodes': {
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId)
			const current = new Set(c.subAccounts.map((s) => s.nodeId))
			const wanted = await allocatedNodes(r.id, input.nodeIds)
			const added = wanted.filter((n) => !current.has(n.nodeId))
			const removed = c.subAccounts.filter((s) => !input.nodeIds.includes(s.nodeId))
			const remaining = c.dataLimitBytes > c.usedBytes ? c.dataLimitBytes - c.usedBytes : 0n
			const remainingGb = Number((remaining + GB - 1n) / GB)
			// New nodes: their GB price for the customer's remaining traffic (bundle: already paid once).
			const addPrice = r.pricingMode === 'per_node' ? priceTrafficAndDays(pricingOf(r), added, remainingGb, 0) : { items: [], total: 0n, nodeShares: {} as Record<number, bigint>, trafficShares: {} as Record<number, bigint> }
			// Dropped nodes: the unused part of what their share cost.
			const credits = removed.map((s) => ({ nodeId: s.nodeId, amount: -refundAmount(s.trafficCharged, c.dataLimitBytes, remaining) }))
			const items = [...addPrice.items, ...credits.filter((x) => x.amount !== 0n).map((x) => ({ key: 'quote.item.node_credit', values: { nodeId: x.nodeId }, nodeId: x.nodeId, amount: x.amount }))]
			return { items, total: items.reduce((s, i) => s + i.amount, 0n), currency: r.currency, nodeShares: addPrice.nodeShares, trafficShares: addPrice.trafficShares, extra: { added: added.map((n) => n.nodeId), removed: removed.map((s) => s.nodeId) } }
		}
		case 'refund': {
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId)
			if (now.getTime() - c.purchasedAt.getTime() > REFUND_WINDOW_MS) throw new BillingError('refund_window_over')
			const orders = await prisma.order.findMany({ where: { customerId: c.id, resellerId: r.id, kind: { in: ['create', 'add_traffic'] }, status: { not: 'failed_refunded' } }, select: { quote: true, trafficBytes: true } })
			const paid = orders.reduce((s, o) => s + BigInt((o.quote as { trafficAmount?: string }).trafficAmount ?? '0'), 0n)
			const bought = orders.reduce((s, o) => s + o.trafficBytes, 0n)
			const remaining = c.dataLimitBytes > c.usedBytes ? c.dataLimitBytes - c.usedBytes : 0n
			const amount = refundAmount(paid, bought, remaining)
			if (amount <= 0n && r.fundingModel === 'wallet') throw new BillingError('nothing_to_refund')
			return { items: [{ key: 'quote.item.refund', values: { gb: Number(remaining / GB) }, amount: -amount, bytes: remaining }], total: -amount, currency: r.currency, nodeShares: {}, trafficShares: {}, extra: {} }
		}
	}
}

const strings = (o: Record<number, bigint>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]))

export async function createQuote(resellerUserId: number, input: QuoteInput, now = new Date()) {
	const r = await loadReseller(resellerUserId)
	const canonical = canonicalInputs(input)
	const p = await price(r, canonical, now)
	const items = p.items.map((i) => ({ ...i, amount: String(i.amount), bytes: i.bytes == null ? undefined : String(i.bytes) }))
	const trafficAmount = p.items.filter((i) => i.key !== 'quote.item.days').reduce((s, i) => s + i.amount, 0n)
	return prisma.quote.create({
		data: {
			id: randomBytes(16).toString('base64url'),
			resellerId: r.id,
			kind: input.kind,
			inputs: canonical as object,
			items: { items, nodeShares: strings(p.nodeShares), trafficShares: strings(p.trafficShares), trafficAmount: String(trafficAmount), ...p.extra },
			total: p.total,
			currency: p.currency,
			expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
		},
	})
}
