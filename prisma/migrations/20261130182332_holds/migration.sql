-- CreateEnum
CREATE TYPE "request_kind" AS ENUM ('PURCHASE', 'HOLD');

-- CreateEnum
CREATE TYPE "hold_status" AS ENUM ('HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'FAILED');

-- AlterEnum
ALTER TYPE "purchase_status" ADD VALUE 'REFUNDED';

-- AlterTable
ALTER TABLE "items" ADD COLUMN     "held" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refunded" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "purchase_requests" ADD COLUMN     "client_address" TEXT,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "kind" "request_kind" NOT NULL DEFAULT 'PURCHASE';

-- AlterTable
ALTER TABLE "purchases" ADD COLUMN     "refunded_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "holds" (
    "hold_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "held_by" TEXT NOT NULL,
    "status" "hold_status" NOT NULL,
    "reason" "failure_reason",
    "remaining" INTEGER NOT NULL,
    "result_message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "source_partition" INTEGER NOT NULL,
    "source_offset" BIGINT NOT NULL,

    CONSTRAINT "holds_pkey" PRIMARY KEY ("hold_id")
);

-- CreateIndex
CREATE INDEX "holds_source_partition_status_expires_at_idx" ON "holds"("source_partition", "status", "expires_at");

-- CreateIndex
CREATE INDEX "holds_item_id_idx" ON "holds"("item_id");

-- CreateIndex
CREATE INDEX "purchase_requests_client_address_expires_at_idx" ON "purchase_requests"("client_address", "expires_at");

-- Written by hand: Prisma's schema cannot express a CHECK (see the comment above model Item). Holds and refunds
-- extend the stock equation: every unit is available, held, or with a buyer (sold - refunded), and no term is
-- negative nor more refunded than was sold.
-- AlterCheckConstraint
ALTER TABLE "items" DROP CONSTRAINT "items_stock_invariant";
ALTER TABLE "items" ADD CONSTRAINT "items_stock_invariant"
    CHECK ("available" >= 0 AND "sold" >= 0 AND "restocked" >= 0 AND "held" >= 0 AND "refunded" >= 0
           AND "refunded" <= "sold" AND "available" + "held" + "sold" - "refunded" = "restocked");
