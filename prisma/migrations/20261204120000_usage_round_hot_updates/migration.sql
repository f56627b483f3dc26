-- Issue 16, decision 034. A usage batch updates up to 1,000 rows of each of customers,
-- sub_accounts and usage_daily in ONE transaction, and rows written together (a node's customers,
-- one day's usage rows) lie together: a batch rewrites every row of the pages it touches. A HOT
-- update needs room on the row's own page, and the versions a transaction replaces cannot be
-- pruned before it commits, so each page must hold a second version of every row at once. At
-- fillfactor 80 / 70 (decision 028) only a quarter / two fifths of a page's rows fit: the 200k
-- bench measured 60 % / 65 % / 46 % HOT, and a non-HOT customers update inserts into ten indexes
-- (two trigram GINs among them) — 31 of the write statement's 52 ms per batch. At 50 every row
-- has room for its next version; the old one is pruned on the page's next visit after commit.
-- Only new pages get the room; existing installs: VACUUM FULL (or pg_repack) in a window.
ALTER TABLE "customers" SET (fillfactor = 50);
ALTER TABLE "sub_accounts" SET (fillfactor = 50);
ALTER TABLE "usage_daily" SET (fillfactor = 50);

-- The version trigger (20261201100000) ran its plpgsql function for every customer row a batch
-- updates, to find that nothing it watches had changed. The same test as the trigger's WHEN is
-- evaluated without calling a function; the function keeps its own test for any other caller.
DROP TRIGGER customers_version ON "customers";
CREATE TRIGGER customers_version BEFORE UPDATE ON "customers" FOR EACH ROW
    WHEN ((NEW.status, NEW.disabled_reason, NEW.data_limit_bytes, NEW.expire_at, NEW.reseller_id)
        IS DISTINCT FROM (OLD.status, OLD.disabled_reason, OLD.data_limit_bytes, OLD.expire_at, OLD.reseller_id))
    EXECUTE FUNCTION bump_customer_version();
