// A reseller's customers: the list (search, filters, keyset pages), the detail with its live
// provisioning state and links, the WireGuard file. The reseller id is in every where, so another
// reseller's customer is simply not found.
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import type { AccountLinks } from '~/services/panels/types'
import { open } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { normalizeDigits } from '~/utils/format'
import { CUSTOMER_STATUSES } from './customer-form'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { dbId, searchText } from '~/utils/validation'
import { qrDataUrl } from '~/utils/qr.server'

const DAY_MS = 24 * 60 * 60_000

const digits = (v: unknown) => (typeof v === 'string' ? normalizeDigits(v) : v)
const filtersSchema = z.object({
	q: z.string().transform((v) => searchText(v)).catch(''),
	status: z.enum(CUSTOMER_STATUSES).optional().catch(undefined),
	node: z.preprocess(digits, z.coerce.number().int().positive().max(2_147_483_647)).optional().catch(undefined),
	expiring: z.preprocess(digits, z.coerce.number().int().min(1).max(3650)).optional().catch(undefined),
	after: dbId.optional().catch(undefined),
})
export type CustomerFilters = z.infer<typeof filtersSchema>

/** The list's GET parameters; anything malformed is ignored rather than an error. */
export function parseCustomerFilters(request: Request): CustomerFilters {
	const p = new URL(request.url).searchParams
	const get = (k: string) => p.get(k) || undefined
	return filtersSchema.parse({ q: p.get('q') ?? '', status: get('status'), node: get('node'), expiring: get('expiring'), after: get('after') })
}

/**
 * One page, newest first. Each filter rides an index of `customers` — (reseller_id, id) for the
 * walk, (reseller_id, status, id) for a status, (reseller_id, expire_at) for "expiring" — and no
 * count(*) is taken, so a page costs the same at 100k customers.
 */
export async function listCustomers(resellerId: number, f: CustomerFilters, now = new Date()) {
	const where: Prisma.CustomerWhereInput = {
		resellerId,
		status: f.status ?? { not: 'deleted' },
		...(f.after ? { id: { lt: f.after } } : {}),
		...(f.q ? { OR: [{ username: { contains: f.q.toLowerCase() } }, { note: { contains: f.q, mode: 'insensitive' } }] } : {}),
		...(f.node ? { subAccounts: { some: { nodeId: f.node, state: { in: ['pending', 'active'] } } } } : {}),
		...(f.expiring ? { expireAt: { gte: now, lte: new Date(now.getTime() + f.expiring * DAY_MS) } } : {}),
	}
	const rows = await prisma.customer.findMany({
		where,
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, username: true, status: true, usedBytes: true, dataLimitBytes: true, expireAt: true, subAccounts: { where: { state: 'active' }, select: { onlineAt: true } } },
	})
	// The online dot: the latest last-online time any of his nodes reported (issue 15).
	return paginate(rows.map(({ subAccounts, ...c }) => ({ ...c, lastOnlineAt: latestOnline(subAccounts) })))
}

export function latestOnline(subs: Array<{ onlineAt: Date | null }>): Date | null {
	let latest: Date | null = null
	for (const s of subs) if (s.onlineAt && (!latest || s.onlineAt > latest)) latest = s.onlineAt
	return latest
}

export async function activeCustomerCount(resellerId: number) {
	return prisma.customer.count({ where: { resellerId, status: 'active' } })
}

const linksOf = (sealed: string | null): AccountLinks | null => (sealed ? (JSON.parse(open(sealed)) as AccountLinks) : null)

/** The detail page: never the sealed ref; links opened and given a QR code each. */
export async function customerDetail(resellerId: number, id: number) {
	const c = await prisma.customer.findFirst({
		where: { id, resellerId },
		select: {
			id: true, username: true, note: true, status: true, disabledReason: true, dataLimitBytes: true, usedBytes: true, expireAt: true, subToken: true, purchasedAt: true, createdAt: true,
			subAccounts: { orderBy: { nodeId: 'asc' }, select: { nodeId: true, state: true, remoteStatus: true, usedBytes: true, lastError: true, links: true, onlineAt: true, node: { select: { name: true, kind: true } } } },
			orders: { orderBy: { id: 'desc' }, take: 1, select: { id: true, kind: true, status: true, createdAt: true } },
			events: { orderBy: { id: 'desc' }, take: 50, select: { id: true, kind: true, reason: true, at: true, data: true } },
		},
	})
	if (!c) return null
	const showLinks = c.status !== 'deleted' && c.status !== 'refunded'
	const subAccounts = await Promise.all(
		c.subAccounts.map(async ({ links, ...s }) => {
			const opened = showLinks && s.state === 'active' ? linksOf(links) : null
			return {
				...s,
				links: opened?.kind === 'links' ? await Promise.all(opened.links.map(async (url) => ({ url, qr: await qrDataUrl(url) }))) : [],
				subscriptionUrl: opened?.kind === 'links' ? opened.subscriptionUrl : null,
				wireguard: opened?.kind === 'wireguard' ? { fileName: opened.fileName, qr: await qrDataUrl(opened.config) } : null,
			}
		}),
	)
	const { orders, events, subAccounts: _sealed, ...customer } = c
	return {
		customer,
		latestOrder: orders[0] ?? null,
		subAccounts,
		events: events.map(({ data, ...e }) => {
			const d = (data ?? {}) as { nodeId?: number; orderId?: number }
			return { ...e, id: String(e.id), nodeId: d.nodeId ?? null, orderId: d.orderId ?? null }
		}),
	}
}

/** Queued or provisioning orders and pending/removing nodes change by themselves: worth polling. */
export function isSettling(d: { latestOrder: { status: string } | null; subAccounts: Array<{ state: string }> }) {
	return (d.latestOrder != null && (d.latestOrder.status === 'queued' || d.latestOrder.status === 'provisioning')) || d.subAccounts.some((s) => s.state === 'pending' || s.state === 'removing')
}

/** The WireGuard config of one node of one of his customers, or null. */
export async function wireguardFile(resellerId: number, customerId: number, nodeId: number) {
	const sub = await prisma.subAccount.findFirst({
		where: { customerId, nodeId, state: 'active', customer: { resellerId, status: { notIn: ['deleted', 'refunded'] } } },
		select: { links: true },
	})
	const links = linksOf(sub?.links ?? null)
	return links?.kind === 'wireguard' ? links : null
}

/** The node ids his customer currently has (for the change-nodes form). */
export function currentNodeIds(d: { subAccounts: Array<{ nodeId: number; state: string }> }) {
	return d.subAccounts.filter((s) => s.state === 'pending' || s.state === 'active').map((s) => s.nodeId)
}
