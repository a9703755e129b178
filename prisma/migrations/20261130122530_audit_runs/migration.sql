-- CreateEnum
CREATE TYPE "audit_run_kind" AS ENUM ('INCREMENTAL', 'FULL');

-- CreateEnum
CREATE TYPE "audit_run_status" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "audit_runs" (
    "id" BIGSERIAL NOT NULL,
    "kind" "audit_run_kind" NOT NULL,
    "status" "audit_run_status" NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "messages_read" INTEGER,
    "messages_total" INTEGER,
    "report" JSONB,
    "error" TEXT,

    CONSTRAINT "audit_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_runs_kind_status_id_idx" ON "audit_runs"("kind", "status", "id");

-- CreateIndex
CREATE INDEX "audit_runs_finished_at_idx" ON "audit_runs"("finished_at");
