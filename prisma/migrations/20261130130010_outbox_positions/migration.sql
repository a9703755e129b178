-- CreateTable
CREATE TABLE "outbox_positions" (
    "partition" INTEGER NOT NULL,
    "sent_up_to" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbox_positions_pkey" PRIMARY KEY ("partition")
);

-- Written by hand: carry the relay's progress over from sent_at before the column goes. The relay publishes a
-- partition's rows in id order, so everything below its first unsent row was sent.
INSERT INTO "outbox_positions" ("partition", "sent_up_to", "updated_at")
SELECT "partition", COALESCE(MIN("id") FILTER (WHERE "sent_at" IS NULL) - 1, MAX("id")), now()
FROM "outbox" GROUP BY "partition";

-- DropIndex
DROP INDEX "outbox_partition_sent_at_id_idx";

-- AlterTable
ALTER TABLE "outbox" DROP COLUMN "sent_at";
