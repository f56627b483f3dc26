-- The panel's last-online time per sub-account (issue 15: the reseller's online dot). Written by
-- the usage sync only when it changed, so an idle customer costs no row write per sync round.
ALTER TABLE "sub_accounts" ADD COLUMN "online_at" TIMESTAMPTZ(3);
