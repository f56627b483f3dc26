-- Every usage round rewrites the moving accounts' rows in sub_accounts, customers and usage_daily.
-- None of the columns it writes is indexed, so each update can be HOT (same page, no index entry:
-- for customers that spares two trigram GIN indexes and five b-trees) — but only if the page has
-- room. At the default fillfactor 100 a freshly loaded page has none, and the 1M bench measured
-- 32–48 % HOT updates and 1.8 KB of WAL per moving account. Free space per page fixes that for every
-- page written from now on; existing pages gain it as rows move, or at once with VACUUM FULL /
-- pg_repack in a maintenance window (docs/scaling.md). Decision 028.
ALTER TABLE "customers" SET (fillfactor = 80);
ALTER TABLE "sub_accounts" SET (fillfactor = 70);
ALTER TABLE "usage_daily" SET (fillfactor = 70);
