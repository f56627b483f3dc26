-- Rule 11 across worker processes (docs/decisions/010): the per-node write limiter lives in the
-- node row. rate_next_at is the GCRA "theoretical arrival time" (when the next write may start),
-- rate_deferred_until the end of the virtual queue handed to callers told to come back later.
-- (No semicolons inside comments: the migration engine splits statements on them.)
ALTER TABLE "nodes" ADD COLUMN "rate_next_at" TIMESTAMPTZ(6);
ALTER TABLE "nodes" ADD COLUMN "rate_deferred_until" TIMESTAMPTZ(6);
