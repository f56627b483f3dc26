-- CreateEnum
CREATE TYPE "FundingModel" AS ENUM ('wallet', 'pool');

-- CreateEnum
CREATE TYPE "PricingMode" AS ENUM ('per_node', 'bundle');

-- CreateEnum
CREATE TYPE "LedgerAccount" AS ENUM ('money', 'traffic');

-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('active', 'disabled', 'expired', 'limited', 'refunded', 'deleted');

-- CreateEnum
CREATE TYPE "SubAccountState" AS ENUM ('pending', 'active', 'failed', 'removing', 'removed');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('queued', 'provisioning', 'completed', 'partly_failed', 'failed_refunded');

-- CreateTable
CREATE TABLE "resellers" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "shop_name" TEXT,
    "address" TEXT,
    "funding_model" "FundingModel" NOT NULL DEFAULT 'wallet',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "balance" BIGINT NOT NULL DEFAULT 0,
    "credit_limit" BIGINT NOT NULL DEFAULT 0,
    "negative_since" TIMESTAMPTZ(3),
    "pool_bytes" BIGINT NOT NULL DEFAULT 0,
    "pool_window_start" TIMESTAMPTZ(3),
    "pool_window_end" TIMESTAMPTZ(3),
    "allow_config_overrun" BOOLEAN NOT NULL DEFAULT true,
    "pricing_mode" "PricingMode" NOT NULL DEFAULT 'per_node',
    "price_per_gb" BIGINT NOT NULL DEFAULT 0,
    "bundle_price_per_gb" BIGINT,
    "price_per_day" BIGINT NOT NULL DEFAULT 0,
    "max_customers" INTEGER,
    "min_gb" INTEGER,
    "max_gb" INTEGER,
    "min_days" INTEGER,
    "max_days" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "resellers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_allocations" (
    "id" SERIAL NOT NULL,
    "reseller_id" INTEGER NOT NULL,
    "node_id" INTEGER NOT NULL,
    "price_per_gb" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "node_allocations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plans" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "data_limit_bytes" BIGINT NOT NULL,
    "public_price" BIGINT NOT NULL,
    "reseller_price" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "category" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_nodes" (
    "plan_id" INTEGER NOT NULL,
    "node_id" INTEGER NOT NULL,

    CONSTRAINT "plan_nodes_pkey" PRIMARY KEY ("plan_id","node_id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "reseller_id" INTEGER NOT NULL,
    "account" "LedgerAccount" NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "balance_before" BIGINT NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "ref_type" TEXT,
    "ref_id" TEXT,
    "actor_id" INTEGER,
    "note" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" SERIAL NOT NULL,
    "reseller_id" INTEGER,
    "username" TEXT NOT NULL,
    "note" TEXT,
    "data_limit_bytes" BIGINT NOT NULL,
    "used_bytes" BIGINT NOT NULL DEFAULT 0,
    "expire_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "CustomerStatus" NOT NULL DEFAULT 'active',
    "disabled_reason" TEXT,
    "sub_token" TEXT NOT NULL,
    "purchased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sub_accounts" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "node_id" INTEGER NOT NULL,
    "order_id" INTEGER,
    "remote_username" TEXT NOT NULL,
    "state" "SubAccountState" NOT NULL DEFAULT 'pending',
    "ref" TEXT,
    "links" TEXT,
    "remote_status" TEXT,
    "used_bytes" BIGINT NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "charged_amount" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sub_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" SERIAL NOT NULL,
    "reseller_id" INTEGER,
    "customer_id" INTEGER,
    "kind" TEXT NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'queued',
    "amount" BIGINT NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "traffic_bytes" BIGINT NOT NULL DEFAULT 0,
    "days" INTEGER NOT NULL DEFAULT 0,
    "quote" JSONB NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "actor_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quotes" (
    "id" TEXT NOT NULL,
    "reseller_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "items" JSONB NOT NULL,
    "total" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "order_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quotes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_events" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT,
    "actor_id" INTEGER,
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "resellers_user_id_key" ON "resellers"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "node_allocations_reseller_id_node_id_key" ON "node_allocations"("reseller_id", "node_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entries_reseller_id_account_id_idx" ON "ledger_entries"("reseller_id", "account", "id");

-- CreateIndex
CREATE INDEX "ledger_entries_ref_type_ref_id_idx" ON "ledger_entries"("ref_type", "ref_id");

-- CreateIndex
CREATE UNIQUE INDEX "customers_sub_token_key" ON "customers"("sub_token");

-- CreateIndex
CREATE INDEX "customers_reseller_id_id_idx" ON "customers"("reseller_id", "id");

-- CreateIndex
CREATE INDEX "customers_reseller_id_status_id_idx" ON "customers"("reseller_id", "status", "id");

-- CreateIndex
CREATE INDEX "customers_reseller_id_expire_at_idx" ON "customers"("reseller_id", "expire_at");

-- CreateIndex
CREATE UNIQUE INDEX "customers_reseller_id_username_key" ON "customers"("reseller_id", "username");

-- CreateIndex
CREATE INDEX "sub_accounts_node_id_state_idx" ON "sub_accounts"("node_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "sub_accounts_customer_id_node_id_key" ON "sub_accounts"("customer_id", "node_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_idempotency_key_key" ON "orders"("idempotency_key");

-- CreateIndex
CREATE INDEX "orders_reseller_id_id_idx" ON "orders"("reseller_id", "id");

-- CreateIndex
CREATE INDEX "orders_customer_id_id_idx" ON "orders"("customer_id", "id");

-- CreateIndex
CREATE INDEX "quotes_reseller_id_created_at_idx" ON "quotes"("reseller_id", "created_at");

-- CreateIndex
CREATE INDEX "customer_events_customer_id_id_idx" ON "customer_events"("customer_id", "id");

-- AddForeignKey
ALTER TABLE "resellers" ADD CONSTRAINT "resellers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_allocations" ADD CONSTRAINT "node_allocations_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_allocations" ADD CONSTRAINT "node_allocations_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_nodes" ADD CONSTRAINT "plan_nodes_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_nodes" ADD CONSTRAINT "plan_nodes_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_accounts" ADD CONSTRAINT "sub_accounts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_accounts" ADD CONSTRAINT "sub_accounts_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_reseller_id_fkey" FOREIGN KEY ("reseller_id") REFERENCES "resellers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
