-- CreateTable
CREATE TABLE "baseline_items" (
    "item_id" TEXT NOT NULL,
    "available" INTEGER NOT NULL,

    CONSTRAINT "baseline_items_pkey" PRIMARY KEY ("item_id")
);

-- CreateTable
CREATE TABLE "baseline_purchases" (
    "purchase_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "purchase_status" NOT NULL,
    "remaining" INTEGER NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baseline_purchases_pkey" PRIMARY KEY ("purchase_id")
);
