-- AlterTable
ALTER TABLE "outbox_positions" ADD COLUMN     "pruned_up_to" BIGINT NOT NULL DEFAULT 0;
