-- Issue 16: the admin dashboard counts customers per status without scanning customers (a
-- count(*) over 1M rows took ~1.6 s). Statement-level triggers write the change of each statement
-- as insert-only delta rows, one per status it moved; the dashboard sums them (exact and fresh:
-- a writer's delta commits with its rows), and the compact_customer_counts job folds them into one
-- row per status. Insert-only, so concurrent writers never queue on one hot counter row until they
-- commit (the burst case creates customers from many connections at once).
CREATE TABLE "customer_count_deltas" (
    "id" BIGSERIAL NOT NULL,
    "status" "CustomerStatus" NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "customer_count_deltas_pkey" PRIMARY KEY ("id")
);

CREATE FUNCTION customer_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_count_deltas (status, delta) SELECT status, count(*) FROM new_rows GROUP BY status;
    RETURN NULL;
END $$;

CREATE FUNCTION customer_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_count_deltas (status, delta) SELECT status, -count(*) FROM old_rows GROUP BY status;
    RETURN NULL;
END $$;

-- Most UPDATEs never touch the status (the usage sync updates used_bytes of 1,000 customers per
-- statement): join old and new rows on id and keep only those whose status moved, so such a
-- statement writes nothing. A status change adds -1 to the old status and +1 to the new one.
CREATE FUNCTION customer_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_count_deltas (status, delta)
    SELECT v.status, sum(v.d) FROM old_rows o JOIN new_rows n ON n.id = o.id,
        LATERAL (VALUES (o.status, -1), (n.status, 1)) AS v(status, d)
    WHERE n.status <> o.status
    GROUP BY v.status
    HAVING sum(v.d) <> 0;
    RETURN NULL;
END $$;

-- TRUNCATE fires no DELETE trigger: it empties the counts with the table.
CREATE FUNCTION customer_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_count_deltas;
    RETURN NULL;
END $$;

-- Writers wait while the triggers are created and the counts seeded, so none is counted twice
-- or missed (the whole migration is one transaction).
LOCK TABLE "customers" IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER customer_counts_insert AFTER INSERT ON "customers"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_insert();
CREATE TRIGGER customer_counts_delete AFTER DELETE ON "customers"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_delete();
CREATE TRIGGER customer_counts_update AFTER UPDATE ON "customers"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_update();
CREATE TRIGGER customer_counts_truncate AFTER TRUNCATE ON "customers"
    FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_truncate();

INSERT INTO customer_count_deltas (status, delta) SELECT status, count(*) FROM "customers" GROUP BY status;

-- "Expiring within 3 days" depends on the clock, so it cannot be a counter: a range over this
-- partial index reads only the active customers that expire in the window.
CREATE INDEX "customers_active_expire_at_idx" ON "customers"("expire_at") WHERE "status" = 'active';

-- The dashboard's "events in the last 24 hours": a range over the newest entries, not a scan.
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
