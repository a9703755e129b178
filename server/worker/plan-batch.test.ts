// Goal: one partition batch becomes the right writes: stock of touched items, new decisions with their
// source offsets, results to publish (a repeated purchaseId re-publishes its original, identical result),
// and records already applied (below the stored offset) are left out.
import { describe, expect, it } from 'vitest';
import { itemsAddedMessageSchema, itemsAddedSchemaVersion, purchaseCreatedMessageSchema, schemaVersion } from '../contract';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import type { StoredPurchase } from '../purchases/stored-purchase';
import { decodeInputBatch } from './decode-batch';
import { planBatch, skipAppliedRecords, type LoadedState } from './plan-batch';

const createdAt = '2026-11-26T10:00:00.000Z';
const decidedAt = '2026-11-26T10:00:01.000Z';
const empty: LoadedState = { items: new Map(), purchases: new Map(), restocks: new Set() };
const purchaseMessage = (purchaseId: string, itemId: string, quantity: number) => ({
  schemaVersion,
  purchaseId,
  itemId,
  quantity,
  purchasedBy: 'ann',
  createdAt,
});

function purchaseBatch(offsetFirst: number, ...messages: Buffer[]) {
  return decodeInputBatch({
    topic: topics.purchaseCreated,
    partition: 2,
    messages: messages.map((value, index) => ({ key: null, value, offset: String(offsetFirst + index), timestamp: '0', attributes: 0, headers: {} })),
  });
}

describe('planBatch', () => {
  it('adds restocks and writes only the touched items', () => {
    const decoded = decodeInputBatch({
      topic: topics.itemsAdded,
      partition: 0,
      messages: [3, 2].map((quantity, index) => ({
        key: null,
        value: encodeMessage(itemsAddedMessageSchema, { schemaVersion, itemId: 'dune', description: `Dune ${index}`, quantity, addedAt: createdAt }),
        offset: String(index),
        timestamp: '0',
        attributes: 0,
        headers: {},
      })),
    });
    const plan = planBatch(decoded.input, empty, decidedAt);
    expect(plan.items).toEqual([{ itemId: 'dune', description: 'Dune 1', restocked: 5, sold: 0, available: 5 }]);
    expect(plan.results).toEqual([]);
    expect(plan.newPurchases).toEqual([]);
  });

  it('decodes version 1 and 2 restocks, stores each new restockId once and repeats nothing for one decided before', () => {
    const message = (restockId: string | undefined) =>
      restockId === undefined
        ? encodeMessage(itemsAddedMessageSchema, { schemaVersion: 1, itemId: 'dune', description: 'Dune', quantity: 3, addedAt: createdAt })
        : encodeMessage(itemsAddedMessageSchema, { schemaVersion: itemsAddedSchemaVersion, restockId, itemId: 'dune', description: 'Dune', quantity: 3, addedAt: createdAt });
    const decoded = decodeInputBatch({
      topic: topics.itemsAdded,
      partition: 1,
      messages: [undefined, 'r-old', 'r-new', 'r-new', undefined].map((restockId, index) => ({
        key: null,
        value: message(restockId),
        offset: String(20 + index),
        timestamp: '0',
        attributes: 0,
        headers: {},
      })),
    });
    expect(decoded.malformed).toEqual([]);
    expect(decoded.restockIds).toEqual(['r-old', 'r-new']);

    const plan = planBatch(decoded.input, { ...empty, restocks: new Set(['r-old']) }, decidedAt);

    expect(plan.items).toEqual([{ itemId: 'dune', description: 'Dune', restocked: 9, sold: 0, available: 9 }]);
    expect(plan.newRestocks).toEqual([
      { restockId: 'r-new', itemId: 'dune', quantity: 3, applied: true, decidedAt, sourcePartition: 1, sourceOffset: 22n },
    ]);
    expect(plan.repeatedRestocks).toBe(2);
  });

  it('decides purchases in order, records their offsets, and repeats a duplicate identically', () => {
    const loaded: LoadedState = { items: new Map([['dune', { itemId: 'dune', description: 'Dune', restocked: 2, sold: 0, available: 2 }]]), purchases: new Map(), restocks: new Set() };
    const decoded = purchaseBatch(
      10,
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 2)),
      Buffer.from('garbage'),
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p2', 'dune', 1)),
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 2)),
    );
    expect(decoded.malformed).toEqual([{ offset: 11n, reason: 'malformed: not JSON', value: Buffer.from('garbage'), key: null }]);
    expect(decoded.purchaseIds).toEqual(['p1', 'p2']);
    const plan = planBatch(decoded.input, loaded, decidedAt);
    expect(plan.newPurchases.map((stored) => [stored.decision.purchaseId, stored.decision.type, stored.sourceOffset])).toEqual([
      ['p1', 'PurchaseSucceeded', 10n],
      ['p2', 'PurchaseFailed', 12n],
    ]);
    expect(plan.results.map((result) => [result.purchaseId, result.status, result.reason, result.remaining])).toEqual([
      ['p1', 'SUCCEEDED', null, 0],
      ['p2', 'FAILED', 'OUT_OF_STOCK', 0],
      ['p1', 'SUCCEEDED', null, 0],
    ]);
    expect(plan.results[2]).toEqual(plan.results[0]);
    expect(plan.items).toEqual([{ itemId: 'dune', description: 'Dune', restocked: 2, sold: 2, available: 0 }]);
  });

  it('repeats a purchase decided in an earlier batch exactly as it was stored', () => {
    const original: StoredPurchase = {
      decision: { type: 'PurchaseSucceeded', purchaseId: 'p1', itemId: 'dune', quantity: 1, purchasedBy: 'ann', remaining: 4 },
      createdAt,
      decidedAt: '2026-11-26T09:00:00.000Z',
      resultMessage: 'ann bought 1 × dune; 4 left.',
      sourcePartition: 2,
      sourceOffset: 3n,
    };
    const loaded: LoadedState = { items: new Map([['dune', { itemId: 'dune', description: 'Dune', restocked: 5, sold: 1, available: 4 }]]), purchases: new Map([['p1', original]]), restocks: new Set() };
    const plan = planBatch(purchaseBatch(20, encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 1))).input, loaded, decidedAt);
    expect(plan.newPurchases).toEqual([]);
    expect(plan.items).toEqual([]);
    expect(plan.results).toEqual([{ schemaVersion, purchaseId: 'p1', itemId: 'dune', quantity: 1, purchasedBy: 'ann', remaining: 4, resultMessage: original.resultMessage, createdAt, decidedAt: original.decidedAt, status: 'SUCCEEDED', reason: null }]);
  });

  it('leaves out records below the stored offset: a redelivered batch changes nothing it already changed', () => {
    const loaded: LoadedState = { items: new Map([['dune', { itemId: 'dune', description: 'Dune', restocked: 5, sold: 0, available: 5 }]]), purchases: new Map(), restocks: new Set() };
    const decoded = purchaseBatch(
      30,
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 1)),
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p2', 'dune', 1)),
    );
    const plan = planBatch(skipAppliedRecords(decoded.input, 31n), loaded, decidedAt);
    expect(plan.newPurchases.map((stored) => stored.decision.purchaseId)).toEqual(['p2']);
    expect(planBatch(skipAppliedRecords(decoded.input, 32n), loaded, decidedAt)).toEqual({ items: [], newPurchases: [], results: [], rejectedRestocks: [], newRestocks: [], repeatedRestocks: 0 });
  });
});

describe('skipAppliedRecords', () => {
  const decoded = purchaseBatch(
    40,
    encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 1)),
    Buffer.from('garbage'),
    encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p2', 'dune', 1)),
  );
  const offsetsOf = (storedOffset: bigint | undefined) =>
    skipAppliedRecords(decoded.input, storedOffset).records.map((record) => record.offset);

  it('keeps every record when nothing was applied yet', () => {
    expect(offsetsOf(undefined)).toEqual([40n, 42n]);
  });

  it('keeps the records at and after the stored offset, even when it points at a skipped malformed message', () => {
    expect(offsetsOf(40n)).toEqual([40n, 42n]);
    expect(offsetsOf(41n)).toEqual([42n]);
    expect(offsetsOf(42n)).toEqual([42n]);
  });

  it('keeps nothing of a batch applied in full, and keeps its kind and partition', () => {
    expect(skipAppliedRecords(decoded.input, 43n)).toEqual({ kind: 'purchases', partition: 2, records: [] });
  });
});
