-- AlterEnum
ALTER TYPE "failure_reason" ADD VALUE 'ITEM_ARCHIVED';

-- AlterTable
ALTER TABLE "holds" ADD COLUMN     "unit_price" INTEGER;

-- AlterTable
ALTER TABLE "items" ADD COLUMN     "archived" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "low_stock_threshold" INTEGER,
ADD COLUMN     "unit_price" INTEGER;

-- AlterTable
ALTER TABLE "purchases" ADD COLUMN     "total" BIGINT,
ADD COLUMN     "unit_price" INTEGER;
