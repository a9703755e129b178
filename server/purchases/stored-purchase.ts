// Decided purchases and holds as the system keeps them, and the one way each becomes a bps-purchase-finished
// message: the worker, the relay's re-sends and the API all build results here, so repeated results are identical.
import { describeHold, type Hold, type PurchaseDecided } from '../domain/purchase';
import { holdFinishedMessage, purchaseFinishedMessage, type HoldResult, type PurchaseFinishedMessage, type PurchaseResult } from '../contract';

// A decided purchase as stored: the decision plus where and when it was made, and when it was refunded if it was.
export type StoredPurchase = {
  decision: PurchaseDecided;
  createdAt: string;
  decidedAt: string;
  resultMessage: string;
  sourcePartition: number;
  sourceOffset: bigint;
  refundedAt?: string;
};

export function purchaseResultOf(stored: StoredPurchase): PurchaseResult {
  const { decision } = stored;
  const fields = {
    purchaseId: decision.purchaseId,
    itemId: decision.itemId,
    quantity: decision.quantity,
    purchasedBy: decision.purchasedBy,
    remaining: decision.remaining,
    // As decided: the price then, whatever the item's price is now.
    unitPrice: decision.unitPrice,
    total: decision.total,
    resultMessage: stored.resultMessage,
    createdAt: stored.createdAt,
    decidedAt: stored.decidedAt,
  };
  if (decision.type === 'PurchaseFailed') return { ...fields, status: 'FAILED', reason: decision.reason };
  if (stored.refundedAt !== undefined) return { ...fields, status: 'REFUNDED', reason: null, refundedAt: stored.refundedAt };
  return { ...fields, status: 'SUCCEEDED', reason: null };
}

export function finishedMessage(stored: StoredPurchase): PurchaseFinishedMessage {
  return purchaseFinishedMessage(purchaseResultOf(stored));
}

// A decided hold as stored: its latest state, the item's available units right after that decision, when it
// was requested, first decided and last changed, and where its hold command is in bps-purchase-created.
export type StoredHold = {
  hold: Hold;
  remaining: number;
  resultMessage: string;
  createdAt: string;
  decidedAt: string;
  updatedAt: string;
  sourcePartition: number;
  sourceOffset: bigint;
};

// The result names the latest change: decidedAt is when the hold reached the state it shows.
export function holdResultOf(stored: StoredHold): HoldResult {
  const { hold } = stored;
  return {
    holdId: hold.holdId,
    itemId: hold.itemId,
    quantity: hold.quantity,
    heldBy: hold.heldBy,
    status: hold.status,
    reason: hold.reason,
    remaining: stored.remaining,
    createdAt: stored.createdAt,
    expiresAt: hold.expiresAt,
    unitPrice: hold.unitPrice,
    decidedAt: stored.updatedAt,
    resultMessage: stored.resultMessage,
  };
}

export function holdMessage(stored: StoredHold): PurchaseFinishedMessage {
  return holdFinishedMessage(holdResultOf(stored));
}

// A hold's new state, stored: its first decision keeps the request's partition and offset, a change keeps
// them from the stored hold (the owner of that partition expires it) and moves only updatedAt.
export function storedHoldAfter(hold: Hold, remaining: number, decidedAt: string, first: { createdAt: string; sourcePartition: number; sourceOffset: bigint; decidedAt?: string }): StoredHold {
  return {
    hold,
    remaining,
    resultMessage: describeHold(hold, remaining),
    createdAt: first.createdAt,
    decidedAt: first.decidedAt ?? decidedAt,
    updatedAt: decidedAt,
    sourcePartition: first.sourcePartition,
    sourceOffset: first.sourceOffset,
  };
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
