// A quote as the confirm step shows it: its items, total and expiry, the inputs its confirm form
// repeats, and — once used — the customer its order made. Scoped by the reseller.
import { randomBytes } from 'node:crypto'
import type { QuoteInput } from '~/services/billing/quotes.server'
import { prisma } from '~/utils/db.server'

const QUOTE_ID = /^[A-Za-z0-9_-]{8,64}$/
const KEY = /^[A-Za-z0-9_-]{16,64}$/

/** A fresh idempotency key for one rendering of a quote's confirm form. */
export const newIdempotencyKey = () => randomBytes(18).toString('base64url')

/** The key from the URL (set once when the quote was made), else a new one. */
export function idempotencyKeyFrom(url: URL) {
	const k = url.searchParams.get('key')
	return k && KEY.test(k) ? k : newIdempotencyKey()
}

/** Where the confirm step lives: the page plus ?quote=…&key=… (the key is made once, here). */
export function quoteUrl(path: string, quoteId: string) {
	return `${path}?${new URLSearchParams({ quote: quoteId, key: newIdempotencyKey() })}`
}

interface StoredItem {
	key: string
	values: Record<string, string | number>
	amount: string
	bytes?: string
	nodeId?: number
}

export async function quoteView(resellerId: number, quoteId: string | null, expect: { kind: 'create' } | { customerId: number }) {
	if (!quoteId || !QUOTE_ID.test(quoteId)) return null
	const q = await prisma.quote.findFirst({ where: { id: quoteId, resellerId }, select: { id: true, kind: true, inputs: true, items: true, total: true, currency: true, expiresAt: true, usedAt: true, orderId: true } })
	if (!q) return null
	const inputs = q.inputs as QuoteInput
	if ('kind' in expect ? inputs.kind !== 'create' : !('customerId' in inputs) || inputs.customerId !== expect.customerId) return null
	const stored = (q.items as unknown as { items: StoredItem[] }).items
	const nodeIds = [...('nodeIds' in inputs ? inputs.nodeIds : []), ...stored.flatMap((i) => (i.nodeId != null ? [i.nodeId] : []))]
	const nodes = new Map((await prisma.node.findMany({ where: { id: { in: nodeIds } }, select: { id: true, name: true } })).map((n) => [n.id, n.name]))
	const order = q.orderId ? await prisma.order.findFirst({ where: { id: q.orderId, resellerId }, select: { customerId: true } }) : null
	return {
		id: q.id,
		kind: inputs.kind,
		inputs,
		nodeNames: 'nodeIds' in inputs ? inputs.nodeIds.map((id) => nodes.get(id) ?? `#${id}`) : [],
		// a per-node line of 0 GB at 0 (an extension prices days only) says nothing: left out
		items: stored.filter((i) => !(i.amount === '0' && (i.bytes === '0' || i.values.gb === 0))).map((i) => ({
			key: i.key,
			// a credit for a dropped node names the node rather than its id
			values: i.key === 'quote.item.node_credit' && i.nodeId != null ? { ...i.values, nodeId: nodes.get(i.nodeId) ?? `#${i.nodeId}` } : i.values,
			amount: BigInt(i.amount),
			bytes: i.bytes == null ? null : BigInt(i.bytes),
		})),
		total: q.total,
		currency: q.currency,
		expiresAt: q.expiresAt,
		expired: q.expiresAt <= new Date(),
		used: q.usedAt != null,
		customerId: order?.customerId ?? null,
	}
}
export type QuoteView = NonNullable<Awaited<ReturnType<typeof quoteView>>>
