-- Issue 16: "active customers expiring within 3 days" as a range over the partial index still
-- read ~50,000 index entries at 1M customers (~110 ms on the loaded 2-core machine, most of the
-- dashboard). The count moves with the clock, so it is kept per hour of expiry: the count
-- triggers add, per UTC hour (date_trunc in UTC, whatever the session's TimeZone), the
-- change in active customers expiring in it. The dashboard sums the whole hours inside its window
-- and counts only the two partial hours at its edges through the index (see
-- app/models/customer-counts.server.ts); the compaction job folds them and drops past hours.
-- As in 20261203040000: writers wait until the new functions and the seed are in (the migration
-- is one transaction), so none is missed or counted twice.
LOCK TABLE "customers" IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE "customer_expiry_deltas" (
    "id" BIGSERIAL NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "customer_expiry_deltas_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "customer_expiry_deltas_hour_idx" ON "customer_expiry_deltas"("hour");

CREATE OR REPLACE FUNCTION customer_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_count_deltas (status, delta) SELECT status, count(*) FROM new_rows GROUP BY status;
    INSERT INTO customer_expiry_deltas (hour, delta)
    SELECT date_trunc('hour', expire_at, 'UTC'), count(*) FROM new_rows WHERE status = 'active' GROUP BY 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION customer_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_count_deltas (status, delta) SELECT status, -count(*) FROM old_rows GROUP BY status;
    INSERT INTO customer_expiry_deltas (hour, delta)
    SELECT date_trunc('hour', expire_at, 'UTC'), -count(*) FROM old_rows WHERE status = 'active' GROUP BY 1;
    RETURN NULL;
END $$;

-- UPDATE becomes a row-level trigger whose WHEN skips every row with the same status and expiry.
-- The statement-level one of 20261203040000 made Postgres capture both transition tables of every
-- UPDATE — the usage sync's batch of 1,000 customers (used_bytes only) included: measured at 1M
-- customers, variants taking turns, it added 4–18 ms to a 41–87 ms batch, ~1,000 batches per round;
-- a WHEN is evaluated without calling any function and adds 2–4 ms. The price: a statement that
-- changes many statuses at once writes a delta per changed customer (the compaction folds them).
DROP TRIGGER customer_counts_update ON "customers";
DROP FUNCTION customer_counts_update();
CREATE FUNCTION customer_counts_update_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status THEN
        INSERT INTO customer_count_deltas (status, delta) VALUES (OLD.status, -1), (NEW.status, 1);
    END IF;
    IF (OLD.status = 'active' OR NEW.status = 'active')
        AND (OLD.status, date_trunc('hour', OLD.expire_at, 'UTC')) IS DISTINCT FROM (NEW.status, date_trunc('hour', NEW.expire_at, 'UTC')) THEN
        INSERT INTO customer_expiry_deltas (hour, delta)
        SELECT v.hour, v.d FROM (VALUES
            (CASE WHEN OLD.status = 'active' THEN date_trunc('hour', OLD.expire_at, 'UTC') END, -1),
            (CASE WHEN NEW.status = 'active' THEN date_trunc('hour', NEW.expire_at, 'UTC') END, 1)) AS v(hour, d)
        WHERE v.hour IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_counts_update AFTER UPDATE ON "customers" FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.expire_at IS DISTINCT FROM NEW.expire_at)
    EXECUTE FUNCTION customer_counts_update_row();

CREATE OR REPLACE FUNCTION customer_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_count_deltas;
    DELETE FROM customer_expiry_deltas;
    RETURN NULL;
END $$;

INSERT INTO customer_expiry_deltas (hour, delta)
SELECT date_trunc('hour', expire_at, 'UTC'), count(*) FROM "customers" WHERE status = 'active' GROUP BY 1;
