-- CreateEnum
CREATE TYPE "NodeKind" AS ENUM ('marzban', 'pasarguard', 'marzneshin', 'wgdashboard', 'routeros');

-- CreateEnum
CREATE TYPE "NodeHealth" AS ENUM ('unknown', 'ok', 'down');

-- CreateTable
CREATE TABLE "nodes" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "NodeKind" NOT NULL,
    "base_url" TEXT,
    "host" TEXT,
    "port" INTEGER,
    "transport" TEXT,
    "tls" BOOLEAN NOT NULL DEFAULT true,
    "verify_tls" BOOLEAN NOT NULL DEFAULT true,
    "secrets" TEXT NOT NULL,
    "usage_multiplier_permille" INTEGER NOT NULL DEFAULT 1000,
    "options" JSONB NOT NULL DEFAULT '{}',
    "health" "NodeHealth" NOT NULL DEFAULT 'unknown',
    "last_check_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_version" TEXT,
    "last_latency_ms" INTEGER,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "nodes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "nodes_deleted_at_id_idx" ON "nodes"("deleted_at", "id");
