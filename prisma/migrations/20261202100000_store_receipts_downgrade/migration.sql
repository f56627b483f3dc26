-- Store completion (issue 12, brief A).
-- Receipts that pay store invoices: the invoice page and the expiry pass look payments up by invoice.
CREATE INDEX "payments_invoice_id_idx" ON "payments"("invoice_id");

-- A downgrade paid now takes effect at renewal (decision 015): the paid invoice that scheduled the
-- change and the moment it takes over (the service's expiry when it was paid). Until then the
-- service keeps its plan, nodes and limits; the apply_plan_changes task switches it.
ALTER TABLE "customers" ADD COLUMN "scheduled_invoice_id" BIGINT;
ALTER TABLE "customers" ADD COLUMN "scheduled_change_at" TIMESTAMPTZ(3);
CREATE INDEX "customers_scheduled_change_at_idx" ON "customers"("scheduled_change_at");
