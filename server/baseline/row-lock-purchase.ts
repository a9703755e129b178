// The benchmark's baseline, NOT a product path: a purchase done the traditional way, deciding under a row
// lock with a conditional UPDATE in one transaction per purchase. Buyers of one item queue on that lock,
// which is what the event pipeline avoids; the benchmark measures both behind the same HTTP layer.
import type { BaselineResult } from '../contract';
import { getPrisma } from '../db/client';

export async function baselinePurchase(purchaseId: string, itemId: string, quantity: number): Promise<BaselineResult> {
  return getPrisma().$transaction(async (transaction) => {
    const recorded = await transaction.$queryRaw<{ purchase_id: string }[]>`
      INSERT INTO baseline_purchases (purchase_id, item_id, quantity, status, remaining)
      VALUES (${purchaseId}, ${itemId}, ${quantity}, 'FAILED', 0)
      ON CONFLICT (purchase_id) DO NOTHING RETURNING purchase_id`;
    if (recorded.length === 0) {
      const [existing] = await transaction.$queryRaw<{ status: 'SUCCEEDED' | 'FAILED'; remaining: number }[]>`
        SELECT status::text AS status, remaining FROM baseline_purchases WHERE purchase_id = ${purchaseId}`;
      if (!existing) throw new Error(`baseline purchase ${purchaseId} vanished`);
      return { purchaseId, ...existing };
    }
    // The row lock taken here is held until COMMIT: concurrent buyers of this item wait for it.
    const [updated] = await transaction.$queryRaw<{ available: number }[]>`
      UPDATE baseline_items SET available = available - ${quantity}
      WHERE item_id = ${itemId} AND available >= ${quantity} RETURNING available`;
    const status = updated ? 'SUCCEEDED' : 'FAILED';
    const remaining = updated?.available ?? (await transaction.$queryRaw<{ available: number }[]>`
      SELECT available FROM baseline_items WHERE item_id = ${itemId}`)[0]?.available ?? 0;
    await transaction.$executeRaw`
      UPDATE baseline_purchases SET status = ${status}::purchase_status, remaining = ${remaining} WHERE purchase_id = ${purchaseId}`;
    return { purchaseId, status, remaining };
  });
}
