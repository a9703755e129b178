// The seller's refund behind the REST API: a SUCCEEDED purchase gets a refund command appended and waits to
// be REFUNDED; anything else is answered from what is stored, without appending anything.
import type { ClientSlots } from '../client-slots';
import { purchaseCreatedMessageSchema, purchaseCreatedSchemaVersion, type PurchaseResult } from '../contract';
import { findPurchaseRequest, findPurchaseResults, listSales } from '../db/purchase-store';
import type { BatchingProducer } from '../kafka/batching-producer';
import { encodeMessage } from '../kafka/messages';
import { appendAndWait } from './append-and-wait';
import type { ResultWaiters } from './waiters';

export type RefundOutcome =
  | { kind: 'refunded'; result: PurchaseResult }
  // Appended, not applied within the wait.
  | { kind: 'pending'; purchaseId: string }
  // No purchase and no purchase request with this id: nothing was appended.
  | { kind: 'unknown' }
  // A FAILED purchase, or one not decided yet: nothing to refund, nothing was appended.
  | { kind: 'not-refundable'; status: 'FAILED' | 'PENDING' };

export type RefundService = {
  refund(purchaseId: string, waitMs: number, client: string): Promise<RefundOutcome>;
  sales(limit: number): Promise<PurchaseResult[]>;
};

const isRefunded = (result: PurchaseResult) => result.status === 'REFUNDED';

export function createRefundService(producer: BatchingProducer, waiters: ResultWaiters, waiterSlots: ClientSlots): RefundService {
  async function stored(purchaseId: string): Promise<PurchaseResult | undefined> {
    return (await findPurchaseResults([purchaseId]))[0];
  }

  async function refund(purchaseId: string, waitMs: number, client: string): Promise<RefundOutcome> {
    const current = await stored(purchaseId);
    if (!current) return (await findPurchaseRequest(purchaseId)) ? { kind: 'not-refundable', status: 'PENDING' } : { kind: 'unknown' };
    switch (current.status) {
      case 'FAILED':
        return { kind: 'not-refundable', status: 'FAILED' };
      case 'REFUNDED':
        return { kind: 'refunded', result: current };
      case 'SUCCEEDED':
        break;
      default: {
        const unreachable: never = current;
        throw new Error(`unknown purchase status ${JSON.stringify(unreachable)}`);
      }
    }
    const result = await appendAndWait({
      producer,
      waiterSlots,
      client,
      table: waiters.purchases,
      id: purchaseId,
      waitMs,
      accepts: isRefunded,
      record: () => ({
        key: current.itemId,
        value: encodeMessage(purchaseCreatedMessageSchema, {
          schemaVersion: purchaseCreatedSchemaVersion,
          kind: 'refund',
          purchaseId,
          itemId: current.itemId,
          requestedAt: new Date().toISOString(),
        }),
      }),
      stored: () => stored(purchaseId),
    });
    return result ? { kind: 'refunded', result } : { kind: 'pending', purchaseId };
  }

  return { refund, sales: listSales };
}
