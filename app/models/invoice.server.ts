// Tenant-scoped invoice and order queries (issue 12). A user's queries carry his id in the where;
// the admin's lists filter by status / text and page by keyset (id < cursor), newest first.
import { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'

import { INVOICE_STATUSES, ORDER_STATUSES, type InvoiceStatusName } from './invoice-form'

export { INVOICE_STATUSES, ORDER_STATUSES, type InvoiceStatusName }

const listSelect = { id: true, number: true, type: true, kind: true, status: true, paymentStatus: true, total: true, currency: true, issuedAt: true, createdAt: true, userId: true } as const

export async function listUserInvoices(userId: number, after?: number) {
	const rows = await prisma.invoice.findMany({ where: { userId, ...(after ? { id: { lt: after } } : {}) }, orderBy: { id: 'desc' }, take: PAGE_SIZE + 1, select: listSelect })
	return paginate(rows)
}

export function findUserInvoice(userId: number, id: number) {
	return prisma.invoice.findFirst({ where: { id, userId }, include: { lines: { orderBy: { position: 'asc' } } } })
}

export function findInvoice(id: number) {
	return prisma.invoice.findUnique({ where: { id }, include: { lines: { orderBy: { position: 'asc' } } } })
}

export async function listInvoices({ q, status, after }: { q: string; status: InvoiceStatusName | null; after?: number }) {
	const users = q ? await prisma.user.findMany({ where: { username: { contains: q, mode: 'insensitive' } }, select: { id: true }, take: 200 }) : []
	const where: Prisma.InvoiceWhereInput = {
		...(status ? { status } : {}),
		...(q ? { OR: [{ number: { contains: q, mode: 'insensitive' } }, { userId: { in: users.map((u) => u.id) } }] } : {}),
		...(after ? { id: { lt: after } } : {}),
	}
	const rows = await prisma.invoice.findMany({ where, orderBy: { id: 'desc' }, take: PAGE_SIZE + 1, select: listSelect })
	const page = paginate(rows)
	const names = await usernames(page.rows.map((r) => r.userId))
	return { ...page, rows: page.rows.map((r) => ({ ...r, username: names.get(r.userId) ?? '' })) }
}

async function usernames(ids: number[]) {
	const rows = await prisma.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, username: true } })
	return new Map(rows.map((u) => [u.id, u.username]))
}

export async function listOrders({ q, status, source, after }: { q: string; status: (typeof ORDER_STATUSES)[number] | null; source: 'store' | 'resellers' | null; after?: number }) {
	const where: Prisma.OrderWhereInput = {
		...(status ? { status } : {}),
		...(source === 'store' ? { resellerId: null } : source === 'resellers' ? { resellerId: { not: null } } : {}),
		...(q ? { customer: { username: { contains: q, mode: 'insensitive' } } } : {}),
		...(after ? { id: { lt: after } } : {}),
	}
	const rows = await prisma.order.findMany({
		where,
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, kind: true, status: true, amount: true, currency: true, createdAt: true, customerId: true, customer: { select: { username: true } }, reseller: { select: { name: true } } },
	})
	return paginate(rows)
}
