-- Issue 11: one payment row per attempt to bring money in (receipt or gateway), its append-only
-- event log, and receipt files stored in Postgres (docs/decisions/013).
CREATE TYPE "PaymentStatus" AS ENUM ('awaiting_transfer', 'submitted', 'in_review', 'approved', 'settled', 'rejected', 'expired', 'reversed', 'awaiting_gateway', 'failed', 'cancelled');
CREATE TYPE "PaymentChannel" AS ENUM ('card', 'iban', 'crypto', 'gateway');

CREATE TABLE "payment_files" (
    "id" BIGSERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage" TEXT NOT NULL DEFAULT 'db',
    "storage_key" TEXT,
    "bytes" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_files_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "payments" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "reseller_id" INTEGER,
    "purpose" TEXT NOT NULL DEFAULT 'wallet_top_up',
    "invoice_id" BIGINT,
    "channel" "PaymentChannel" NOT NULL,
    "status" "PaymentStatus" NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'IRR',
    "method_id" INTEGER,
    "reservation_id" BIGINT,
    "provider" TEXT,
    "provider_ref" TEXT,
    "provider_tx_id" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "tracking_code" TEXT,
    "tracking_code_norm" TEXT,
    "payer_card_last4" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "receipt_file_id" BIGINT,
    "receipt_sha256" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "late" BOOLEAN NOT NULL DEFAULT false,
    "flags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "claimed_by" INTEGER,
    "claim_expires_at" TIMESTAMPTZ(3),
    "decided_by" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "reject_reason" TEXT,
    "settled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payments_amount_check" CHECK (amount > 0),
    CONSTRAINT "payments_channel_check" CHECK ((channel = 'gateway') = (provider IS NOT NULL))
);

CREATE UNIQUE INDEX "payments_provider_provider_ref_key" ON "payments"("provider", "provider_ref");
CREATE INDEX "payments_status_submitted_at_id_idx" ON "payments"("status", "submitted_at", "id");
CREATE INDEX "payments_user_id_id_idx" ON "payments"("user_id", "id");
CREATE INDEX "payments_reseller_id_id_idx" ON "payments"("reseller_id", "id");
CREATE INDEX "payments_receipt_sha256_idx" ON "payments"("receipt_sha256");
CREATE INDEX "payments_method_id_tracking_code_norm_idx" ON "payments"("method_id", "tracking_code_norm");
CREATE INDEX "payments_method_id_amount_paid_at_idx" ON "payments"("method_id", "amount", "paid_at");
CREATE INDEX "payments_created_at_id_idx" ON "payments"("created_at", "id");

ALTER TABLE "payments" ADD CONSTRAINT "payments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_id_fkey" FOREIGN KEY ("method_id") REFERENCES "payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_reservation_id_fkey" FOREIGN KEY ("reservation_id") REFERENCES "payment_reservations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_receipt_file_id_fkey" FOREIGN KEY ("receipt_file_id") REFERENCES "payment_files"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "payment_events" (
    "id" BIGSERIAL NOT NULL,
    "payment_id" BIGINT NOT NULL,
    "from_status" "PaymentStatus",
    "to_status" "PaymentStatus" NOT NULL,
    "actor_id" INTEGER,
    "note" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "payment_events_payment_id_id_idx" ON "payment_events"("payment_id", "id");
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
