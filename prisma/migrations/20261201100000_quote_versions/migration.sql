-- Issue 8: a quote pins the versions of what it relied on; executing it compares them under lock.
-- Versions are bumped by triggers, so no code path (admin edit, enforcement, provisioning, node
-- soft delete) can change a priced fact without making outstanding quotes stale.

ALTER TABLE "customers" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "resellers" ADD COLUMN "config_version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "quotes" ADD COLUMN "customer_version" INTEGER, ADD COLUMN "reseller_version" INTEGER;
-- The money of an order split into what bought traffic (refundable) and what bought time (never).
ALTER TABLE "orders" ADD COLUMN "traffic_amount" BIGINT NOT NULL DEFAULT 0, ADD COLUMN "time_amount" BIGINT NOT NULL DEFAULT 0;

UPDATE "orders" SET
	"traffic_amount" = GREATEST(COALESCE(("quote"->>'trafficAmount')::bigint, 0), 0),
	"time_amount" = GREATEST("amount" - GREATEST(COALESCE(("quote"->>'trafficAmount')::bigint, 0), 0), 0)
WHERE "kind" IN ('create', 'extend', 'add_traffic', 'change_nodes') AND "amount" > 0;

-- A customer's version moves with every fact a quote prices: status, limit, expiry, owner…
CREATE FUNCTION bump_customer_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.status, NEW.disabled_reason, NEW.data_limit_bytes, NEW.expire_at, NEW.reseller_id)
		IS DISTINCT FROM (OLD.status, OLD.disabled_reason, OLD.data_limit_bytes, OLD.expire_at, OLD.reseller_id) THEN
		NEW.version := OLD.version + 1;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER customers_version BEFORE UPDATE ON "customers" FOR EACH ROW EXECUTE FUNCTION bump_customer_version();

-- …and with his set of live nodes (a sub-account entering or leaving pending/active).
CREATE FUNCTION bump_customer_version_on_sub() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	live_old boolean := TG_OP <> 'INSERT' AND OLD.state IN ('pending', 'active');
	live_new boolean := TG_OP <> 'DELETE' AND NEW.state IN ('pending', 'active');
BEGIN
	IF live_old IS DISTINCT FROM live_new THEN
		UPDATE "customers" SET "version" = "version" + 1 WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER sub_accounts_version AFTER INSERT OR DELETE OR UPDATE OF "state" ON "sub_accounts" FOR EACH ROW EXECUTE FUNCTION bump_customer_version_on_sub();

-- A reseller's config version moves with his funding model, pricing, limits and window…
CREATE FUNCTION bump_reseller_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.funding_model, NEW.pricing_mode, NEW.currency, NEW.price_per_gb, NEW.bundle_price_per_gb, NEW.price_per_day,
		NEW.max_customers, NEW.min_gb, NEW.max_gb, NEW.min_days, NEW.max_days, NEW.pool_window_start, NEW.pool_window_end, NEW.allow_config_overrun)
		IS DISTINCT FROM (OLD.funding_model, OLD.pricing_mode, OLD.currency, OLD.price_per_gb, OLD.bundle_price_per_gb, OLD.price_per_day,
		OLD.max_customers, OLD.min_gb, OLD.max_gb, OLD.min_days, OLD.max_days, OLD.pool_window_start, OLD.pool_window_end, OLD.allow_config_overrun) THEN
		NEW.config_version := OLD.config_version + 1;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER resellers_config_version BEFORE UPDATE ON "resellers" FOR EACH ROW EXECUTE FUNCTION bump_reseller_config_version();

-- …with his node allocations and their prices…
CREATE FUNCTION bump_reseller_on_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "resellers" SET "config_version" = "config_version" + 1
	WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD.reseller_id ELSE NEW.reseller_id END;
	IF TG_OP = 'UPDATE' AND OLD.reseller_id <> NEW.reseller_id THEN
		UPDATE "resellers" SET "config_version" = "config_version" + 1 WHERE "id" = OLD.reseller_id;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER node_allocations_config_version AFTER INSERT OR UPDATE OR DELETE ON "node_allocations" FOR EACH ROW EXECUTE FUNCTION bump_reseller_on_allocation();

-- …and with the soft delete (or restore) of any node allocated to him.
CREATE FUNCTION bump_resellers_on_node_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
		UPDATE "resellers" SET "config_version" = "config_version" + 1
		WHERE "id" IN (SELECT "reseller_id" FROM "node_allocations" WHERE "node_id" = NEW.id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER nodes_config_version AFTER UPDATE OF "deleted_at" ON "nodes" FOR EACH ROW EXECUTE FUNCTION bump_resellers_on_node_delete();
