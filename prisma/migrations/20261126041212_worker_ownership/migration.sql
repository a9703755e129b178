-- DropIndex
DROP INDEX "outbox_sent_at_id_idx";

-- AlterTable
ALTER TABLE "consumer_offsets" DROP COLUMN "epoch";

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "partition" INTEGER NOT NULL;

-- CreateTable
CREATE TABLE "partition_owners" (
    "partition" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "owner" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partition_owners_pkey" PRIMARY KEY ("partition")
);

-- CreateIndex
CREATE INDEX "outbox_partition_sent_at_id_idx" ON "outbox"("partition", "sent_at", "id");
