-- Issue 11: the ledger becomes double entry (docs/decisions/013). Every ledger transaction is a
-- set of entries over accounts that sums to zero per currency. Sign convention: credit positive
-- (a wallet's balance is the sum of its entries, as before; revenue earned is positive; cash a
-- method received is negative). A wallet leg (wallet:reseller:N, pool:reseller:N, wallet:user:N)
-- keeps its owner, balance before/after, ref and idempotency key exactly as single-entry rows had;
-- the other legs (revenue, cash:..., gateway_clearing:..., promo, tax_payable, traffic:...) reach
-- the ref through their transaction. Existing rows become one transaction each plus a counter
-- leg, so no wallet balance and no existing row's amount changes.

CREATE TABLE "ledger_transactions" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "ref_type" TEXT,
    "ref_id" TEXT,
    "actor_id" INTEGER,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ledger_transactions_idempotency_key_key" ON "ledger_transactions"("idempotency_key");
CREATE INDEX "ledger_transactions_ref_type_ref_id_idx" ON "ledger_transactions"("ref_type", "ref_id");

ALTER TABLE "users" ADD COLUMN "wallet_balance" BIGINT NOT NULL DEFAULT 0;

ALTER TABLE "ledger_entries" ADD COLUMN "transaction_id" BIGINT;
ALTER TABLE "ledger_entries" ADD COLUMN "account_code" TEXT;
ALTER TABLE "ledger_entries" ADD COLUMN "user_id" INTEGER;
ALTER TABLE "ledger_entries" ALTER COLUMN "reseller_id" DROP NOT NULL;
ALTER TABLE "ledger_entries" ALTER COLUMN "balance_before" DROP NOT NULL;
ALTER TABLE "ledger_entries" ALTER COLUMN "balance_after" DROP NOT NULL;
ALTER TABLE "ledger_entries" ALTER COLUMN "idempotency_key" DROP NOT NULL;

INSERT INTO "ledger_transactions" ("id", "kind", "idempotency_key", "ref_type", "ref_id", "actor_id", "note", "created_at")
SELECT "id", "kind", "idempotency_key", "ref_type", "ref_id", "actor_id", "note", "created_at" FROM "ledger_entries";

SELECT setval(pg_get_serial_sequence('ledger_transactions', 'id'), coalesce((SELECT max("id") FROM "ledger_transactions"), 0) + 1, false);

UPDATE "ledger_entries" SET "transaction_id" = "id",
    "account_code" = CASE "account" WHEN 'money' THEN 'wallet:reseller:' ELSE 'pool:reseller:' END || "reseller_id";

-- The counter leg of every existing entry, by what the entry was.
INSERT INTO "ledger_entries" ("transaction_id", "account_code", "account", "amount", "currency", "kind", "actor_id", "created_at")
SELECT "id",
    CASE
        WHEN "account" = 'traffic' AND "kind" IN ('adjustment_credit', 'adjustment_debit', 'top_up') THEN 'traffic:issued'
        WHEN "account" = 'traffic' THEN 'traffic:consumed'
        WHEN "kind" IN ('adjustment_credit', 'adjustment_debit') THEN 'cash:manual'
        WHEN "kind" = 'top_up' THEN 'cash:manual'
        ELSE 'revenue'
    END,
    "account", -"amount", "currency", "kind", "actor_id", "created_at"
FROM "ledger_entries" WHERE "transaction_id" IS NOT NULL AND "account_code" LIKE '%:reseller:%';

ALTER TABLE "ledger_entries" ALTER COLUMN "transaction_id" SET NOT NULL;
ALTER TABLE "ledger_entries" ALTER COLUMN "account_code" SET NOT NULL;
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- A wallet leg names exactly its owner and carries before/after; any other leg carries neither.
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_wallet_leg_check" CHECK (
    CASE
        WHEN "account_code" LIKE 'wallet:reseller:%' OR "account_code" LIKE 'pool:reseller:%'
            THEN "reseller_id" IS NOT NULL AND "user_id" IS NULL AND "balance_before" IS NOT NULL AND "balance_after" = "balance_before" + "amount" AND "idempotency_key" IS NOT NULL
        WHEN "account_code" LIKE 'wallet:user:%'
            THEN "user_id" IS NOT NULL AND "reseller_id" IS NULL AND "balance_before" IS NOT NULL AND "balance_after" = "balance_before" + "amount" AND "idempotency_key" IS NOT NULL
        ELSE "reseller_id" IS NULL AND "user_id" IS NULL AND "balance_before" IS NULL AND "balance_after" IS NULL
    END);
CREATE INDEX "ledger_entries_transaction_id_idx" ON "ledger_entries"("transaction_id");
CREATE INDEX "ledger_entries_user_id_id_idx" ON "ledger_entries"("user_id", "id");
CREATE INDEX "ledger_entries_account_code_id_idx" ON "ledger_entries"("account_code", "id");

-- Every transaction sums to zero per currency and has at least two legs, checked at the end of
-- the statement that wrote it (the single writer inserts a transaction and all its legs in one
-- statement). Not deferred to COMMIT: a failed COMMIT leaves Prisma's pooled connection unreleased,
-- while a failed statement rolls back cleanly.
CREATE FUNCTION ledger_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad BIGINT;
BEGIN
    SELECT e.transaction_id INTO bad FROM ledger_entries e
    WHERE e.transaction_id IN (SELECT DISTINCT transaction_id FROM new_rows)
    GROUP BY e.transaction_id, e.currency HAVING sum(e.amount) <> 0 LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not sum to zero', bad USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_balanced();

CREATE FUNCTION ledger_transactions_have_legs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad BIGINT;
BEGIN
    SELECT t.id INTO bad FROM new_rows t
    WHERE (SELECT count(*) FROM ledger_entries e WHERE e.transaction_id = t.id) < 2 LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % has fewer than two entries', bad USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_transactions_have_legs AFTER INSERT ON ledger_transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_transactions_have_legs();

-- Append-only: corrections are new transactions.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = '55000';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
