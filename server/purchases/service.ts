// The purchase and restock use cases behind the REST API: record the request, append the event, and
// (for blocking calls) wait for the worker's decision. A 2xx is only ever given for an appended event.
import { randomUUID } from 'node:crypto';
import { findPurchaseResults, forgetPurchaseRequest, insertPurchaseRequests, type IntakeRow, type PurchaseRequestRow } from '../db/purchase-store';
import type { BatchingProducer } from '../kafka/batching-producer';
import { encodeMessage, itemsAddedSchema, purchaseCreatedSchema, schemaVersion, type PurchaseResult } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { componentLogger } from '../logger';
import { MicroBatcher } from '../micro-batcher';
import type { PurchaseWaiters } from './waiters';

export type PurchaseInput = { purchaseId?: string | undefined; itemId: string; quantity: number; purchasedBy: string };
export type RestockInput = { itemId?: string | undefined; description: string; quantity: number };

export type PurchaseOutcome =
  | { kind: 'finished'; result: PurchaseResult }
  | { kind: 'pending'; purchaseId: string }
  | { kind: 'conflict'; purchaseId: string; stored: PurchaseRequestRow }
  | Unavailable;

// Which dependency failed; the details go to the log, not to the client.
export type Unavailable = { kind: 'unavailable'; dependency: 'kafka' | 'database' };
export type RestockOutcome = { kind: 'accepted'; itemId: string; quantity: number } | Unavailable;

const log = componentLogger('purchases');

function unavailable(dependency: Unavailable['dependency'], error: unknown): Unavailable {
  log.warn({ err: error, dependency }, 'event not accepted');
  return { kind: 'unavailable', dependency };
}

export type PurchaseService = {
  purchase(input: PurchaseInput, waitMs: number): Promise<PurchaseOutcome>;
  restock(input: RestockInput): Promise<RestockOutcome>;
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

  async function purchase(input: PurchaseInput, waitMs: number): Promise<PurchaseOutcome> {
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
      let recorded: IntakeRow;
      try {
        recorded = await intake.submit(request);
      } catch (error) {
        return unavailable('database', error);
      }
      if (!sameRequest(recorded.stored, request)) return { kind: 'conflict', purchaseId: request.purchaseId, stored: recorded.stored };
      if (recorded.result) return { kind: 'finished', result: recorded.result };
      try {
        // Appended again for a repeated request too: if its first append failed, this one carries it;
        // if not, the worker recognises the purchaseId and repeats the original result.
        await producer.send(topics.purchaseCreated, {
          key: request.itemId,
          value: encodeMessage(purchaseCreatedSchema, { schemaVersion, ...recorded.stored }),
        });
      } catch (error) {
        if (recorded.inserted) await forgetPurchaseRequest(request.purchaseId).catch(() => undefined);
        return unavailable('kafka', error);
      }
      if (!wait) return { kind: 'pending', purchaseId: request.purchaseId };
      const result = (await wait.result) ?? (await findPurchaseResults([request.purchaseId]))[0];
      return result ? { kind: 'finished', result } : { kind: 'pending', purchaseId: request.purchaseId };
    } finally {
      wait?.cancel();
    }
  }

  async function restock(input: RestockInput): Promise<RestockOutcome> {
    const itemId = input.itemId ?? `item-${randomUUID()}`;
    try {
      await producer.send(topics.itemsAdded, {
        key: itemId,
        value: encodeMessage(itemsAddedSchema, {
          schemaVersion,
          itemId,
          description: input.description,
          quantity: input.quantity,
          addedAt: new Date().toISOString(),
        }),
      });
    } catch (error) {
      return unavailable('kafka', error);
    }
    return { kind: 'accepted', itemId, quantity: input.quantity };
  }

  return { purchase, restock };
}
