-- Issue 14: every backup attempt, its file, checksum and result (docs/decisions/017).
CREATE TABLE "backups" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "file" TEXT,
    "bytes" BIGINT,
    "sha256" TEXT,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "tables" JSONB,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "backups_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "backups_status_check" CHECK (status IN ('running', 'succeeded', 'failed')),
    CONSTRAINT "backups_trigger_check" CHECK ("trigger" IN ('scheduled', 'manual', 'pre_migration'))
);
CREATE INDEX "backups_started_at_idx" ON "backups"("started_at");
