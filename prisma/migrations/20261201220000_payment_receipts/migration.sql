-- Issue 11, receipts (docs/decisions/018): the amount the payer says he sent, and the duplicate
-- rules as unique indexes so two concurrent submissions of the same receipt cannot both pass the
-- pre-check (the service still looks the first one up first, to link it in the message).
ALTER TABLE "payments" ADD COLUMN "receipt_amount" BIGINT;

-- The same file (SHA-256 of the bytes as uploaded) may back one payment only, whatever its state:
-- a rejected or reversed fake must not come back on a new payment.
DROP INDEX "payments_receipt_sha256_idx";
CREATE UNIQUE INDEX "payments_receipt_sha256_key" ON "payments"("receipt_sha256");

-- The same normalized tracking code once per destination (method).
DROP INDEX "payments_method_id_tracking_code_norm_idx";
CREATE UNIQUE INDEX "payments_method_id_tracking_code_norm_key" ON "payments"("method_id", "tracking_code_norm");

-- Rule 2 link: a reseller's receipts waiting for a decision (pending credit), read by enforcement.
CREATE INDEX "payments_pending_credit_idx" ON "payments"("reseller_id") WHERE status IN ('submitted', 'in_review');

-- Which payment a receipt file was uploaded to: duplicate detection also sees files a payment has
-- replaced after a rejection, and the file route authorises by that payment's owner.
ALTER TABLE "payment_files" ADD COLUMN "payment_id" BIGINT;
ALTER TABLE "payment_files" ADD CONSTRAINT "payment_files_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "payment_files_sha256_idx" ON "payment_files"("sha256");
CREATE INDEX "payment_files_payment_id_idx" ON "payment_files"("payment_id");
