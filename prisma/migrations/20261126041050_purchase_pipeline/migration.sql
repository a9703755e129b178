-- AlterTable
ALTER TABLE "purchases" ADD COLUMN     "result_message" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "purchase_requests" (
    "purchase_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "purchased_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "purchase_requests_pkey" PRIMARY KEY ("purchase_id")
);
