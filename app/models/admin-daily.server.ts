// The admin dashboard's daily-use figures (issue 15): customers by state (customers, not login
// users), usage per node today, node health with the age of its last check and sync, and the
// queues that wait for him (payments to review, held usage jumps).
import { prisma } from '~/utils/db.server'

const DAY_MS = 24 * 60 * 60_000
/** A health check or a sync older than this is flagged stale on the dashboard. */
export const STALE_CHECK_MS = 30 * 60_000
export const STALE_SYNC_MS = 10 * 60_000

export async function customerStates(now = new Date()) {
	const soon = new Date(now.getTime() + 3 * DAY_MS)
	const [byStatus, expiring] = await Promise.all([
		prisma.customer.groupBy({ by: ['status'], _count: { _all: true } }),
		prisma.customer.count({ where: { status: 'active', expireAt: { gte: now, lte: soon } } }),
	])
	const count = (s: string) => byStatus.find((r) => r.status === s)?._count._all ?? 0
	return { active: count('active'), expiringSoon: expiring, limited: count('limited'), disabled: count('disabled'), expired: count('expired') }
}

/**
 * Per live node: today's usage (UTC day, from usage_daily — the rollup is daily, so "today" is
 * the finest honest window), health with the age of its last check, and its last sync.
 */
export async function nodesToday(now = new Date()) {
	const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
	const [nodes, usage] = await Promise.all([
		prisma.node.findMany({
			where: { deletedAt: null },
			orderBy: { id: 'asc' },
			select: { id: true, name: true, kind: true, health: true, lastCheckAt: true, lastError: true, lastSyncAt: true, lastSyncError: true, usageStale: true },
		}),
		prisma.usageDaily.groupBy({ by: ['nodeId'], where: { day: today }, _sum: { bytes: true } }),
	])
	return nodes.map((n) => ({
		...n,
		todayBytes: usage.find((u) => u.nodeId === n.id)?._sum.bytes ?? 0n,
		checkStale: !n.lastCheckAt || now.getTime() - n.lastCheckAt.getTime() > STALE_CHECK_MS,
		syncStale: !n.lastSyncAt || now.getTime() - n.lastSyncAt.getTime() > STALE_SYNC_MS,
	}))
}

/** What waits for the admin: receipts to review and usage jumps held for a decision. */
export async function waitingQueues() {
	const [payments, holds] = await Promise.all([
		prisma.payment.count({ where: { status: { in: ['submitted', 'in_review'] } } }),
		prisma.usageHold.count({ where: { status: 'pending' } }),
	])
	return { payments, holds }
}
