-- CreateIndex
CREATE INDEX "outbox_partition_id_idx" ON "outbox"("partition", "id");

-- CreateIndex
CREATE INDEX "purchases_decided_at_idx" ON "purchases"("decided_at");
