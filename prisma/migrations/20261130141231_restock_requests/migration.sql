-- CreateTable
CREATE TABLE "restock_requests" (
    "restock_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "item_id_generated" BOOLEAN NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "restock_requests_pkey" PRIMARY KEY ("restock_id")
);

-- CreateTable
CREATE TABLE "restocks" (
    "restock_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "applied" BOOLEAN NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "source_partition" INTEGER NOT NULL,
    "source_offset" BIGINT NOT NULL,

    CONSTRAINT "restocks_pkey" PRIMARY KEY ("restock_id")
);
