-- Issue 12 (brief I): store invoices with explicit lines, gapless numbers per series and Jalali
-- year, credit notes, coupons with guarded use counts. docs/decisions/015.
-- (No semicolons inside comments.)

CREATE TYPE "InvoiceStatus" AS ENUM ('draft', 'open', 'paid', 'void');
CREATE TYPE "InvoicePaymentStatus" AS ENUM ('unpaid', 'paid', 'refunded');

CREATE TABLE "invoices" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'invoice',
    "kind" TEXT NOT NULL,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'draft',
    "payment_status" "InvoicePaymentStatus" NOT NULL DEFAULT 'unpaid',
    "series" TEXT,
    "jalali_year" INTEGER,
    "seq" INTEGER,
    "number" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'IRR',
    "plan_id" INTEGER,
    "customer_id" INTEGER,
    "traffic_bytes" BIGINT NOT NULL DEFAULT 0,
    "subtotal" BIGINT NOT NULL DEFAULT 0,
    "discount" BIGINT NOT NULL DEFAULT 0,
    "credit" BIGINT NOT NULL DEFAULT 0,
    "tax_rate_bp" INTEGER NOT NULL DEFAULT 0,
    "tax_inclusive" BOOLEAN NOT NULL DEFAULT false,
    "tax_amount" BIGINT NOT NULL DEFAULT 0,
    "total" BIGINT NOT NULL DEFAULT 0,
    "wallet_credit" BIGINT NOT NULL DEFAULT 0,
    "coupon_id" INTEGER,
    "credit_of_id" BIGINT,
    "idempotency_key" TEXT,
    "bill_to" JSONB,
    "note" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "voided_at" TIMESTAMPTZ(3),
    "payment_id" BIGINT,
    "order_id" INTEGER,
    "consumed_by_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoices_type_check" CHECK ("type" IN ('invoice', 'credit_note')),
    CONSTRAINT "invoices_numbered_check" CHECK (("status" = 'draft' AND "number" IS NULL) OR ("status" IN ('open', 'paid') AND "number" IS NOT NULL) OR "status" = 'void'),
    CONSTRAINT "invoices_amounts_check" CHECK ("total" >= 0 AND "tax_amount" >= 0 AND "discount" >= 0 AND "credit" >= 0 AND "wallet_credit" >= 0)
);
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");
CREATE UNIQUE INDEX "invoices_idempotency_key_key" ON "invoices"("idempotency_key");
CREATE UNIQUE INDEX "invoices_series_year_seq_key" ON "invoices"("series", "jalali_year", "seq");
CREATE INDEX "invoices_user_id_id_idx" ON "invoices"("user_id", "id");
CREATE INDEX "invoices_status_id_idx" ON "invoices"("status", "id");
CREATE INDEX "invoices_customer_id_id_idx" ON "invoices"("customer_id", "id");
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_credit_of_id_fkey" FOREIGN KEY ("credit_of_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "invoice_lines" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label_key" TEXT NOT NULL,
    "values" JSONB NOT NULL DEFAULT '{}',
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "unit_amount" BIGINT NOT NULL,
    "amount" BIGINT NOT NULL,
    "included" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoice_lines_kind_check" CHECK ("kind" IN ('plan', 'traffic', 'proration', 'coupon', 'tax', 'correction'))
);
CREATE UNIQUE INDEX "invoice_lines_invoice_id_position_key" ON "invoice_lines"("invoice_id", "position");
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "invoice_counters" (
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "invoice_counters_pkey" PRIMARY KEY ("series", "year")
);

-- An issued invoice is a legal document: its number, lines and money never change again.
-- Status (open to paid or void), payment status and the activation links may still move.
CREATE FUNCTION invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.id USING ERRCODE = '55000';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.number IS DISTINCT FROM OLD.number OR NEW.series IS DISTINCT FROM OLD.series OR NEW.jalali_year IS DISTINCT FROM OLD.jalali_year
        OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.user_id IS DISTINCT FROM OLD.user_id
        OR NEW.type IS DISTINCT FROM OLD.type OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.currency IS DISTINCT FROM OLD.currency
        OR NEW.plan_id IS DISTINCT FROM OLD.plan_id OR NEW.traffic_bytes IS DISTINCT FROM OLD.traffic_bytes
        OR NEW.subtotal IS DISTINCT FROM OLD.subtotal OR NEW.discount IS DISTINCT FROM OLD.discount OR NEW.credit IS DISTINCT FROM OLD.credit
        OR NEW.tax_rate_bp IS DISTINCT FROM OLD.tax_rate_bp OR NEW.tax_inclusive IS DISTINCT FROM OLD.tax_inclusive
        OR NEW.tax_amount IS DISTINCT FROM OLD.tax_amount OR NEW.total IS DISTINCT FROM OLD.total OR NEW.wallet_credit IS DISTINCT FROM OLD.wallet_credit
        OR NEW.coupon_id IS DISTINCT FROM OLD.coupon_id OR NEW.credit_of_id IS DISTINCT FROM OLD.credit_of_id OR NEW.bill_to IS DISTINCT FROM OLD.bill_to
        OR NEW.status = 'draft'
    ) THEN
        RAISE EXCEPTION 'invoice % is issued: correct it with a credit note', OLD.id USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoice_frozen();

CREATE FUNCTION invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st "InvoiceStatus";
BEGIN
    SELECT status INTO st FROM invoices WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END);
    IF st IS NOT NULL AND st <> 'draft' THEN
        RAISE EXCEPTION 'the lines of an issued invoice cannot change' USING ERRCODE = '55000';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.invoice_id <> OLD.invoice_id THEN
        SELECT status INTO st FROM invoices WHERE id = OLD.invoice_id;
        IF st IS NOT NULL AND st <> 'draft' THEN
            RAISE EXCEPTION 'the lines of an issued invoice cannot change' USING ERRCODE = '55000';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen();

CREATE TABLE "coupons" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "plan_ids" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "category_ids" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "min_subtotal" BIGINT NOT NULL DEFAULT 0,
    "max_uses" INTEGER,
    "max_uses_per_user" INTEGER,
    "first_purchase_only" BOOLEAN NOT NULL DEFAULT false,
    "valid_from" TIMESTAMPTZ(3),
    "valid_to" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "coupons_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "coupons_kind_check" CHECK ("kind" IN ('percent', 'fixed')),
    CONSTRAINT "coupons_value_check" CHECK ("value" > 0 AND ("kind" <> 'percent' OR "value" <= 10000)),
    CONSTRAINT "coupons_uses_check" CHECK ("uses" >= 0 AND ("max_uses" IS NULL OR "uses" <= "max_uses"))
);
CREATE UNIQUE INDEX "coupons_code_key" ON "coupons"("code");
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "coupon_redemptions" (
    "id" BIGSERIAL NOT NULL,
    "coupon_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "invoice_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'reserved',
    "amount" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "coupon_redemptions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "coupon_redemptions_status_check" CHECK ("status" IN ('reserved', 'used', 'released'))
);
CREATE INDEX "coupon_redemptions_coupon_id_user_id_status_idx" ON "coupon_redemptions"("coupon_id", "user_id", "status");
CREATE INDEX "coupon_redemptions_invoice_id_idx" ON "coupon_redemptions"("invoice_id");
-- One live redemption per invoice.
CREATE UNIQUE INDEX "coupon_redemptions_live_invoice_key" ON "coupon_redemptions"("invoice_id") WHERE "status" <> 'released';
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
