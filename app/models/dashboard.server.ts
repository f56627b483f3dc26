// Figures for the area dashboards. Tenant figures always filter by the owner.
import { prisma } from '~/utils/db.server'

const DAY = 24 * 60 * 60_000

export async function adminFigures() {
	const now = new Date()
	const [byRole, customers, sessions, events24h, heartbeat, recent] = await Promise.all([
		prisma.user.groupBy({ by: ['role'], _count: { _all: true } }),
		// Service accounts (resellers' and the store's), not end-user logins (issue 12).
		prisma.customer.count({ where: { status: { not: 'deleted' } } }),
		prisma.session.count({ where: { expiresAt: { gt: now } } }),
		prisma.auditEvent.count({ where: { at: { gt: new Date(now.getTime() - DAY) } } }),
		prisma.workerHeartbeat.findFirst({ orderBy: { beatAt: 'desc' } }),
		prisma.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 8, select: { id: true, at: true, action: true, actor: { select: { username: true } } } }),
	])
	const count = (role: string) => byRole.find((r) => r.role === role)?._count._all ?? 0
	return {
		admins: count('admin'),
		resellers: count('reseller'),
		customers,
		sessions,
		events24h,
		workerAlive: Boolean(heartbeat && now.getTime() - heartbeat.beatAt.getTime() < 60_000),
		recent: recent.map((e) => ({ id: String(e.id), at: e.at.toISOString(), action: e.action, actor: e.actor?.username ?? 'system' })),
	}
}

export async function userFigures(userId: number) {
	const now = new Date()
	const [user, sessions, actions30d] = await Promise.all([
		prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { createdAt: true } }),
		prisma.session.count({ where: { userId, expiresAt: { gt: now } } }),
		prisma.auditEvent.count({ where: { actorId: userId, at: { gt: new Date(now.getTime() - 30 * DAY) } } }),
	])
	return { since: user.createdAt.toISOString(), sessions, actions30d }
}
