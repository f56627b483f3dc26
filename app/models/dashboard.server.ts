// Figures for the area dashboards. Tenant figures always filter by the owner.
import { dateTimeFormat } from '~/utils/intl-cache'
import { prisma, sql } from '~/utils/db.server'

const DAY = 24 * 60 * 60_000

type AdminCounts = { admins: number; resellers: number; sessions: number; events24h: number; lastBeatAt: Date | null; payments: number; holds: number; recent: RecentEvent[] }
type RecentEvent = { id: string; at: string; action: string; username: string | null }

/**
 * The admin dashboard's staff, session and event figures, the queues that wait for him (receipts
 * to review, usage jumps held for a decision) and the last events: one raw statement on the
 * shared pool, not the ORM. The dashboard is a hot signed-in page: Prisma's runtime cost more
 * server CPU per view than rendering it, and each statement more is a round trip, a socket write
 * and a pool checkout (issue 16 profile, decision 035).
 * Each count reads an index range bounded by what it counts, never a whole table (issue 16):
 * staff by users(role, id) — end users, one per store customer, are not read; live sessions by
 * sessions(expires_at); the day's events by audit_events(at); the queues by their (status, …)
 * indexes. Roles and statuses are written in the text (not bound), like the statuses in
 * customer-counts.server.ts, so a generic plan still reads those indexes for exactly those values.
 * The customer count is customerStates().live (admin-daily.server.ts), from the trigger-kept counts.
 */
export async function adminFigures() {
	const now = new Date()
	const dayAgo = new Date(now.getTime() - DAY)
	const [counts] = await sql.$queryRaw<AdminCounts[]>`
		select (select count(*)::int from users where role = 'admin') as admins,
			(select count(*)::int from users where role = 'reseller') as resellers,
			(select count(*)::int from sessions where expires_at > ${now.toISOString()}::timestamptz) as sessions,
			(select count(*)::int from audit_events where at > ${dayAgo.toISOString()}::timestamptz) as "events24h",
			(select max(beat_at) from worker_heartbeats) as "lastBeatAt",
			(select count(*)::int from payments where status in ('submitted', 'in_review')) as payments,
			(select count(*)::int from usage_holds where status = 'pending') as holds,
			-- the id as text: a bigint past 2^53 would lose digits as a JSON number
			(select coalesce(json_agg(json_build_object('id', r.id::text, 'at', r.at, 'action', r.action, 'username', r.username) order by r.id desc), '[]')
				from (select e.id, e.at, e.action, u.username from audit_events e left join users u on u.id = e.actor_id order by e.id desc limit 8) r) as recent`
	const { admins, resellers, sessions, events24h, lastBeatAt, payments, holds, recent } = counts!
	return {
		admins,
		resellers,
		sessions,
		events24h,
		workerAlive: Boolean(lastBeatAt && now.getTime() - lastBeatAt.getTime() < 60_000),
		queues: { payments, holds },
		// JSON gives Postgres's text of the timestamptz; the page gets the ISO form it always had.
		recent: recent.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), action: e.action, actor: e.username ?? 'system' })),
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
	// A cached formatter: building one per view was a visible share of the dashboard's CPU.
	const minute = Number(dateTimeFormat('en-GB', { timeZone: timezone, minute: 'numeric' }).format(at))
	return Math.floor(at.getTime() / 60_000) * 60_000 - minute * 60_000
}

/**
 * The admin dashboard's chart: the last 24 hours as 24 hourly buckets of `timezone`'s hours (the
 * last one is the hour now running), summed over live nodes, and each node's total over the same
 * window. Half-hour slots (usage_half_hours) add up to whole Tehran hours (+03:30).
 * Postgres sums them per (node, hour): at most 24 rows per live node reach us, not 48.
 */
export async function usageLast24h(now = new Date(), timezone = 'Asia/Tehran') {
	const current = localHourStart(now, timezone)
	const start = current - 23 * HOUR
	const from = new Date(start).toISOString()
	const rows = await sql.$queryRaw<Array<{ nodeId: number; i: number; bytes: bigint }>>`
		select u.node_id as "nodeId", floor(extract(epoch from u.slot - ${from}::timestamptz) / 3600)::int as i, sum(u.bytes)::bigint as bytes
		from usage_half_hours u join nodes n on n.id = u.node_id and n.deleted_at is null
		where u.slot >= ${from}::timestamptz and u.slot < ${new Date(current + HOUR).toISOString()}::timestamptz
		group by 1, 2`
	const hours = Array.from({ length: 24 }, (_, i) => ({ hour: new Date(start + i * HOUR).toISOString(), bytes: 0n }))
	const perNode = new Map<number, bigint>()
	for (const r of rows) {
		// A slot belongs to the hour it starts in (both halves of an hour start inside it).
		hours[r.i]!.bytes += r.bytes
		perNode.set(r.nodeId, (perNode.get(r.nodeId) ?? 0n) + r.bytes)
	}
	return { timezone, hours, perNode }
}
