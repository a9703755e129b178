-- AlterTable
ALTER TABLE "items" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;
