// A decided purchase as the system keeps it, and the one way it becomes a bps-purchase-finished message:
// the worker, the relay's re-sends and the API all build results here, so repeated results are identical.
import type { PurchaseDecided } from '../domain/purchase';
import { schemaVersion, type PurchaseFinishedMessage } from '../contract';

// A decided purchase as stored: the decision plus where and when it was made.
export type StoredPurchase = {
  decision: PurchaseDecided;
  createdAt: string;
  decidedAt: string;
  resultMessage: string;
  sourcePartition: number;
  sourceOffset: bigint;
};

export function finishedMessage(stored: StoredPurchase): PurchaseFinishedMessage {
  const { decision } = stored;
  const fields = {
    schemaVersion,
    purchaseId: decision.purchaseId,
    itemId: decision.itemId,
    quantity: decision.quantity,
    purchasedBy: decision.purchasedBy,
    remaining: decision.remaining,
    resultMessage: stored.resultMessage,
    createdAt: stored.createdAt,
    decidedAt: stored.decidedAt,
  };
  return decision.type === 'PurchaseSucceeded'
    ? { ...fields, status: 'SUCCEEDED', reason: null }
    : { ...fields, status: 'FAILED', reason: decision.reason };
}


// A decided restockId, stored with the batch so that the same restockId later changes nothing.
export type StoredRestock = {
  restockId: string;
  itemId: string;
  quantity: number;
  applied: boolean;
  decidedAt: string;
  sourcePartition: number;
  sourceOffset: bigint;
};
