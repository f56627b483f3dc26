-- Issue 11: payment methods with limits and active hours, and the reservations that rotation
-- counts against each method's Tehran day (docs/decisions/011).
-- (No semicolons inside comments: the migration engine splits statements on them.)
CREATE TYPE "PaymentMethodKind" AS ENUM ('card', 'iban', 'crypto');

CREATE TABLE "payment_methods" (
    "id" SERIAL NOT NULL,
    "kind" "PaymentMethodKind" NOT NULL,
    "alias" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "min_amount" BIGINT,
    "max_amount" BIGINT,
    "daily_count_limit" INTEGER,
    "daily_amount_limit" BIGINT,
    "active_from" INTEGER,
    "active_to" INTEGER,
    "details" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "payment_methods_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_methods_amounts_check" CHECK ((min_amount IS NULL OR min_amount > 0) AND (max_amount IS NULL OR max_amount > 0) AND (min_amount IS NULL OR max_amount IS NULL OR min_amount <= max_amount)),
    CONSTRAINT "payment_methods_limits_check" CHECK ((daily_count_limit IS NULL OR daily_count_limit > 0) AND (daily_amount_limit IS NULL OR daily_amount_limit > 0)),
    CONSTRAINT "payment_methods_hours_check" CHECK ((active_from IS NULL) = (active_to IS NULL) AND (active_from IS NULL OR (active_from BETWEEN 0 AND 1439 AND active_to BETWEEN 0 AND 1440)))
);

CREATE INDEX "payment_methods_kind_active_priority_id_idx" ON "payment_methods"("kind", "active", "priority", "id");

CREATE TABLE "payment_reservations" (
    "id" BIGSERIAL NOT NULL,
    "method_id" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "reserved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "payment_ref" TEXT,
    "released" BOOLEAN NOT NULL DEFAULT false,
    "used_at" TIMESTAMPTZ(3),
    CONSTRAINT "payment_reservations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_reservations_amount_check" CHECK (amount > 0)
);

CREATE INDEX "payment_reservations_method_id_reserved_at_idx" ON "payment_reservations"("method_id", "reserved_at");

ALTER TABLE "payment_reservations" ADD CONSTRAINT "payment_reservations_method_id_fkey" FOREIGN KEY ("method_id") REFERENCES "payment_methods"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
