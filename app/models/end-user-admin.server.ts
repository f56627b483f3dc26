// The admin's one customer list across every reseller and the store (issue 12): filters by owner
// (a reseller, or the store), status and search; keyset pagination, newest first.
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { dbId, searchText } from '~/utils/validation'
import { CUSTOMER_STATUSES } from './customer-form'

const Filters = z.object({
	q: z.string().transform((v) => searchText(v)).catch(''),
	/** '' = everyone, 'store' = store customers, or a reseller id. */
	owner: z.union([z.literal('store'), dbId]).optional().catch(undefined),
	status: z.enum(CUSTOMER_STATUSES).optional().catch(undefined),
	after: dbId.optional().catch(undefined),
})
export type AdminCustomerFilters = z.output<typeof Filters>

export function parseAdminCustomerFilters(request: Request): AdminCustomerFilters {
	const p = new URL(request.url).searchParams
	return Filters.parse({ q: p.get('q') ?? '', owner: p.get('owner') || undefined, status: p.get('status') || undefined, after: p.get('after') || undefined })
}

export async function listAllCustomers(f: AdminCustomerFilters) {
	const where: Prisma.CustomerWhereInput = {
		...(f.owner === 'store' ? { resellerId: null } : f.owner != null ? { resellerId: f.owner } : {}),
		...(f.status ? { status: f.status } : { status: { not: 'deleted' } }),
		...(f.q ? { OR: [{ username: { contains: f.q.toLowerCase() } }, { note: { contains: f.q, mode: 'insensitive' } }, { user: { username: { contains: f.q.toLowerCase() } } }] } : {}),
		...(f.after ? { id: { lt: f.after } } : {}),
	}
	const rows = await prisma.customer.findMany({
		where,
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, username: true, status: true, expireAt: true, dataLimitBytes: true, usedBytes: true, reseller: { select: { id: true, name: true } }, user: { select: { username: true } }, plan: { select: { name: true } } },
	})
	return paginate(rows)
}

export function resellerOwners() {
	return prisma.reseller.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } })
}
