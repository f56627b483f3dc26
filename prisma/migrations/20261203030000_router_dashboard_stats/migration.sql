-- MikroTik accounting at size (issue 13's bars: 20 routers × 2,000 peers).
-- 1. Each router's dashboard counts on its own row, recomputed by every writer of its peers
--    (app/services/routers/stats.server.ts), so /admin/routers reads 20 rows, not 40,000 peers.
ALTER TABLE "routers"
    ADD COLUMN "stat_peers" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "stat_online" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "stat_disabled" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "stat_missing" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "stat_cycle_bytes" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "stat_quota_bytes" BIGINT,
    ADD COLUMN "stat_top_peer_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- The same statement as refreshRouterStats, once for every router that exists already.
UPDATE "routers" r SET "stat_peers" = s.peers, "stat_online" = s.online, "stat_disabled" = s.disabled, "stat_missing" = s.missing,
    "stat_cycle_bytes" = s.cycle, "stat_quota_bytes" = s.quota, "stat_top_peer_ids" = s.top
FROM (
    SELECT r0.id, count(p.id)::int AS peers, count(*) FILTER (WHERE p.online)::int AS online,
        count(*) FILTER (WHERE p.disabled)::int AS disabled, count(*) FILTER (WHERE p.missing_at IS NOT NULL)::int AS missing,
        coalesce(sum(p.cycle_bytes) FILTER (WHERE p.cycle_start = r0.cycle_start), 0) AS cycle,
        sum(coalesce(p.quota_bytes, r0.default_quota_bytes)) AS quota,
        coalesce((SELECT array_agg(t.id ORDER BY t.cycle_bytes DESC, t.id) FROM (
            SELECT q.id, q.cycle_bytes FROM router_peers q
            WHERE q.router_id = r0.id AND q.cycle_start = r0.cycle_start AND q.cycle_bytes > 0
            ORDER BY q.cycle_bytes DESC, q.id LIMIT 5) t), '{}') AS top
    FROM routers r0 LEFT JOIN router_peers p ON p.router_id = r0.id
    GROUP BY r0.id
) s
WHERE r.id = s.id;

-- 2. The router page's peer list walks this index (order by interface, name, id; offset/limit).
CREATE INDEX "router_peers_router_id_interface_name_id_idx" ON "router_peers"("router_id", "interface", "name", "id");

-- 3. Every poll rewrites every peer row (counters, cycle bytes, last seen). An index on cycle_bytes
--    made each of those updates insert into all four indexes; without it (the top peers now come
--    from stat_top_peer_ids) and with room left on each page, they are HOT updates: no index is
--    touched. The daily and cycle rows are rewritten by every poll of their day / cycle likewise.
DROP INDEX "router_peers_router_id_cycle_bytes_idx";
ALTER TABLE "router_peers" SET (fillfactor = 50);
ALTER TABLE "router_peer_daily" SET (fillfactor = 70);
ALTER TABLE "router_peer_cycles" SET (fillfactor = 70);
