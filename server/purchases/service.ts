// The purchase and restock use cases behind the REST API: record the request, append the event, and
// (for blocking calls) wait for the worker's decision. A 2xx is only ever given for an appended event.
import { randomUUID } from 'node:crypto';
import {
  itemsAddedMessageSchema,
  itemsAddedSchemaVersion,
  purchaseCreatedMessageSchema,
  purchaseCreatedSchemaVersion,
  type ItemEditBody,
  type PurchaseBody,
  type PurchaseResult,
  type RestockAccepted,
  type RestockBody,
} from '../contract';
import {
  findPurchaseResults,
  forgetPurchaseRequest,
  forgetRestockRequest,
  insertPurchaseRequests,
  insertRestockRequest,
  type IntakeRow,
  type PurchaseRequestRow,
  type RestockRequestRow,
} from '../db/purchase-store';
import { isDependencyUnavailable } from '../errors';
import type { BatchingProducer } from '../kafka/batching-producer';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import type { ClientSlots } from '../client-slots';
import { componentLogger } from '../logger';
import { purchasesAccepted } from '../metrics';
import { MicroBatcher, type BatchAnswer } from '../micro-batcher';
import type { ResultWaiters } from './waiters';

const log = componentLogger('intake');

// A dependency's outage is not an outcome but a DependencyUnavailableError from the adapters (the route
// wrapper answers 503); these are the answers a client can act on.
export type PurchaseOutcome =
  | { kind: 'finished'; result: PurchaseResult }
  | { kind: 'pending'; purchaseId: string }
  // The purchaseId is taken by another purchase or by a hold: nothing was appended.
  | { kind: 'conflict'; purchaseId: string; takenBy: 'purchase' | 'hold' }
  // The client already holds its share of blocking waiters: nothing was recorded or appended.
  | { kind: 'too-many-waiters'; waitersMax: number };

export type RestockOutcome = { kind: 'accepted'; accepted: RestockAccepted } | { kind: 'conflict'; restockId: string };

export type PurchaseService = {
  // client: the network address the request came from, for the per-client bound on blocking waiters.
  purchase(input: PurchaseBody, waitMs: number, client: string): Promise<PurchaseOutcome>;
  restock(input: RestockBody): Promise<RestockOutcome>;
  // Appends a seller's edit of the item; the worker applies it (an item never restocked is left unchanged).
  editItem(itemId: string, changes: ItemEditBody): Promise<void>;
};

function sameRequest(a: PurchaseRequestRow, b: PurchaseRequestRow): boolean {
  return a.itemId === b.itemId && a.quantity === b.quantity && a.purchasedBy === b.purchasedBy;
}

// The one way a purchase request becomes its bps-purchase-created record (version 2, kind purchase).
function purchaseRecord(request: PurchaseRequestRow) {
  const { purchaseId, itemId, quantity, purchasedBy, createdAt } = request;
  return encodeMessage(purchaseCreatedMessageSchema, { schemaVersion: purchaseCreatedSchemaVersion, kind: 'purchase', purchaseId, itemId, quantity, purchasedBy, createdAt });
}

// A body without itemId matches only a stored request whose itemId was generated: the repeat answers that id.
// The unitPrice is not compared: restock_requests does not keep it, and the worker applies a restockId once,
// so a repeat's price is never applied whatever it says.
function sameRestock(stored: RestockRequestRow, input: RestockBody): boolean {
  const sameItem = input.itemId === undefined ? stored.itemIdGenerated : !stored.itemIdGenerated && stored.itemId === input.itemId;
  return sameItem && stored.description === input.description && stored.quantity === input.quantity && stored.unitPrice === (input.unitPrice ?? null);
}

// Requests that arrive together are recorded with one statement; the same purchaseId twice in one batch
// is recorded once and both callers get the same row back. The contract keeps text Postgres cannot store
// out of a batch; should the statement fail on some row's data all the same, each row is tried alone so that
// only the guilty request fails. An outage fails every caller at once (503): alone they would fail too.
async function recordRequests(requests: PurchaseRequestRow[]): Promise<BatchAnswer<IntakeRow>[]> {
  const distinct = new Map<string, PurchaseRequestRow>();
  for (const request of requests) if (!distinct.has(request.purchaseId)) distinct.set(request.purchaseId, request);
  let answers: Map<string, BatchAnswer<IntakeRow>>;
  try {
    answers = recorded(await insertPurchaseRequests([...distinct.values()]));
  } catch (error) {
    if (isDependencyUnavailable(error) || distinct.size === 1) throw error;
    log.warn({ err: error, rows: distinct.size }, 'an intake batch failed on its data; recording its rows one by one');
    answers = await recordEachAlone([...distinct.values()]);
  }
  return requests.map((request) => {
    const answer = answers.get(request.purchaseId);
    // insertPurchaseRequests answers every purchaseId it was given, and recordEachAlone every request.
    if (!answer) throw new Error(`no intake row for ${request.purchaseId}`);
    return answer;
  });
}

// One statement per row, one after another: a failed batch means a bad row got past validation, which is
// rare, and a burst of statements as large as the batch would hold up the batches behind it. An outage met
// on the way fails the rows not yet tried without trying them.
async function recordEachAlone(requests: readonly PurchaseRequestRow[]): Promise<Map<string, BatchAnswer<IntakeRow>>> {
  const answers = new Map<string, BatchAnswer<IntakeRow>>();
  let outage: { error: unknown } | undefined;
  for (const request of requests) {
    if (outage) {
      answers.set(request.purchaseId, { ok: false, error: outage.error });
      continue;
    }
    try {
      for (const [purchaseId, answer] of recorded(await insertPurchaseRequests([request]))) answers.set(purchaseId, answer);
    } catch (error) {
      if (isDependencyUnavailable(error)) outage = { error };
      answers.set(request.purchaseId, { ok: false, error });
    }
  }
  return answers;
}

function recorded(rows: ReadonlyMap<string, IntakeRow>): Map<string, BatchAnswer<IntakeRow>> {
  return new Map([...rows].map(([purchaseId, row]) => [purchaseId, { ok: true, value: row }]));
}

// waiterSlots: the per-client bound on blocking waits (clientWaitersMax each), shared with the hold service so
// that one client's waits of every kind count against one bound.
export function createPurchaseService(producer: BatchingProducer, waiters: ResultWaiters, waiterSlots: ClientSlots, clientWaitersMax: number): PurchaseService {
  const intake = new MicroBatcher(recordRequests, { lingerMs: limits.intakeLingerMs, batchSizeMax: limits.intakeBatchSizeMax });

  async function purchase(input: PurchaseBody, waitMs: number, client: string): Promise<PurchaseOutcome> {
    if (waitMs <= 0) return record(input, 0);
    const release = waiterSlots.take(client);
    if (!release) return { kind: 'too-many-waiters', waitersMax: clientWaitersMax };
    try {
      return await record(input, waitMs);
    } finally {
      release();
    }
  }

  async function record(input: PurchaseBody, waitMs: number): Promise<PurchaseOutcome> {
    const request: PurchaseRequestRow = {
      purchaseId: input.purchaseId ?? randomUUID(),
      itemId: input.itemId,
      quantity: input.quantity,
      purchasedBy: input.purchasedBy,
      createdAt: new Date().toISOString(),
    };
    // Waiting starts before the event is appended: the decision can arrive before the append's acknowledgement.
    const wait = waitMs > 0 ? waiters.purchases.wait(request.purchaseId, waitMs) : undefined;
    try {
      const recorded: IntakeRow = await intake.submit(request);
      if (recorded.stored.kind === 'HOLD') return { kind: 'conflict', purchaseId: request.purchaseId, takenBy: 'hold' };
      if (!sameRequest(recorded.stored, request)) return { kind: 'conflict', purchaseId: request.purchaseId, takenBy: 'purchase' };
      if (recorded.result) return { kind: 'finished', result: recorded.result };
      try {
        // Appended again for a repeated request too: if its first append failed, this one carries it;
        // if not, the worker recognises the purchaseId and repeats the original result.
        await producer.send(topics.purchaseCreated, { key: request.itemId, value: purchaseRecord(recorded.stored) });
      } catch (error) {
        // Nothing was promised: the client gets an error and may retry with the same purchaseId.
        if (recorded.inserted) await forgetPurchaseRequest(request.purchaseId).catch(() => undefined);
        throw error;
      }
      purchasesAccepted.inc();
      if (!wait) return { kind: 'pending', purchaseId: request.purchaseId };
      const result = (await wait.result) ?? (await findPurchaseResults([request.purchaseId]))[0];
      return result ? { kind: 'finished', result } : { kind: 'pending', purchaseId: request.purchaseId };
    } finally {
      wait?.cancel();
    }
  }

  // Without a restockId every request is a new restock, as before. With one, the request is recorded first:
  // a repeat with the same body is appended again (the first append may have failed; if not, the worker
  // recognises the restockId and changes nothing) and answers as the first did.
  async function restock(input: RestockBody): Promise<RestockOutcome> {
    const addedAt = new Date().toISOString();
    const generated = { itemId: input.itemId ?? `item-${randomUUID()}`, itemIdGenerated: input.itemId === undefined };
    if (input.restockId === undefined) {
      await appendRestock({ ...input, itemId: generated.itemId }, addedAt);
      return { kind: 'accepted', accepted: { itemId: generated.itemId, quantity: input.quantity } };
    }
    const recorded = await insertRestockRequest({
      restockId: input.restockId,
      ...generated,
      description: input.description,
      quantity: input.quantity,
      unitPrice: input.unitPrice ?? null,
      createdAt: addedAt,
    });
    if (!sameRestock(recorded.stored, input)) return { kind: 'conflict', restockId: input.restockId };
    const { itemId } = recorded.stored;
    try {
      await appendRestock({ ...input, restockId: input.restockId, itemId }, addedAt);
    } catch (error) {
      // Nothing was promised: the client gets an error and may retry, with this body or another.
      if (recorded.inserted) await forgetRestockRequest(input.restockId).catch(() => undefined);
      throw error;
    }
    return { kind: 'accepted', accepted: { itemId, quantity: input.quantity } };
  }

  async function appendRestock(restock: RestockBody & { itemId: string }, addedAt: string): Promise<void> {
    await producer.send(topics.itemsAdded, {
      key: restock.itemId,
      value: encodeMessage(itemsAddedMessageSchema, {
        schemaVersion: itemsAddedSchemaVersion,
        kind: 'restock',
        ...(restock.restockId === undefined ? {} : { restockId: restock.restockId }),
        ...(restock.unitPrice === undefined ? {} : { unitPrice: restock.unitPrice }),
        itemId: restock.itemId,
        description: restock.description,
        quantity: restock.quantity,
        addedAt,
      }),
    });
  }

  // Keyed by the item like its restocks and purchases, so its partition owner applies it in log order with them.
  async function editItem(itemId: string, changes: ItemEditBody): Promise<void> {
    await producer.send(topics.itemsAdded, {
      key: itemId,
      value: encodeMessage(itemsAddedMessageSchema, { schemaVersion: itemsAddedSchemaVersion, kind: 'edit', itemId, changes, requestedAt: new Date().toISOString() }),
    });
  }

  return { purchase, restock, editItem };
}
