-- Issue 16, decision 037. A usage round rewrites every moving account's row in customers,
-- sub_accounts and usage_daily, and at the default thresholds that alone starts an autovacuum and
-- an autoanalyze of each of the three tables after every round: at 200k customers ~0.5 s of
-- vacuum and ~0.7 s of analyze per round, about a fifth of Postgres's CPU for the round.
--
-- Vacuum. Almost every usage update is HOT (decisions 028, 034), and the next visit to the page
-- prunes the old version and subtracts it from n_dead_tup (measured: three full rounds in a row
-- leave n_dead_tup at 1.0 × the table, not 3 ×). So n_dead_tup after a round is the round's own
-- prunable versions (up to 1 × the table) plus the garbage only vacuum reclaims (non-HOT versions,
-- deleted rows). 1.2 asks for vacuum once that garbage reaches a fifth of the table on top of a
-- full round — the default's 0.2 applied to what vacuum is needed for. Index entries of non-HOT
-- versions are also removed by b-tree bottom-up deletion (PG 14+) as they churn; freezing is
-- still forced by autovacuum_freeze_max_age, and the insert threshold still vacuums each new day
-- of usage_daily (visibility map, freeze), so no table goes unvacuumed.
--
-- Analyze. A round modifies every moving row and so used to re-analyze each table every round,
-- though it only moves usage columns that no plan depends on. At 5 × the table's rows the
-- statistics are at most a few full rounds old (minutes), far fresher than the columns plans use
-- (status, reseller, expiry, a usage day) change.
ALTER TABLE "customers" SET (autovacuum_vacuum_scale_factor = 1.2, autovacuum_analyze_scale_factor = 5);
ALTER TABLE "sub_accounts" SET (autovacuum_vacuum_scale_factor = 1.2, autovacuum_analyze_scale_factor = 5);
ALTER TABLE "usage_daily" SET (autovacuum_vacuum_scale_factor = 1.2, autovacuum_analyze_scale_factor = 5);
