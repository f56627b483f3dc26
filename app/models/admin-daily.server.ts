// The admin dashboard's daily-use figures (issue 15): customers by state (customers, not login
// users), usage per node today, node health with the age of its last check and sync. The queues
// that wait for him (payments to review, held usage jumps) are counted with the staff figures
// (dashboard.server.ts adminFigures: one statement).
import { activeExpiringBetween, customerCountsByStatus } from '~/models/customer-counts.server'
import type { NodeHealth, NodeKind } from '~/generated/prisma/enums'
import { sql } from '~/utils/db.server'

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

type NodeRow = {
	id: number
	name: string
	kind: NodeKind
	health: NodeHealth
	lastCheckAt: Date | null
	lastError: string | null
	lastSyncAt: Date | null
	lastSyncError: string | null
	usageStale: boolean
	todayBytes: bigint
}

/**
 * Per live node: today's usage (the UTC day), health with the age of its last check, and its last
 * sync. Today's usage sums the day's half-hour slots (usage_half_hours, written in the same
 * statement as usage_daily — decision 026): at most 48 rows per node, where usage_daily holds a
 * row per customer per node per day (a million at 1M customers, issue 16). One raw statement on
 * the shared pool: the dashboard is a hot page and the ORM's runtime was most of its server CPU.
 */
export async function nodesToday(now = new Date()) {
	const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
	const nodes = await sql.$queryRaw<NodeRow[]>`
		select n.id, n.name, n.kind::text as kind, n.health::text as health, n.last_check_at as "lastCheckAt", n.last_error as "lastError",
			n.last_sync_at as "lastSyncAt", n.last_sync_error as "lastSyncError", n.usage_stale as "usageStale",
			coalesce((select sum(u.bytes) from usage_half_hours u where u.node_id = n.id
				and u.slot >= ${today.toISOString()}::timestamptz and u.slot < ${new Date(today.getTime() + DAY_MS).toISOString()}::timestamptz), 0)::bigint as "todayBytes"
		from nodes n where n.deleted_at is null order by n.id`
	return nodes.map((n) => ({
		...n,
		checkStale: !n.lastCheckAt || now.getTime() - n.lastCheckAt.getTime() > STALE_CHECK_MS,
		syncStale: !n.lastSyncAt || now.getTime() - n.lastSyncAt.getTime() > STALE_SYNC_MS,
	}))
}
