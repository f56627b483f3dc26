-- Issue 11, online gateways (docs/decisions/014): one settings row per provider, its keys sealed
-- under MASTER_KEY like panel credentials; and on each gateway payment what it was created with
-- (the unit and amount the gateway was told, NOWPayments' Rial rate), which verify must reuse.
CREATE TABLE "payment_gateways" (
    "provider" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    -- NULL: the provider's production API. The demo and tests point it at the simulators.
    "base_url" TEXT,
    -- Sealed JSON: {merchantId} (Zarinpal) | {apiKey, ipnSecret, email?, password?} (NOWPayments).
    "secrets" TEXT NOT NULL,
    -- Zarinpal {currency: IRR|IRT}; NOWPayments {priceCurrency, rialPerUnit (text, integer Rial)}.
    "options" JSONB NOT NULL DEFAULT '{}',
    "updated_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_gateways_pkey" PRIMARY KEY ("provider"),
    CONSTRAINT "payment_gateways_provider_check" CHECK (provider IN ('zarinpal', 'nowpayments'))
);

ALTER TABLE "payments" ADD COLUMN "provider_data" JSONB;

-- The reconciliation job's scan: only gateway payments still waiting, oldest first.
CREATE INDEX "payments_awaiting_gateway_idx" ON "payments"("created_at", "id") WHERE status = 'awaiting_gateway';
