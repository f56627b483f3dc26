// A reseller's customers: the list (search, filters, keyset pages), the detail with its live
// provisioning state and links, the WireGuard file. The reseller id is in every where, so another
// reseller's customer is simply not found.
import { z } from 'zod'
import { Prisma } from '~/generated/prisma/client'
import type { CustomerStatus } from '~/generated/prisma/enums'
import type { AccountLinks } from '~/services/panels/types'
import { open } from '~/utils/crypto.server'
import { prisma, sql } from '~/utils/db.server'
import { planEachTime } from '~/utils/sql.server'
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
 * walk, (reseller_id, status, id) for a status, (reseller_id, expire_at) for "expiring", the
 * trigram GINs for a search — and no count(*) is taken, so a page costs the same at 100k customers.
 * One raw statement on the app's pool, not the ORM: the list is the reseller's most used page, and
 * Prisma's query compiler and its second query for the online times were a third of the page's
 * server CPU (issue 16, docs/benchmarks.md). The reseller id is always in the where.
 */
export async function listCustomers(resellerId: number, f: CustomerFilters, now = new Date()) {
	const and: Prisma.Sql[] = [Prisma.sql`c.reseller_id = ${resellerId}`, f.status ? Prisma.sql`c.status = ${f.status}::"CustomerStatus"` : Prisma.sql`c.status <> 'deleted'`]
	if (f.after) and.push(Prisma.sql`c.id < ${f.after}`)
	// A literal substring: % and _ in what he typed match themselves (Prisma's `contains` left them live).
	if (f.q) and.push(Prisma.sql`(c.username like ${likePattern(f.q.toLowerCase())} or c.note ilike ${likePattern(f.q)})`)
	if (f.node) and.push(Prisma.sql`exists (select 1 from sub_accounts s where s.customer_id = c.id and s.node_id = ${f.node} and s.state in ('pending', 'active'))`)
	if (f.expiring) and.push(Prisma.sql`c.expire_at >= ${now.toISOString()}::timestamptz and c.expire_at <= ${new Date(now.getTime() + f.expiring * DAY_MS).toISOString()}::timestamptz`)
	const query = Prisma.sql`
		select c.id, c.username, c.status::text as status, c.used_bytes as "usedBytes", c.data_limit_bytes as "dataLimitBytes", c.expire_at as "expireAt",
			-- the online dot: the latest last-online time any of his live nodes reported (issue 15)
			(select max(s.online_at) from sub_accounts s where s.customer_id = c.id and s.state = 'active') as "lastOnlineAt"
		from customers c
		where ${Prisma.join(and, ' and ')}
		order by c.id desc
		limit ${PAGE_SIZE + 1}`
	// The plain walk and the status filter have one best plan (their index) for every reseller: a
	// prepared statement. A search, a node or an expiry window is planned for its own values.
	return paginate(await sql.$queryRaw<CustomerRow[]>(f.q || f.node || f.expiring ? planEachTime(query) : query))
}

type CustomerRow = { id: number; username: string; status: CustomerStatus; usedBytes: bigint; dataLimitBytes: bigint; expireAt: Date; lastOnlineAt: Date | null }

/** `%text%` for LIKE with the text's own wildcards and backslashes escaped (backslash is LIKE's default escape). */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`

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
