-- Reseller statements (issue 14) read one reseller's wallet legs by time: the sum before a month's
-- start (its opening balance) and the rows inside it. The (reseller_id, account, id) index would
-- walk his whole history for each; this one reads only the month, and the opening sum in order.
CREATE INDEX "ledger_entries_reseller_id_account_created_at_idx" ON "ledger_entries"("reseller_id", "account", "created_at");
