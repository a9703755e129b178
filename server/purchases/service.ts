// The purchase and restock use cases behind the REST API: record the request, append the event, and
// (for blocking calls) wait for the worker's decision. A 2xx is only ever given for an appended event.
import { randomUUID } from 'node:crypto';
import {
  itemsAddedMessageSchema,
  purchaseCreatedMessageSchema,
  schemaVersion,
  type PurchaseBody,
  type PurchaseResult,
  type RestockAccepted,
  type RestockBody,
} from '../contract';
import { findPurchaseResults, forgetPurchaseRequest, insertPurchaseRequests, type IntakeRow, type PurchaseRequestRow } from '../db/purchase-store';
import type { BatchingProducer } from '../kafka/batching-producer';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { MicroBatcher } from '../micro-batcher';
import type { PurchaseWaiters } from './waiters';

// A dependency's outage is not an outcome but a DependencyUnavailableError from the adapters (the route
// wrapper answers 503); these are the answers a client can act on.
export type PurchaseOutcome =
  | { kind: 'finished'; result: PurchaseResult }
  | { kind: 'pending'; purchaseId: string }
  | { kind: 'conflict'; purchaseId: string; stored: PurchaseRequestRow };

export type PurchaseService = {
  purchase(input: PurchaseBody, waitMs: number): Promise<PurchaseOutcome>;
  restock(input: RestockBody): Promise<RestockAccepted>;
};

function sameRequest(a: PurchaseRequestRow, b: PurchaseRequestRow): boolean {
  return a.itemId === b.itemId && a.quantity === b.quantity && a.purchasedBy === b.purchasedBy;
}

// Requests that arrive together are recorded with one statement; the same purchaseId twice in one batch
// is recorded once and both callers get the same row back.
async function recordRequests(requests: PurchaseRequestRow[]): Promise<IntakeRow[]> {
  const firstOfEach = new Map<string, PurchaseRequestRow>();
  for (const request of requests) if (!firstOfEach.has(request.purchaseId)) firstOfEach.set(request.purchaseId, request);
  const rows = await insertPurchaseRequests([...firstOfEach.values()]);
  return requests.map((request) => {
    const row = rows.get(request.purchaseId);
    // insertPurchaseRequests answers every purchaseId it was given.
    if (!row) throw new Error(`no intake row for ${request.purchaseId}`);
    return row;
  });
}

export function createPurchaseService(producer: BatchingProducer, waiters: PurchaseWaiters): PurchaseService {
  const intake = new MicroBatcher(recordRequests, { lingerMs: limits.intakeLingerMs, batchSizeMax: limits.intakeBatchSizeMax });

  async function purchase(input: PurchaseBody, waitMs: number): Promise<PurchaseOutcome> {
    const request: PurchaseRequestRow = {
      purchaseId: input.purchaseId ?? randomUUID(),
      itemId: input.itemId,
      quantity: input.quantity,
      purchasedBy: input.purchasedBy,
      createdAt: new Date().toISOString(),
    };
    // Waiting starts before the event is appended: the decision can arrive before the append's acknowledgement.
    const wait = waitMs > 0 ? waiters.wait(request.purchaseId, waitMs) : undefined;
    try {
      const recorded: IntakeRow = await intake.submit(request);
      if (!sameRequest(recorded.stored, request)) return { kind: 'conflict', purchaseId: request.purchaseId, stored: recorded.stored };
      if (recorded.result) return { kind: 'finished', result: recorded.result };
      try {
        // Appended again for a repeated request too: if its first append failed, this one carries it;
        // if not, the worker recognises the purchaseId and repeats the original result.
        await producer.send(topics.purchaseCreated, {
          key: request.itemId,
          value: encodeMessage(purchaseCreatedMessageSchema, { schemaVersion, ...recorded.stored }),
        });
      } catch (error) {
        // Nothing was promised: the client gets an error and may retry with the same purchaseId.
        if (recorded.inserted) await forgetPurchaseRequest(request.purchaseId).catch(() => undefined);
        throw error;
      }
      if (!wait) return { kind: 'pending', purchaseId: request.purchaseId };
      const result = (await wait.result) ?? (await findPurchaseResults([request.purchaseId]))[0];
      return result ? { kind: 'finished', result } : { kind: 'pending', purchaseId: request.purchaseId };
    } finally {
      wait?.cancel();
    }
  }

  async function restock(input: RestockBody): Promise<RestockAccepted> {
    const itemId = input.itemId ?? `item-${randomUUID()}`;
    await producer.send(topics.itemsAdded, {
      key: itemId,
      value: encodeMessage(itemsAddedMessageSchema, {
        schemaVersion,
        itemId,
        description: input.description,
        quantity: input.quantity,
        addedAt: new Date().toISOString(),
      }),
    });
    return { itemId, quantity: input.quantity };
  }

  return { purchase, restock };
}
