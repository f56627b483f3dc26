-- Usage per node per half hour (issue 15: the admin dashboard's last 24 hours, hourly in Tehran).
CREATE TABLE "usage_half_hours" (
    "node_id" INTEGER NOT NULL,
    "slot" TIMESTAMPTZ(0) NOT NULL,
    "bytes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_half_hours_pkey" PRIMARY KEY ("node_id","slot")
);

CREATE INDEX "usage_half_hours_slot_idx" ON "usage_half_hours"("slot");

ALTER TABLE "usage_half_hours" ADD CONSTRAINT "usage_half_hours_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
