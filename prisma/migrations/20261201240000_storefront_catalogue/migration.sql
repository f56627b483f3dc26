-- Issue 12 (catalogue and accounts): end-user contact and billing fields, hierarchical plan
-- categories with an exclusive flag, plan visibility / trial / reset-on-renew, the store
-- customer's link to its end user and plan, and trials taken once per user per plan.
-- (No semicolons inside comments: the migration engine splits statements on them.)

ALTER TABLE "users" ADD COLUMN "phone" TEXT,
    ADD COLUMN "email" TEXT,
    ADD COLUMN "billing_name" TEXT,
    ADD COLUMN "billing_address" TEXT;
CREATE UNIQUE INDEX "users_phone_key" ON "users"("phone");
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "plan_categories" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "parent_id" INTEGER,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "exclusive" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "plan_categories_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_categories_not_own_parent" CHECK ("parent_id" IS NULL OR "parent_id" <> "id")
);
CREATE INDEX "plan_categories_parent_id_sort_order_idx" ON "plan_categories"("parent_id", "sort_order");
ALTER TABLE "plan_categories" ADD CONSTRAINT "plan_categories_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "plan_categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TYPE "PlanVisibility" AS ENUM ('public', 'resellers');

ALTER TABLE "plans" ADD COLUMN "category_id" INTEGER,
    ADD COLUMN "visibility" "PlanVisibility" NOT NULL DEFAULT 'public',
    ADD COLUMN "trial" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "reset_on_renew" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "plans" ADD CONSTRAINT "plans_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "plan_categories"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "plans_visibility_active_category_id_idx" ON "plans"("visibility", "active", "category_id");

-- The free-text category becomes a row per distinct name.
INSERT INTO "plan_categories" ("name", "updated_at") SELECT DISTINCT "category", CURRENT_TIMESTAMP FROM "plans" WHERE "category" IS NOT NULL AND "category" <> '';
UPDATE "plans" p SET "category_id" = c."id" FROM "plan_categories" c WHERE c."name" = p."category";
ALTER TABLE "plans" DROP COLUMN "category";

-- public_price is now the store price in Rial (the store sells in IRR, what payments take).
-- Toman plans convert exactly. A dollar or euro public price has no Rial meaning: those plans
-- stay for resellers only until the admin sets a Rial price.
UPDATE "plans" SET "public_price" = "public_price" * 10 WHERE "currency" = 'IRT';
UPDATE "plans" SET "visibility" = 'resellers' WHERE "currency" NOT IN ('IRT', 'IRR');
ALTER TABLE "plans" ADD CONSTRAINT "plans_public_price_check" CHECK ("public_price" >= 0);

-- A store customer (reseller_id null) belongs to one end user and was bought on one plan.
ALTER TABLE "customers" ADD COLUMN "user_id" INTEGER,
    ADD COLUMN "plan_id" INTEGER;
ALTER TABLE "customers" ADD CONSTRAINT "customers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "customers" ADD CONSTRAINT "customers_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "customers_user_id_id_idx" ON "customers"("user_id", "id");

CREATE TABLE "trial_uses" (
    "user_id" INTEGER NOT NULL,
    "plan_id" INTEGER NOT NULL,
    "customer_id" INTEGER,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "trial_uses_pkey" PRIMARY KEY ("user_id", "plan_id")
);
ALTER TABLE "trial_uses" ADD CONSTRAINT "trial_uses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "trial_uses" ADD CONSTRAINT "trial_uses_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
