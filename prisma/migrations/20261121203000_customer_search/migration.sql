-- Trigram search for the customer list (username / note "contains"), fast at 100k rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "customers_username_trgm" ON "customers" USING GIN ("username" gin_trgm_ops);
CREATE INDEX "customers_note_trgm" ON "customers" USING GIN ("note" gin_trgm_ops);
