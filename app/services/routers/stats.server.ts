// Per-router counts on the routers row (issue 13's dashboards): peers, online, disabled, missing,
// this cycle's bytes and the summed quotas, and the five peers with the most this cycle. The
// dashboards read them instead of aggregating every peer on every page view (20 routers × 2,000
// peers was 40,000 rows per load of /admin/routers).
// Recomputed, never incremented, so a repeat is harmless: at the end of every transaction that
// changes what they count — the poll (in its own transaction, beside the rollups), an import, an
// enable/disable, a quota or settings change, an approved anomaly. Each of those transactions
// locks the router row first (the poll's compare-and-set does), so this statement, which runs
// last, sees every change committed before it and none runs between its read and its write.
import { Prisma } from '~/generated/prisma/client'
import type { SqlDb } from '~/utils/sql.server'

export const TOP_PEERS = 5

// The top peers by this cycle's bytes: one top-N sort over the router's peers per refresh, instead
// of an index on cycle_bytes that every poll would have to update for every peer (it kept the
// poll's peer updates from being HOT updates).
const refreshSql = (routerId: number) => Prisma.sql`
update routers r set stat_peers = s.peers, stat_online = s.online, stat_disabled = s.disabled, stat_missing = s.missing,
	stat_cycle_bytes = s.cycle, stat_quota_bytes = s.quota, stat_top_peer_ids = s.top
from (
	select count(p.id)::int as peers, count(*) filter (where p.online)::int as online,
		count(*) filter (where p.disabled)::int as disabled, count(*) filter (where p.missing_at is not null)::int as missing,
		coalesce(sum(p.cycle_bytes) filter (where p.cycle_start = r0.cycle_start), 0) as cycle,
		sum(coalesce(p.quota_bytes, r0.default_quota_bytes)) as quota,
		coalesce((select array_agg(t.id order by t.cycle_bytes desc, t.id) from (
			select q.id, q.cycle_bytes from router_peers q
			where q.router_id = r0.id and q.cycle_start = r0.cycle_start and q.cycle_bytes > 0
			order by q.cycle_bytes desc, q.id limit ${Prisma.raw(String(TOP_PEERS))}) t), '{}') as top
	from routers r0 left join router_peers p on p.router_id = r0.id
	where r0.id = ${routerId} group by r0.id
) s
where r.id = ${routerId}`

/** Locks the router row: the first statement of a transaction that ends in refreshRouterStats. */
export async function lockRouter(tx: SqlDb, routerId: number) {
	await tx.$queryRaw`select id from routers where id = ${routerId} for update`
}

export async function refreshRouterStats(tx: SqlDb, routerId: number) {
	await tx.$executeRaw(refreshSql(routerId))
}
