-- Retention (worker task retention_cleanup): a finished export past REPORT_RETENTION_DAYS loses its
-- file and stays listed as "expired" (its download answers 410), so the status may be 'expired'.
ALTER TABLE "report_exports" DROP CONSTRAINT "report_exports_status_check";
ALTER TABLE "report_exports" ADD CONSTRAINT "report_exports_status_check" CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired'));
