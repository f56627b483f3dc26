// The admin dashboard's daily-use figures (issue 15): customers by state (customers, not login
// users), usage per node today, node health with the age of its last check and sync, and the
// queues that wait for him (payments to review, held usage jumps).
import { activeExpiringBetween, customerCountsByStatus } from '~/models/customer-counts.server'
import { prisma } from '~/utils/db.server'

const DAY_MS = 24 * 60 * 60_000
/** A health check or a sync older than this is flagged stale on the dashboard. */
export const STALE_CHECK_MS = 30 * 60_000
export const STALE_SYNC_MS = 10 * 60_000

/**
 * Customers by state, exact and fresh at any size (issue 16): the states from the trigger-kept
 * counts, "expiring within 3 days" from a range over the partial index of active expiries.
 * `live` is every customer not deleted.
 */
export async function customerStates(now = new Date()) {
	const [byStatus, expiringSoon] = await Promise.all([customerCountsByStatus(), activeExpiringBetween(now, new Date(now.getTime() + 3 * DAY_MS))])
	const live = Object.entries(byStatus).reduce((sum, [status, n]) => (status === 'deleted' ? sum : sum + n), 0)
	return { active: byStatus.active, expiringSoon, limited: byStatus.limited, disabled: byStatus.disabled, expired: byStatus.expired, live }
}

/**
 * Per live node: today's usage (the UTC day), health with the age of its last check, and its last
 * sync. Today's usage sums the day's half-hour slots (usage_half_hours, written in the same
 * statement as usage_daily — decision 026): at most 48 rows per node, where usage_daily holds a
 * row per customer per node per day (a million at 1M customers, issue 16).
 */
export async function nodesToday(now = new Date()) {
	const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
	const [nodes, usage] = await Promise.all([
		prisma.node.findMany({
			where: { deletedAt: null },
			orderBy: { id: 'asc' },
			select: { id: true, name: true, kind: true, health: true, lastCheckAt: true, lastError: true, lastSyncAt: true, lastSyncError: true, usageStale: true },
		}),
		prisma.usageHalfHour.groupBy({ by: ['nodeId'], where: { slot: { gte: today, lt: new Date(today.getTime() + DAY_MS) } }, _sum: { bytes: true } }),
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
