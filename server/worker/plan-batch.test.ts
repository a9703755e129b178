// Goal: one partition batch becomes the right writes: stock of touched items, new decisions with their
// source offsets, results to publish (a repeated purchaseId re-publishes its original, identical result),
// and records already applied (below the stored offset) are left out; holds, confirms, cancels, expiries and
// refunds become hold rows, purchase rows and refunds with their results in log order; restocks and seller's
// edits of one items batch are decided in log order, and prices flow into rows and results.
import { describe, expect, it } from 'vitest';
import {
  itemsAddedMessageSchema,
  itemsAddedSchemaVersion,
  purchaseCreatedMessageSchema,
  purchaseCreatedSchemaVersion,
  purchaseFinishedSchemaVersion,
  schemaVersion,
  type ItemsAddedMessage,
  type PurchaseCreatedMessage,
  toFinishedResult,
  type HoldResult,
  type PurchaseResult,
} from '../contract';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { newItem, type ItemChanges, type ItemStock } from '../domain/purchase';
import type { StoredHold, StoredPurchase } from '../purchases/stored-purchase';
import { decodeInputBatch } from './decode-batch';
import { planBatch, skipAppliedRecords, type BatchPlan, type LoadedState } from './plan-batch';

const createdAt = '2026-11-26T10:00:00.000Z';
const decidedAt = '2026-11-26T10:00:01.000Z';
// An item without a price or threshold, on sale, with the given stock.
const item = (fields: Partial<ItemStock>): ItemStock => ({ ...newItem('dune', 'Dune'), ...fields });
const noPrice = { unitPrice: null, total: null };
const empty: LoadedState = { items: new Map(), purchases: new Map(), holds: new Map(), restocks: new Set() };
const purchaseMessage = (purchaseId: string, itemId: string, quantity: number) => ({
  schemaVersion,
  purchaseId,
  itemId,
  quantity,
  purchasedBy: 'ann',
  createdAt,
});

const idOf = (result: PurchaseResult | HoldResult) => ('holdId' in result ? result.holdId : result.purchaseId);

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
    expect(plan.items).toEqual([item({ description: 'Dune 1', restocked: 5, sold: 0, available: 5, held: 0, refunded: 0 })]);
    expect(plan.results).toEqual([]);
    expect(plan.newPurchases).toEqual([]);
  });

  it('decodes version 1 and 2 restocks, stores each new restockId once and repeats nothing for one decided before', () => {
    const message = (restockId: string | undefined) =>
      restockId === undefined
        ? encodeMessage(itemsAddedMessageSchema, { schemaVersion: 1, itemId: 'dune', description: 'Dune', quantity: 3, addedAt: createdAt })
        : encodeMessage(itemsAddedMessageSchema, { schemaVersion: 2, restockId, itemId: 'dune', description: 'Dune', quantity: 3, addedAt: createdAt });
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

    expect(plan.items).toEqual([item({ description: 'Dune', restocked: 9, sold: 0, available: 9, held: 0, refunded: 0 })]);
    expect(plan.newRestocks).toEqual([
      { restockId: 'r-new', itemId: 'dune', quantity: 3, applied: true, decidedAt, sourcePartition: 1, sourceOffset: 22n },
    ]);
    expect(plan.repeatedRestocks).toBe(2);
  });

  it('decides purchases in order, records their offsets, and repeats a duplicate identically', () => {
    const loaded: LoadedState = { items: new Map([['dune', item({ description: 'Dune', restocked: 2, sold: 0, available: 2, held: 0, refunded: 0 })]]), purchases: new Map(), holds: new Map(), restocks: new Set() };
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
    expect(plan.results.map(toFinishedResult).map(({ result }) => [idOf(result), result.status, result.reason, result.remaining])).toEqual([
      ['p1', 'SUCCEEDED', null, 0],
      ['p2', 'FAILED', 'OUT_OF_STOCK', 0],
      ['p1', 'SUCCEEDED', null, 0],
    ]);
    expect(plan.results[2]).toEqual(plan.results[0]);
    expect(plan.items).toEqual([item({ description: 'Dune', restocked: 2, sold: 2, available: 0, held: 0, refunded: 0 })]);
  });

  it('repeats a purchase decided in an earlier batch exactly as it was stored', () => {
    const original: StoredPurchase = {
      decision: { type: 'PurchaseSucceeded', purchaseId: 'p1', itemId: 'dune', quantity: 1, purchasedBy: 'ann', remaining: 4, unitPrice: 1250, total: 1250 },
      createdAt,
      decidedAt: '2026-11-26T09:00:00.000Z',
      resultMessage: 'ann bought 1 × dune; 4 left.',
      sourcePartition: 2,
      sourceOffset: 3n,
    };
    const loaded: LoadedState = { items: new Map([['dune', item({ description: 'Dune', restocked: 5, sold: 1, available: 4, held: 0, refunded: 0 })]]), purchases: new Map([['p1', original]]), holds: new Map(), restocks: new Set() };
    const plan = planBatch(purchaseBatch(20, encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 1))).input, loaded, decidedAt);
    expect(plan.newPurchases).toEqual([]);
    expect(plan.items).toEqual([]);
    expect(plan.results).toEqual([{ schemaVersion: purchaseFinishedSchemaVersion, kind: 'purchase', purchaseId: 'p1', itemId: 'dune', quantity: 1, purchasedBy: 'ann', remaining: 4, unitPrice: 1250, total: 1250, resultMessage: original.resultMessage, createdAt, decidedAt: original.decidedAt, status: 'SUCCEEDED', reason: null }]);
  });

  it('leaves out records below the stored offset: a redelivered batch changes nothing it already changed', () => {
    const loaded: LoadedState = { items: new Map([['dune', item({ description: 'Dune', restocked: 5, sold: 0, available: 5, held: 0, refunded: 0 })]]), purchases: new Map(), holds: new Map(), restocks: new Set() };
    const decoded = purchaseBatch(
      30,
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p1', 'dune', 1)),
      encodeMessage(purchaseCreatedMessageSchema, purchaseMessage('p2', 'dune', 1)),
    );
    const plan = planBatch(skipAppliedRecords(decoded.input, 31n), loaded, decidedAt);
    expect(plan.newPurchases.map((stored) => stored.decision.purchaseId)).toEqual(['p2']);
    expect(planBatch(skipAppliedRecords(decoded.input, 32n), loaded, decidedAt)).toEqual({
      items: [],
      newPurchases: [],
      refunds: [],
      holds: [],
      results: [],
      rejectedRestocks: [],
      newRestocks: [],
      repeatedRestocks: 0,
      editsRejected: 0,
      idsTaken: 0,
    });
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

describe('planBatch with holds and refunds', () => {
  const expiresAt = '2026-11-26T10:10:00.000Z';
  const stock = (available: number, held: number, sold = 0, refunded = 0) => item({ restocked: available + held + sold - refunded, sold, available, held, refunded });
  const encode = (message: Parameters<typeof encodeMessage<PurchaseCreatedMessage>>[1]) => encodeMessage(purchaseCreatedMessageSchema, message);
  const hold = (holdId: string, quantity: number) =>
    encode({ schemaVersion: purchaseCreatedSchemaVersion, kind: 'hold', holdId, itemId: 'dune', quantity, heldBy: 'ann', createdAt, expiresAt });
  const step = (kind: 'confirm' | 'cancel' | 'expire', holdId: string, requestedAt = '2026-11-26T10:05:00.000Z') =>
    encode({ schemaVersion: purchaseCreatedSchemaVersion, kind, holdId, itemId: 'dune', requestedAt });
  const refund = (purchaseId: string) => encode({ schemaVersion: purchaseCreatedSchemaVersion, kind: 'refund', purchaseId, itemId: 'dune', requestedAt: createdAt });
  const purchase = (purchaseId: string, quantity: number) => encode({ ...purchaseMessage(purchaseId, 'dune', quantity), schemaVersion: purchaseCreatedSchemaVersion, kind: 'purchase' });
  const loadedWith = (item: ItemStock, extra: Partial<LoadedState> = {}): LoadedState => ({ ...empty, items: new Map([['dune', item]]), ...extra });
  const results = (plan: BatchPlan) => plan.results.map(toFinishedResult).map(({ kind, result }) => [kind, idOf(result), result.status]);
  const storedHeld: StoredHold = {
    hold: { holdId: 'h1', itemId: 'dune', quantity: 2, heldBy: 'ann', expiresAt, unitPrice: null, status: 'HELD', reason: null },
    remaining: 3,
    resultMessage: 'ann holds 2 × dune',
    createdAt,
    decidedAt: '2026-11-26T10:00:00.500Z',
    updatedAt: '2026-11-26T10:00:00.500Z',
    sourcePartition: 2,
    sourceOffset: 7n,
  };
  const storedSold: StoredPurchase = {
    decision: { type: 'PurchaseSucceeded', purchaseId: 'p1', itemId: 'dune', quantity: 2, purchasedBy: 'ann', remaining: 3, ...noPrice },
    createdAt,
    decidedAt: '2026-11-26T09:00:00.000Z',
    resultMessage: 'ann bought 2 × dune; 3 left.',
    sourcePartition: 2,
    sourceOffset: 3n,
  };

  it('names every hold, purchase and refund id to load, holds and purchases sharing one namespace', () => {
    const decoded = purchaseBatch(0, hold('h1', 1), step('confirm', 'h2'), purchase('p1', 1), refund('p2'), Buffer.from('{}'));
    expect(decoded.purchaseIds).toEqual(['h1', 'h2', 'p1', 'p2']);
    expect(decoded.holdIds).toEqual(['h1', 'h2', 'p1']);
    expect(decoded.itemIds).toEqual(['dune']);
    expect(decoded.malformed).toHaveLength(1);
  });

  it('places a hold (units from available to held) and fails one out of stock, each a new hold row with its result', () => {
    const plan = planBatch(purchaseBatch(10, hold('h1', 3), hold('h2', 3)).input, loadedWith(stock(5, 0)), decidedAt);
    expect(plan.holds.map((stored) => [stored.hold.holdId, stored.hold.status, stored.hold.reason, stored.remaining, stored.sourceOffset, stored.decidedAt])).toEqual([
      ['h1', 'HELD', null, 2, 10n, decidedAt],
      ['h2', 'FAILED', 'OUT_OF_STOCK', 2, 11n, decidedAt],
    ]);
    expect(results(plan)).toEqual([
      ['hold', 'h1', 'HELD'],
      ['hold', 'h2', 'FAILED'],
    ]);
    expect(plan.items).toEqual([stock(2, 3)]);
    expect(plan.newPurchases).toEqual([]);
  });

  it('fails a hold of an unknown item and writes no item', () => {
    const plan = planBatch(purchaseBatch(0, hold('h1', 1)).input, empty, decidedAt);
    expect(plan.holds.map((stored) => [stored.hold.status, stored.hold.reason])).toEqual([['FAILED', 'UNKNOWN_ITEM']]);
    expect(plan.items).toEqual([]);
  });

  it('confirms a hold in time: the hold row becomes CONFIRMED, the purchase holdId is created at the confirm, hold result then purchase result', () => {
    const requestedAt = '2026-11-26T10:09:59.000Z';
    const plan = planBatch(purchaseBatch(20, step('confirm', 'h1', requestedAt)).input, loadedWith(stock(3, 2), { holds: new Map([['h1', storedHeld]]) }), decidedAt);
    expect(plan.holds).toHaveLength(1);
    expect(plan.holds[0]).toMatchObject({ hold: { status: 'CONFIRMED' }, decidedAt: storedHeld.decidedAt, updatedAt: decidedAt, sourcePartition: 2, sourceOffset: 7n, createdAt });
    expect(plan.newPurchases).toEqual([
      {
        decision: { type: 'PurchaseSucceeded', purchaseId: 'h1', itemId: 'dune', quantity: 2, purchasedBy: 'ann', remaining: 3, ...noPrice },
        createdAt: requestedAt,
        decidedAt,
        resultMessage: 'ann bought 2 × dune; 3 left.',
        sourcePartition: 2,
        sourceOffset: 20n,
      },
    ]);
    expect(results(plan)).toEqual([
      ['hold', 'h1', 'CONFIRMED'],
      ['purchase', 'h1', 'SUCCEEDED'],
    ]);
    expect(plan.items).toEqual([stock(3, 0, 2)]);
  });

  it('expires a hold whose confirm is stamped after expiresAt, and repeats the EXPIRED state to later steps without a write', () => {
    const batch = purchaseBatch(30, step('confirm', 'h1', '2026-11-26T10:10:00.001Z'), step('expire', 'h1'), step('cancel', 'h1'));
    const plan = planBatch(batch.input, loadedWith(stock(3, 2), { holds: new Map([['h1', storedHeld]]) }), decidedAt);
    expect(plan.holds.map((stored) => [stored.hold.status, stored.remaining])).toEqual([['EXPIRED', 5]]);
    expect(plan.newPurchases).toEqual([]);
    expect(results(plan)).toEqual([
      ['hold', 'h1', 'EXPIRED'],
      ['hold', 'h1', 'EXPIRED'],
      ['hold', 'h1', 'EXPIRED'],
    ]);
    expect(plan.results[1]).toEqual(plan.results[0]);
    expect(plan.items).toEqual([stock(5, 0)]);
  });

  it('places and cancels in one batch: one hold row in its latest state, keeping the first decision, both results', () => {
    const plan = planBatch(purchaseBatch(40, hold('h9', 2), step('cancel', 'h9')).input, loadedWith(stock(5, 0)), decidedAt);
    expect(plan.holds).toHaveLength(1);
    expect(plan.holds[0]).toMatchObject({ hold: { holdId: 'h9', status: 'CANCELLED' }, remaining: 5, sourceOffset: 40n, decidedAt });
    expect(results(plan)).toEqual([
      ['hold', 'h9', 'HELD'],
      ['hold', 'h9', 'CANCELLED'],
    ]);
    expect(plan.items).toEqual([stock(5, 0)]);
  });

  it('publishes nothing for a step on a hold never placed', () => {
    const plan = planBatch(purchaseBatch(0, step('expire', 'nobody'), step('confirm', 'nobody')).input, loadedWith(stock(5, 0)), decidedAt);
    expect(plan.results).toEqual([]);
    expect(plan.holds).toEqual([]);
    expect(plan.items).toEqual([]);
  });

  it('refunds a stored purchase once: an update with refunded_at, a REFUNDED result, and the repeat publishes the same REFUNDED', () => {
    const plan = planBatch(purchaseBatch(50, refund('p1'), refund('p1'), purchase('p1', 2)).input, loadedWith(stock(3, 0, 2), { purchases: new Map([['p1', storedSold]]) }), decidedAt);
    expect(plan.refunds).toEqual([{ purchaseId: 'p1', refundedAt: decidedAt }]);
    expect(plan.newPurchases).toEqual([]);
    expect(results(plan)).toEqual([
      ['purchase', 'p1', 'REFUNDED'],
      ['purchase', 'p1', 'REFUNDED'],
      ['purchase', 'p1', 'REFUNDED'],
    ]);
    expect(plan.results[2]).toEqual(plan.results[0]);
    expect(plan.items).toEqual([stock(5, 0, 2, 2)]);
  });

  it('inserts a purchase decided and refunded in one batch already refunded', () => {
    const plan = planBatch(purchaseBatch(60, purchase('p5', 1), refund('p5')).input, loadedWith(stock(5, 0)), decidedAt);
    expect(plan.refunds).toEqual([]);
    expect(plan.newPurchases.map((stored) => [stored.decision.purchaseId, stored.refundedAt])).toEqual([['p5', decidedAt]]);
    expect(plan.items).toEqual([stock(5, 0, 1, 1)]);
  });

  it('publishes nothing for a refund of a failed or unknown purchase', () => {
    const failed: StoredPurchase = { ...storedSold, decision: { type: 'PurchaseFailed', purchaseId: 'p1', itemId: 'dune', quantity: 2, purchasedBy: 'ann', remaining: 0, reason: 'OUT_OF_STOCK', ...noPrice } };
    const plan = planBatch(purchaseBatch(70, refund('p1'), refund('nobody')).input, loadedWith(stock(5, 0), { purchases: new Map([['p1', failed]]) }), decidedAt);
    expect(plan.results).toEqual([]);
    expect(plan.refunds).toEqual([]);
    expect(plan.items).toEqual([]);
  });

  it('counts ids taken both ways and changes nothing for them', () => {
    const batch = purchaseBatch(80, hold('p1', 1), purchase('h1', 1));
    const plan = planBatch(batch.input, loadedWith(stock(3, 2, 2), { purchases: new Map([['p1', storedSold]]), holds: new Map([['h1', storedHeld]]) }), decidedAt);
    expect(plan.idsTaken).toBe(2);
    expect(plan.results).toEqual([]);
    expect(plan.items).toEqual([]);
  });
});

describe('planBatch with item edits and prices', () => {
  type ItemsMessage = Parameters<typeof encodeMessage<ItemsAddedMessage>>[1];
  const restock = (quantity: number, unitPrice?: number, restockId?: string): ItemsMessage => ({
    schemaVersion: itemsAddedSchemaVersion,
    kind: 'restock',
    itemId: 'dune',
    description: 'Dune',
    quantity,
    addedAt: createdAt,
    ...(unitPrice === undefined ? {} : { unitPrice }),
    ...(restockId === undefined ? {} : { restockId }),
  });
  const edit = (itemId: string, changes: ItemChanges): ItemsMessage => ({ schemaVersion: itemsAddedSchemaVersion, kind: 'edit', itemId, changes, requestedAt: createdAt });
  function itemsBatch(offsetFirst: number, ...messages: ItemsMessage[]) {
    return decodeInputBatch({
      topic: topics.itemsAdded,
      partition: 3,
      messages: messages.map((message, index) => ({
        key: null,
        value: encodeMessage(itemsAddedMessageSchema, message),
        offset: String(offsetFirst + index),
        timestamp: '0',
        attributes: 0,
        headers: {},
      })),
    });
  }
  const purchaseOf = (purchaseId: string, quantity: number) =>
    encodeMessage(purchaseCreatedMessageSchema, { ...purchaseMessage(purchaseId, 'dune', quantity), schemaVersion: purchaseCreatedSchemaVersion, kind: 'purchase' });

  it('decodes a version 3 restock with its price and restockId, and loads no purchases or holds for edits', () => {
    const decoded = itemsBatch(0, restock(2, 1250, 'r1'), edit('dune', { archived: true }), edit('emma', { unitPrice: 5 }));
    expect(decoded.malformed).toEqual([]);
    expect(decoded.itemIds).toEqual(['dune', 'emma']);
    expect(decoded.restockIds).toEqual(['r1']);
    expect([decoded.purchaseIds, decoded.holdIds]).toEqual([[], []]);
  });

  it('decides restocks and edits in log order and writes each touched item once, with its settings', () => {
    const plan = planBatch(itemsBatch(0, restock(2, 1250), edit('dune', { unitPrice: 900, lowStockThreshold: 1 }), restock(3), edit('dune', { archived: true })).input, empty, decidedAt);
    expect(plan.items).toEqual([item({ restocked: 5, available: 5, unitPrice: 900, lowStockThreshold: 1, archived: true })]);
    expect(plan.results).toEqual([]);
    expect(plan.editsRejected).toBe(0);
  });

  it('writes an edited item although its stock did not change, and clears a threshold with null', () => {
    const loaded = { ...empty, items: new Map([['dune', item({ restocked: 4, available: 4, unitPrice: 100, lowStockThreshold: 2 })]]) };
    const plan = planBatch(itemsBatch(9, edit('dune', { description: 'Dune (1965)', lowStockThreshold: null })).input, loaded, decidedAt);
    expect(plan.items).toEqual([item({ description: 'Dune (1965)', restocked: 4, available: 4, unitPrice: 100, lowStockThreshold: null })]);
  });

  it('writes nothing for an edit of an item never restocked, and counts it', () => {
    const plan = planBatch(itemsBatch(0, edit('emma', { unitPrice: 5 }), edit('emma', { archived: true })).input, empty, decidedAt);
    expect(plan.items).toEqual([]);
    expect(plan.newRestocks).toEqual([]);
    expect(plan.editsRejected).toBe(2);
  });

  it('leaves out edits below the stored offset like any record', () => {
    const decoded = itemsBatch(10, edit('dune', { unitPrice: 1 }), edit('dune', { unitPrice: 2 }));
    const loaded = { ...empty, items: new Map([['dune', item({ restocked: 1, available: 1, unitPrice: 1 })]]) };
    expect(planBatch(skipAppliedRecords(decoded.input, 11n), loaded, decidedAt).items).toEqual([item({ restocked: 1, available: 1, unitPrice: 2 })]);
    expect(planBatch(skipAppliedRecords(decoded.input, 12n), loaded, decidedAt).items).toEqual([]);
  });

  it("stores and publishes each purchase's unit price and total, and a failed one's price without a total", () => {
    const loaded = { ...empty, items: new Map([['dune', item({ restocked: 3, available: 3, unitPrice: 1250 })]]) };
    const plan = planBatch(purchaseBatch(0, purchaseOf('p1', 2), purchaseOf('p2', 2)).input, loaded, decidedAt);
    expect(plan.newPurchases.map((stored) => [stored.decision.purchaseId, stored.decision.unitPrice, stored.decision.total])).toEqual([
      ['p1', 1250, 2500],
      ['p2', 1250, null],
    ]);
    expect(plan.results.map(toFinishedResult).map(({ result }) => ('total' in result ? [result.status, result.unitPrice, result.total] : []))).toEqual([
      ['SUCCEEDED', 1250, 2500],
      ['FAILED', 1250, null],
    ]);
  });

  it("fails a purchase and a hold of an archived item ITEM_ARCHIVED, writing no item", () => {
    const loaded = { ...empty, items: new Map([['dune', item({ restocked: 3, available: 3, unitPrice: 1250, archived: true })]]) };
    const hold = encodeMessage(purchaseCreatedMessageSchema, {
      schemaVersion: purchaseCreatedSchemaVersion,
      kind: 'hold',
      holdId: 'h1',
      itemId: 'dune',
      quantity: 1,
      heldBy: 'ann',
      createdAt,
      expiresAt: '2026-11-26T10:10:00.000Z',
    });
    const plan = planBatch(purchaseBatch(0, purchaseOf('p1', 1), hold).input, loaded, decidedAt);
    expect(plan.results.map(toFinishedResult).map(({ result }) => [result.status, result.reason, result.remaining])).toEqual([
      ['FAILED', 'ITEM_ARCHIVED', 3],
      ['FAILED', 'ITEM_ARCHIVED', 3],
    ]);
    expect(plan.holds.map((stored) => stored.hold.unitPrice)).toEqual([1250]);
    expect(plan.items).toEqual([]);
  });
});
