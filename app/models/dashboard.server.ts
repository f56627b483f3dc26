// Figures for the area dashboards. Tenant figures always filter by the owner.
import { prisma } from '~/utils/db.server'

const DAY = 24 * 60 * 60_000

export async function adminFigures() {
	const now = new Date()
	// Each count reads an index range bounded by what it counts, never a whole table (issue 16):
	// staff by users(role, id) — end users, one per store customer, are not read; live sessions by
	// sessions(expires_at); the day's events by audit_events(at). The customer count is
	// customerStates().live (admin-daily.server.ts), from the trigger-kept counts.
	const [byRole, sessions, events24h, heartbeat, recent] = await Promise.all([
		prisma.user.groupBy({ by: ['role'], where: { role: { in: ['admin', 'reseller'] } }, _count: { _all: true } }),
		prisma.session.count({ where: { expiresAt: { gt: now } } }),
		prisma.auditEvent.count({ where: { at: { gt: new Date(now.getTime() - DAY) } } }),
		prisma.workerHeartbeat.findFirst({ orderBy: { beatAt: 'desc' } }),
		prisma.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 8, select: { id: true, at: true, action: true, actor: { select: { username: true } } } }),
	])
	const count = (role: string) => byRole.find((r) => r.role === role)?._count._all ?? 0
	return {
		admins: count('admin'),
		resellers: count('reseller'),
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

const HOUR = 60 * 60_000

/** The start of the local hour holding `at` in `timezone` (every zone but a few has whole- or half-hour offsets). */
function localHourStart(at: Date, timezone: string) {
	const minute = Number(new Intl.DateTimeFormat('en-GB', { timeZone: timezone, minute: 'numeric' }).format(at))
	return Math.floor(at.getTime() / 60_000) * 60_000 - minute * 60_000
}

/**
 * The admin dashboard's chart: the last 24 hours as 24 hourly buckets of `timezone`'s hours (the
 * last one is the hour now running), summed over live nodes, and each node's total over the same
 * window. Half-hour slots (usage_half_hours) add up to whole Tehran hours (+03:30).
 */
export async function usageLast24h(now = new Date(), timezone = 'Asia/Tehran') {
	const current = localHourStart(now, timezone)
	const start = current - 23 * HOUR
	const rows = await prisma.usageHalfHour.findMany({ where: { slot: { gte: new Date(start), lt: new Date(current + HOUR) }, node: { deletedAt: null } }, select: { nodeId: true, slot: true, bytes: true } })
	const hours = Array.from({ length: 24 }, (_, i) => ({ hour: new Date(start + i * HOUR).toISOString(), bytes: 0n }))
	const perNode = new Map<number, bigint>()
	for (const r of rows) {
		// A slot belongs to the hour it starts in (both halves of an hour start inside it).
		const i = Math.floor((r.slot.getTime() - start) / HOUR)
		hours[i]!.bytes += r.bytes
		perNode.set(r.nodeId, (perNode.get(r.nodeId) ?? 0n) + r.bytes)
	}
	return { timezone, hours, perNode }
}
