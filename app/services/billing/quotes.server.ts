// Quote → execute (rule 3). A quote is the itemised price of one operation, valid QUOTE_TTL, and
// a promise about a state: it pins the customer's version and the reseller's config version.
// Executing it (orders.server.ts) prices it again against the present, under lock, with the same
// function below, and refuses as stale when anything it relied on moved. Credits (a refund, a
// dropped node) are computed at execute from the ledger — never taken from the quote.
import { randomBytes } from 'node:crypto'
import type { Reseller } from '~/generated/prisma/client'
import { prisma, type Tx } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { orm, type SqlClient, type SqlDb } from '~/utils/sql.server'
import { BillingError } from './errors'
import { allocatedNodes, assertLimits, assertMayAct, loadReseller, pricingOf } from './reseller-context.server'
import { pricePlan, priceTrafficAndDays, refundAmount, type PriceResult, type QuoteItem } from './pricing'

export const QUOTE_TTL_MS = 5 * 60_000
export const REFUND_WINDOW_MS = 10 * 24 * 60 * 60_000

type Db = Tx | typeof prisma

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
	return stableJson(a) === stableJson(b)
}

export function stableJson(v: unknown): string {
	const stable = (x: unknown): unknown =>
		typeof x === 'bigint' ? String(x) : Array.isArray(x) ? x.map(stable) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, stable((x as Record<string, unknown>)[k])])) : x
	return JSON.stringify(stable(v))
}

export async function ownedCustomer(resellerId: number, customerId: number, db: Db = prisma) {
	// Tenant scope in the where: another reseller's customer is simply not found (404). Refunded
	// and deleted customers are terminal for every priced operation.
	const c = await db.customer.findFirst({ where: { id: customerId, resellerId, status: { notIn: ['deleted', 'refunded'] } }, include: { subAccounts: { where: { state: { in: ['pending', 'active'] } } } } })
	if (!c) throw new BillingError('not_found')
	return c
}

/**
 * What this customer's orders moved through the ledger: money charged, money credited back
 * (reversals of failed nodes, dropped-node credits, refunds), the part of the charges that bought
 * traffic, and the traffic bought. Credits can never pass charges (MISSION §3 rule 3, issue 8).
 */
export async function customerMoney(db: Db, customerId: number) {
	const [m] = await db.$queryRaw<Array<{ charged: bigint; credited: bigint; traffic_paid: bigint; bought: bigint }>>`
		select
			coalesce((select sum(-e.amount) from ledger_entries e join orders o on e.ref_type = 'order' and e.ref_id = o.id::text
				where o.customer_id = ${customerId} and e.account = 'money' and e.amount < 0), 0)::bigint as charged,
			coalesce((select sum(e.amount) from ledger_entries e join orders o on e.ref_type = 'order' and e.ref_id = o.id::text
				where o.customer_id = ${customerId} and e.account = 'money' and e.amount > 0), 0)::bigint as credited,
			coalesce((select sum(traffic_amount) from orders where customer_id = ${customerId}), 0)::bigint as traffic_paid,
			coalesce((select sum(traffic_bytes) from orders where customer_id = ${customerId}), 0)::bigint as bought`
	return { charged: m!.charged, credited: m!.credited, trafficPaid: m!.traffic_paid, bought: m!.bought, net: m!.charged - m!.credited }
}

export interface Priced extends PriceResult {
	extra: Record<string, unknown>
	/** The customer's version this price was made against (null for a create). */
	customerVersion: number | null
	/** change_nodes: the charge for the added nodes (the credit is the rest of the total). */
	charge: bigint
	/** change_nodes / refund: money back to the reseller, already capped at what he paid net. */
	credit: bigint
}

const noShares = { nodeShares: {} as Record<number, bigint>, trafficShares: {} as Record<number, bigint>, trafficAmount: 0n }
const remainingOf = (c: { dataLimitBytes: bigint; usedBytes: bigint }) => (c.dataLimitBytes > c.usedBytes ? c.dataLimitBytes - c.usedBytes : 0n)

/**
 * The price of `input` for `r` as the database is now (a quote now, or its re-check at execute).
 * A create is priced with raw SQL only, so its execute can run on a SqlClient; the other kinds
 * need the ORM.
 */
export async function priceOperation(dbOrSql: Db | SqlClient, r: Reseller, input: QuoteInput, now: Date, opts: { atExecute?: boolean } = {}): Promise<Priced> {
	const plain = (p: PriceResult, extra: Record<string, unknown>, customerVersion: number | null): Priced => ({ ...p, extra, customerVersion, charge: p.total, credit: 0n })
	switch (input.kind) {
		case 'create': {
			const db = dbOrSql
			assertMayAct(r, 'create', now)
			const nodes = await allocatedNodes(r.id, input.nodeIds, db)
			if (r.maxCustomers != null && (await activeCustomers(db, r.id)) >= r.maxCustomers) throw new BillingError('limit_customers', { max: r.maxCustomers })
			// At execute the unique (reseller, username) index decides, under the insert's own lock.
			if (!opts.atExecute && (await orm(db).customer.findFirst({ where: { resellerId: r.id, username: input.username }, select: { id: true } }))) throw new BillingError('username_taken')
			if (input.planId) {
				const plan = await activePlan(db, input.planId)
				if (!plan) throw new BillingError('not_found')
				return plain(pricePlan(pricingOf(r), plan, nodes), { dataLimitBytes: String(plan.dataLimitBytes), days: plan.days }, null)
			}
			assertLimits(r, input.gb!, input.days!)
			return plain(priceTrafficAndDays(pricingOf(r), nodes, input.gb!, input.days!), { dataLimitBytes: String(BigInt(input.gb!) * GB), days: input.days }, null)
		}
		case 'extend': {
			const db = orm(dbOrSql)
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId, db)
			assertLimits(r, null, input.days)
			const nodes = await allocatedNodes(r.id, c.subAccounts.map((s) => s.nodeId), db)
			return plain(priceTrafficAndDays(pricingOf(r), nodes, 0, input.days), {}, c.version)
		}
		case 'add_traffic': {
			const db = orm(dbOrSql)
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId, db)
			assertLimits(r, input.gb, null)
			// Per-node mode prices every node the customer has (the version pins that set).
			const nodes = await allocatedNodes(r.id, c.subAccounts.map((s) => s.nodeId), db)
			return plain(priceTrafficAndDays(pricingOf(r), nodes, input.gb, 0), {}, c.version)
		}
		case 'change_nodes': {
			const db = orm(dbOrSql)
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId, db)
			const current = new Set(c.subAccounts.map((s) => s.nodeId))
			const wanted = await allocatedNodes(r.id, input.nodeIds, db)
			const added = wanted.filter((n) => !current.has(n.nodeId))
			const removed = c.subAccounts.filter((s) => !input.nodeIds.includes(s.nodeId))
			if (!added.length && !removed.length) throw new BillingError('nothing_to_change')
			const remaining = remainingOf(c)
			const remainingGb = Number((remaining + GB - 1n) / GB)
			// Per node: new nodes cost their GB price for the remaining traffic; a dropped node credits
			// the unused part of its traffic share. Bundle: one price covers every node, so adding is
			// free and dropping credits nothing — a drop and re-add can never earn money.
			const perNode = r.pricingMode === 'per_node' && r.fundingModel === 'wallet'
			const addPrice = perNode ? priceTrafficAndDays(pricingOf(r), added, remainingGb, 0) : { items: [] as QuoteItem[], total: 0n, ...noShares }
			const wantedCredits = perNode ? removed.map((s) => ({ nodeId: s.nodeId, amount: refundAmount(s.trafficCharged, c.dataLimitBytes, remaining) })) : []
			const credits = wantedCredits.length ? capCredits(wantedCredits, (await customerMoney(db, c.id)).net) : []
			const creditItems: QuoteItem[] = credits.filter((x) => x.amount > 0n).map((x) => ({ key: 'quote.item.node_credit', values: { nodeId: x.nodeId }, nodeId: x.nodeId, amount: -x.amount }))
			const credit = credits.reduce((s, x) => s + x.amount, 0n)
			const items = [...addPrice.items, ...creditItems]
			return {
				items,
				total: addPrice.total - credit,
				currency: r.currency,
				nodeShares: addPrice.nodeShares,
				trafficShares: addPrice.trafficShares,
				trafficAmount: addPrice.trafficAmount,
				extra: { added: added.map((n) => n.nodeId), removed: removed.map((s) => s.nodeId), charge: String(addPrice.total) },
				customerVersion: c.version,
				charge: addPrice.total,
				credit,
			}
		}
		case 'refund': {
			const db = orm(dbOrSql)
			assertMayAct(r, 'change', now)
			const c = await ownedCustomer(r.id, input.customerId, db)
			if (now.getTime() - c.purchasedAt.getTime() > REFUND_WINDOW_MS) throw new BillingError('refund_window_over')
			const remaining = remainingOf(c)
			const amount = refundFromLedger(await customerMoney(db, c.id), remaining)
			if (amount <= 0n && r.fundingModel === 'wallet') throw new BillingError('nothing_to_refund')
			const items: QuoteItem[] = [{ key: 'quote.item.refund', values: { gb: Number(remaining / GB) }, amount: -amount, bytes: remaining }]
			return { items, total: -amount, currency: r.currency, ...noShares, extra: {}, customerVersion: c.version, charge: 0n, credit: amount }
		}
	}
}

/**
 * Rule 6 from the ledger: the unused share of the traffic money still held for this customer —
 * (traffic paid − every credit already given) × remaining / bought — and never more than his net
 * payment. Time is not refunded: only the traffic part of each order counts.
 */
export function refundFromLedger(m: { trafficPaid: bigint; credited: bigint; bought: bigint; net: bigint }, remainingBytes: bigint) {
	const trafficHeld = m.trafficPaid - m.credited
	const amount = refundAmount(trafficHeld > 0n ? trafficHeld : 0n, m.bought, remainingBytes)
	return amount < m.net ? amount : m.net > 0n ? m.net : 0n
}

/** Credits in order until `net` (what the customer's orders paid, net) is used up. */
function capCredits(credits: Array<{ nodeId: number; amount: bigint }>, net: bigint) {
	let left = net > 0n ? net : 0n
	return credits.map((c) => {
		const amount = c.amount < left ? c.amount : left
		left -= amount
		return { ...c, amount }
	})
}

export async function activeCustomers(db: SqlDb, resellerId: number) {
	const [row] = await db.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from customers where reseller_id = ${resellerId} and status not in ('deleted', 'refunded')`
	return row!.n
}

/** An active plan, with what pricing needs (raw: a create's execute runs on a SqlClient). */
async function activePlan(db: SqlDb, planId: number) {
	const [plan] = await db.$queryRaw<Array<{ id: number; name: string; days: number; dataLimitBytes: bigint; resellerPrice: bigint }>>`
		select id, name, days, data_limit_bytes as "dataLimitBytes", reseller_price as "resellerPrice" from plans where id = ${planId} and active`
	return plan ?? null
}

const strings = (o: Record<number, bigint>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]))

/** What a quote stores of a price: the lines, the shares per node, and the split of the total. */
export function storedItems(p: Priced) {
	const items = p.items.map((i) => ({ ...i, amount: String(i.amount), bytes: i.bytes == null ? undefined : String(i.bytes) }))
	return { items, nodeShares: strings(p.nodeShares), trafficShares: strings(p.trafficShares), trafficAmount: String(p.trafficAmount), ...p.extra }
}

export async function createQuote(resellerUserId: number, input: QuoteInput, now = new Date()) {
	const r = await loadReseller(resellerUserId)
	const canonical = canonicalInputs(input)
	const p = await priceOperation(prisma, r, canonical, now)
	return prisma.quote.create({
		data: {
			id: randomBytes(16).toString('base64url'),
			resellerId: r.id,
			kind: input.kind,
			inputs: canonical as object,
			items: storedItems(p),
			total: p.total,
			currency: p.currency,
			customerVersion: p.customerVersion,
			resellerVersion: r.configVersion,
			expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
		},
	})
}
