-- AlterTable
ALTER TABLE "restock_requests" ADD COLUMN     "unit_price" INTEGER;
