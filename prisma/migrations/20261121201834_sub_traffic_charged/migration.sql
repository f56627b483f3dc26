-- AlterTable
ALTER TABLE "sub_accounts" ADD COLUMN     "traffic_charged" BIGINT NOT NULL DEFAULT 0;
