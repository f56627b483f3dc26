// In-app notifications, read by their audience only: every admin shares the admin feed; a
// reseller sees only rows addressed to his reseller id (tenant scope lives in the where).
import { Prisma } from '~/generated/prisma/client'
import { prisma, sql } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'

export type Audience = { audience: 'admin' } | { audience: 'reseller'; resellerId: number } | { audience: 'user'; userId: number }

// an end user (audience 'user') sees only rows addressed to his own user id
const scope = (a: Audience) =>
	a.audience === 'admin' ? { audience: 'admin' } : a.audience === 'reseller' ? { audience: 'reseller', resellerId: a.resellerId } : { audience: 'user', userId: a.userId }

/** Every signed-in page's bell shows this: one raw statement, no ORM (utils/sql.server.ts, issue 16). */
export async function unreadCount(a: Audience): Promise<number> {
	const owner = a.audience === 'admin' ? Prisma.empty : a.audience === 'reseller' ? Prisma.sql`and reseller_id = ${a.resellerId}` : Prisma.sql`and user_id = ${a.userId}`
	const [row] = await sql.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from notifications where audience = ${a.audience} ${owner} and read_at is null`
	return row!.n
}

/** Newest first, keyset pages; `unread` keeps only the unread ones. */
export async function listNotifications(a: Audience, { after, unread }: { after?: number; unread: boolean }) {
	const rows = await prisma.notification.findMany({
		where: { ...scope(a), ...(unread ? { readAt: null } : {}), ...(after ? { id: { lt: BigInt(after) } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, kind: true, data: true, readAt: true, createdAt: true },
	})
	const page = paginate(rows)
	return { nextCursor: page.nextCursor, rows: page.rows.map((n) => ({ ...n, id: String(n.id), data: (n.data ?? {}) as Record<string, unknown> })) }
}

/** Marks one of the audience's notifications read; false when it is not theirs (or not there). */
export async function markRead(a: Audience, id: bigint) {
	const found = await prisma.notification.findFirst({ where: { id, ...scope(a) }, select: { id: true, readAt: true } })
	if (!found) return false
	if (!found.readAt) await prisma.notification.updateMany({ where: { id, ...scope(a), readAt: null }, data: { readAt: new Date() } })
	return true
}

export async function markAllRead(a: Audience) {
	const { count } = await prisma.notification.updateMany({ where: { ...scope(a), readAt: null }, data: { readAt: new Date() } })
	return count
}
