-- MikroTik WireGuard accounting (issue 13, docs/decisions/016-mikrotik-accounting.md).
-- (No semicolons inside comments: the migration engine splits statements on them.)
CREATE TYPE "RouterEnforcement" AS ENUM ('monitor', 'auto_disable');
CREATE TYPE "RouterCalendar" AS ENUM ('gregorian', 'jalali');

CREATE TABLE "routers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "base_url" TEXT,
    "host" TEXT,
    "port" INTEGER,
    "tls" BOOLEAN NOT NULL DEFAULT true,
    "verify_tls" BOOLEAN NOT NULL DEFAULT true,
    "secrets" TEXT NOT NULL,
    "interfaces" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "identity" TEXT,
    "version" TEXT,
    "board_name" TEXT,
    "poll_interval_sec" INTEGER NOT NULL DEFAULT 60,
    "online_threshold_sec" INTEGER NOT NULL DEFAULT 180,
    "reset_day" INTEGER NOT NULL DEFAULT 1,
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Tehran',
    "calendar" "RouterCalendar" NOT NULL DEFAULT 'jalali',
    "default_quota_bytes" BIGINT,
    "enforcement" "RouterEnforcement" NOT NULL DEFAULT 'monitor',
    "link_rate_mbps" INTEGER NOT NULL DEFAULT 1000,
    "sample_retention_days" INTEGER NOT NULL DEFAULT 14,
    "poll_seq" INTEGER NOT NULL DEFAULT 0,
    "last_uptime_sec" BIGINT,
    "boot_epoch" INTEGER NOT NULL DEFAULT 0,
    "last_poll_at" TIMESTAMPTZ(3),
    "last_poll_ok_at" TIMESTAMPTZ(3),
    "last_poll_ms" INTEGER,
    "last_poll_error" TEXT,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    "cycle_start" DATE,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "routers_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "routers_deleted_at_id_idx" ON "routers"("deleted_at", "id");

CREATE TABLE "router_peers" (
    "id" SERIAL NOT NULL,
    "router_id" INTEGER NOT NULL,
    "interface" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "name" TEXT,
    "comment" TEXT,
    "allowed_address" TEXT,
    "endpoint_address" TEXT,
    "current_endpoint" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "disabled_by" TEXT,
    "disabled_cycle" DATE,
    "last_rx" BIGINT NOT NULL DEFAULT 0,
    "last_tx" BIGINT NOT NULL DEFAULT 0,
    "counter_epoch" INTEGER NOT NULL DEFAULT 0,
    "last_handshake_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "online" BOOLEAN NOT NULL DEFAULT false,
    "total_bytes" BIGINT NOT NULL DEFAULT 0,
    "cycle_start" DATE,
    "cycle_bytes" BIGINT NOT NULL DEFAULT 0,
    "notified_pct" INTEGER NOT NULL DEFAULT 0,
    "quota_bytes" BIGINT,
    "enforcement" "RouterEnforcement",
    "missing_at" TIMESTAMPTZ(3),
    "customer_id" INTEGER,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "router_peers_pkey" PRIMARY KEY ("id")
) WITH (fillfactor = 80);
CREATE UNIQUE INDEX "router_peers_router_id_interface_public_key_key" ON "router_peers"("router_id", "interface", "public_key");
CREATE INDEX "router_peers_router_id_cycle_bytes_idx" ON "router_peers"("router_id", "cycle_bytes");
CREATE INDEX "router_peers_customer_id_idx" ON "router_peers"("customer_id");
ALTER TABLE "router_peers" ADD CONSTRAINT "router_peers_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "router_peers" ADD CONSTRAINT "router_peers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "router_actions" (
    "id" BIGSERIAL NOT NULL,
    "router_id" INTEGER NOT NULL,
    "peer_id" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor_id" INTEGER,
    "result" TEXT NOT NULL,
    "read_back" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "router_actions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "router_actions_peer_id_id_idx" ON "router_actions"("peer_id", "id");
CREATE INDEX "router_actions_router_id_id_idx" ON "router_actions"("router_id", "id");
ALTER TABLE "router_actions" ADD CONSTRAINT "router_actions_router_id_fkey" FOREIGN KEY ("router_id") REFERENCES "routers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "router_actions" ADD CONSTRAINT "router_actions_peer_id_fkey" FOREIGN KEY ("peer_id") REFERENCES "router_peers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "router_polls" (
    "id" BIGSERIAL NOT NULL,
    "router_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "uptime_sec" BIGINT,
    "rebooted" BOOLEAN NOT NULL DEFAULT false,
    "peers" INTEGER NOT NULL DEFAULT 0,
    "moved" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "ms" INTEGER,
    CONSTRAINT "router_polls_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "router_polls_router_id_at_idx" ON "router_polls"("router_id", "at");
CREATE INDEX "router_polls_at_idx" ON "router_polls"("at");

CREATE TABLE "router_samples" (
    "poll_id" BIGINT NOT NULL,
    "peer_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "rx" BIGINT NOT NULL,
    "tx" BIGINT NOT NULL,
    "rx_counter" BIGINT NOT NULL,
    "tx_counter" BIGINT NOT NULL,
    "reset" BOOLEAN NOT NULL DEFAULT false,
    "held" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "router_samples_pkey" PRIMARY KEY ("peer_id", "poll_id")
);
CREATE INDEX "router_samples_at_idx" ON "router_samples"("at");

CREATE TABLE "router_peer_daily" (
    "peer_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "router_id" INTEGER NOT NULL,
    "rx" BIGINT NOT NULL DEFAULT 0,
    "tx" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "router_peer_daily_pkey" PRIMARY KEY ("peer_id", "day")
);

CREATE TABLE "router_peer_cycles" (
    "peer_id" INTEGER NOT NULL,
    "cycle_start" DATE NOT NULL,
    "router_id" INTEGER NOT NULL,
    "rx" BIGINT NOT NULL DEFAULT 0,
    "tx" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "router_peer_cycles_pkey" PRIMARY KEY ("peer_id", "cycle_start")
);

CREATE TABLE "router_daily" (
    "router_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "rx" BIGINT NOT NULL DEFAULT 0,
    "tx" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "router_daily_pkey" PRIMARY KEY ("router_id", "day")
);

CREATE TABLE "router_hourly" (
    "router_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "rx" BIGINT NOT NULL DEFAULT 0,
    "tx" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "router_hourly_pkey" PRIMARY KEY ("router_id", "hour")
);

CREATE TABLE "router_anomalies" (
    "id" BIGSERIAL NOT NULL,
    "router_id" INTEGER NOT NULL,
    "peer_id" INTEGER NOT NULL,
    "poll_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "rx" BIGINT NOT NULL,
    "tx" BIGINT NOT NULL,
    "elapsed_sec" INTEGER NOT NULL,
    "limit_bytes" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decided_by" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    CONSTRAINT "router_anomalies_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "router_anomalies_peer_id_poll_id_key" ON "router_anomalies"("peer_id", "poll_id");
CREATE INDEX "router_anomalies_router_id_status_id_idx" ON "router_anomalies"("router_id", "status", "id");
