-- CreateEnum
CREATE TYPE "HoldStatus" AS ENUM ('pending', 'approved', 'rejected');

-- AlterTable
ALTER TABLE "nodes" ADD COLUMN     "last_sync_accounts" INTEGER,
ADD COLUMN     "last_sync_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_sync_error" TEXT,
ADD COLUMN     "last_sync_ms" INTEGER,
ADD COLUMN     "rate_limit_per_sec" INTEGER,
ADD COLUMN     "usage_stale" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "sub_accounts" ADD COLUMN     "counter_epoch" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "drift_error" TEXT,
ADD COLUMN     "last_change_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_counter" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "last_counter_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "usage_daily" (
    "customer_id" INTEGER NOT NULL,
    "node_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "bytes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("customer_id","node_id","day")
);

-- CreateTable
CREATE TABLE "usage_holds" (
    "id" SERIAL NOT NULL,
    "sub_account_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "node_id" INTEGER NOT NULL,
    "counter_before" BIGINT NOT NULL,
    "counter_after" BIGINT NOT NULL,
    "delta" BIGINT NOT NULL,
    "status" "HoldStatus" NOT NULL DEFAULT 'pending',
    "decided_by" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "audience" TEXT NOT NULL,
    "reseller_id" INTEGER,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "dedupe_key" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_runs" (
    "id" BIGSERIAL NOT NULL,
    "task" TEXT NOT NULL,
    "node_id" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "items" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "task_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "usage_daily_node_id_day_idx" ON "usage_daily"("node_id", "day");

-- CreateIndex
CREATE INDEX "usage_holds_status_id_idx" ON "usage_holds"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");

-- CreateIndex
CREATE INDEX "notifications_audience_reseller_id_id_idx" ON "notifications"("audience", "reseller_id", "id");

-- CreateIndex
CREATE INDEX "task_runs_task_id_idx" ON "task_runs"("task", "id");

-- CreateIndex
CREATE INDEX "task_runs_node_id_id_idx" ON "task_runs"("node_id", "id");

-- AddForeignKey
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_holds" ADD CONSTRAINT "usage_holds_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
