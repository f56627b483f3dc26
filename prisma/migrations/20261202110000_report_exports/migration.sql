-- Issue 14, reports: one Excel export job per row — who asked, in whose scope, with which filters,
-- and how far the worker has got (rows done / total, pages committed), then the file to download.
CREATE TABLE "report_exports" (
    "id" SERIAL NOT NULL,
    "requested_by" INTEGER NOT NULL,
    -- Set for a reseller's export: every row in it is his, and only he (or an admin) downloads it.
    "reseller_id" INTEGER,
    "kind" TEXT NOT NULL,
    "filters" JSONB NOT NULL DEFAULT '{}',
    "lang" TEXT NOT NULL DEFAULT 'en',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "rows_done" INTEGER NOT NULL DEFAULT 0,
    "rows_total" INTEGER,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "file" TEXT,
    "bytes" BIGINT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "report_exports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "report_exports_requested_by_fkey" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "report_exports_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "report_exports_status_check" CHECK (status IN ('queued', 'running', 'done', 'failed')),
    CONSTRAINT "report_exports_lang_check" CHECK (lang IN ('en', 'fa'))
);
CREATE INDEX "report_exports_reseller_id_id_idx" ON "report_exports"("reseller_id", "id");
CREATE INDEX "report_exports_created_at_idx" ON "report_exports"("created_at");
