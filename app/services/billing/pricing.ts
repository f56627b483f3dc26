// Pricing (rules 3–4): pure functions, no I/O. Every priced operation becomes an itemised quote.
//   per_node: the GB price applies for each selected node (the allocation's own price if set).
//   bundle:   one central GB price once for all selected nodes (bundle price, else GB price).
//   days:     price per day, once per customer. Plans carry a fixed reseller price instead.
// Pool resellers pay no money: their customers' usage is charged to the pool as it happens
// (issue 5), so a quote shows the traffic the customer may use on each node and a total of 0.

export interface PricingReseller {
	fundingModel: 'wallet' | 'pool'
	pricingMode: 'per_node' | 'bundle'
	currency: string
	pricePerGb: bigint
	bundlePricePerGb: bigint | null
	pricePerDay: bigint
}

export interface PricedNode {
	nodeId: number
	name: string
	/** The allocation's per-node GB price, when set. */
	pricePerGb: bigint | null
}

export interface QuoteItem {
	/** Translation key of the line, e.g. quote.item.traffic_node */
	key: string
	values: Record<string, string | number>
	nodeId?: number
	/** Minor units (stringified bigint in JSON). */
	amount: bigint
	/** Traffic the line grants, bytes. */
	bytes?: bigint
}

export interface PriceResult {
	items: QuoteItem[]
	total: bigint
	currency: string
	/** Per node: the money share of this node, traffic + days (refunded if the node fails). */
	nodeShares: Record<number, bigint>
	/** Per node: the traffic part only (credited pro rata when the node is dropped). */
	trafficShares: Record<number, bigint>
	/** The part of `total` that buys traffic (refundable); the rest buys days (never refunded). */
	trafficAmount: bigint
}

const GB = 1024n ** 3n

export function priceTrafficAndDays(r: PricingReseller, nodes: PricedNode[], gb: number, days: number): PriceResult {
	const items: QuoteItem[] = []
	const nodeShares: Record<number, bigint> = {}
	const pool = r.fundingModel === 'pool'
	const bytes = BigInt(gb) * GB
	if (r.pricingMode === 'bundle' || pool) {
		const price = pool ? 0n : (r.bundlePricePerGb ?? r.pricePerGb)
		const amount = price * BigInt(gb)
		items.push({ key: pool ? 'quote.item.pool_traffic' : 'quote.item.traffic_bundle', values: { gb, nodes: nodes.length }, amount, bytes })
		// The bundle's money is shared evenly between nodes for a partial refund (remainder to the first).
		const share = nodes.length ? amount / BigInt(nodes.length) : 0n
		nodes.forEach((n, i) => (nodeShares[n.nodeId] = share + (i === 0 ? amount - share * BigInt(nodes.length) : 0n)))
	} else {
		for (const n of nodes) {
			const price = n.pricePerGb ?? r.pricePerGb
			const amount = price * BigInt(gb)
			items.push({ key: 'quote.item.traffic_node', values: { gb, node: n.name }, nodeId: n.nodeId, amount, bytes })
			nodeShares[n.nodeId] = amount
		}
	}
	const trafficShares = { ...nodeShares }
	const trafficAmount = items.reduce((sum, i) => sum + i.amount, 0n)
	if (days > 0) {
		const amount = pool ? 0n : r.pricePerDay * BigInt(days)
		items.push({ key: 'quote.item.days', values: { days }, amount })
		// Days are spread like traffic so a failed node's refund includes its part of them.
		const share = nodes.length ? amount / BigInt(nodes.length) : 0n
		nodes.forEach((n, i) => (nodeShares[n.nodeId] = (nodeShares[n.nodeId] ?? 0n) + share + (i === 0 ? amount - share * BigInt(nodes.length) : 0n)))
	}
	return { items, total: items.reduce((s, i) => s + i.amount, 0n), currency: r.currency, nodeShares, trafficShares, trafficAmount }
}

/**
 * A plan's fixed price split into traffic and time in the proportion of what the reseller's own
 * prices would charge for its GB and days (rule 6 refunds traffic only, never time). With no
 * prices to weigh by, all of it is traffic — the split never makes a refund smaller than that.
 */
export function planTrafficPart(r: PricingReseller, plan: { resellerPrice: bigint; days: number; dataLimitBytes: bigint }, nodes: PricedNode[]) {
	const price = r.fundingModel === 'pool' ? 0n : plan.resellerPrice
	const gb = plan.dataLimitBytes / GB
	const trafficList = r.pricingMode === 'bundle' ? (r.bundlePricePerGb ?? r.pricePerGb) * gb : nodes.reduce((s, n) => s + (n.pricePerGb ?? r.pricePerGb) * gb, 0n)
	const timeList = r.pricePerDay * BigInt(plan.days)
	if (trafficList + timeList <= 0n) return price
	return (price * trafficList) / (trafficList + timeList)
}

export function pricePlan(r: PricingReseller, plan: { name: string; resellerPrice: bigint; days: number; dataLimitBytes: bigint }, nodes: PricedNode[]): PriceResult {
	const amount = r.fundingModel === 'pool' ? 0n : plan.resellerPrice
	const share = nodes.length ? amount / BigInt(nodes.length) : 0n
	const nodeShares: Record<number, bigint> = {}
	nodes.forEach((n, i) => (nodeShares[n.nodeId] = share + (i === 0 ? amount - share * BigInt(nodes.length) : 0n)))
	const trafficAmount = planTrafficPart(r, plan, nodes)
	const tshare = nodes.length ? trafficAmount / BigInt(nodes.length) : 0n
	const trafficShares: Record<number, bigint> = {}
	nodes.forEach((n, i) => (trafficShares[n.nodeId] = tshare + (i === 0 ? trafficAmount - tshare * BigInt(nodes.length) : 0n)))
	return {
		items: [{ key: 'quote.item.plan', values: { plan: plan.name, days: plan.days, gb: Number(plan.dataLimitBytes / GB) }, amount, bytes: plan.dataLimitBytes }],
		total: amount,
		currency: r.currency,
		nodeShares,
		trafficShares,
		trafficAmount,
	}
}

/** Refund (rule 6): the unused GB at the average price paid per byte; time is not refunded. */
export function refundAmount(paidForTraffic: bigint, boughtBytes: bigint, remainingBytes: bigint) {
	if (boughtBytes <= 0n || remainingBytes <= 0n || paidForTraffic <= 0n) return 0n
	const remaining = remainingBytes > boughtBytes ? boughtBytes : remainingBytes
	return (paidForTraffic * remaining) / boughtBytes // floor: never refund more than paid
}
