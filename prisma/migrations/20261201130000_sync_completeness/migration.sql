-- Issue 10: a usage round reads individually the live sub-accounts its bulk walk did not return
-- (deletions shift offsets, and MySQL panels may order tied sort keys differently per page). How
-- many, and how many of those the panel no longer had, are kept per node for the jobs console.
-- (No semicolon in these comments: the WebAssembly schema engine splits the script on every one.)
ALTER TABLE "nodes" ADD COLUMN "last_sync_fetched" INTEGER, ADD COLUMN "last_sync_missing" INTEGER;
