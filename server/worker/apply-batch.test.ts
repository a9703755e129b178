// Goal: a partition batch takes its steps in order inside one transaction: a fenced batch writes nothing, and a redelivered one decides only the records past the stored offset, then stores the next offset.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { purchaseCreatedMessageSchema, schemaVersion } from '../contract';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { applyPartitionBatch, type PartitionBatch } from './apply-batch';
import { decodeInputBatch } from './decode-batch';

// The Postgres adapter is replaced by a recorder: each primitive logs its name and answers from `stored`.
const database = vi.hoisted(() => ({
  transaction: { name: 'the batch transaction' },
  stored: { epoch: 3 as number | undefined, offset: undefined as bigint | undefined },
  steps: [] as Array<{ step: string; transaction: unknown; data?: unknown }>,
}));

vi.mock('../db/stock-store', () => {
  const step = (name: string, answer?: (...data: unknown[]) => unknown) => (transaction: unknown, ...data: unknown[]) => {
    database.steps.push({ step: name, transaction, data });
    return Promise.resolve(answer?.(...data));
  };
  return {
    inBatchTransaction: (work: (transaction: unknown) => Promise<unknown>) => work(database.transaction),
    lockPartitionOwner: step('lockPartitionOwner', () => database.stored.epoch),
    readStoredOffset: step('readStoredOffset', () => database.stored.offset),
    loadStoredState: step('loadStoredState', () => ({
      items: new Map([['dune', { itemId: 'dune', description: 'Dune', restocked: 5, sold: 0, available: 5 }]]),
      purchases: new Map(),
    })),
    writeItems: step('writeItems'),
    writePurchases: step('writePurchases'),
    writeOutbox: step('writeOutbox'),
    storeOffset: step('storeOffset'),
  };
});

const decidedAt = '2026-11-26T10:00:01.000Z';

function purchasesAt(offsetFirst: number, purchaseIds: string[]): PartitionBatch {
  const decoded = decodeInputBatch({
    topic: topics.purchaseCreated,
    partition: 2,
    messages: purchaseIds.map((purchaseId, index) => ({
      key: null,
      value: encodeMessage(purchaseCreatedMessageSchema, {
        schemaVersion,
        purchaseId,
        itemId: 'dune',
        quantity: 1,
        purchasedBy: 'ann',
        createdAt: '2026-11-26T10:00:00.000Z',
      }),
      offset: String(offsetFirst + index),
      timestamp: '0',
      attributes: 0,
      headers: {},
    })),
  });
  const nextOffset = BigInt(offsetFirst + purchaseIds.length);
  return { topic: topics.purchaseCreated, epoch: 3, ...decoded, nextOffset, decidedAt };
}

beforeEach(() => {
  database.stored = { epoch: 3, offset: undefined };
  database.steps = [];
});

describe('applyPartitionBatch', () => {
  it('fences a batch whose partition has a newer owner, and writes nothing', async () => {
    database.stored.epoch = 4;
    const outcome = await applyPartitionBatch(purchasesAt(10, ['p1']));
    expect(outcome).toEqual({ status: 'fenced', currentEpoch: 4 });
    expect(database.steps.map(({ step }) => step)).toEqual(['lockPartitionOwner']);
  });

  it('fences a batch when the partition has no owner row at all', async () => {
    database.stored.epoch = undefined;
    expect(await applyPartitionBatch(purchasesAt(10, ['p1']))).toEqual({ status: 'fenced', currentEpoch: undefined });
  });

  it('takes every step in order, in the one transaction, and decides only the records past the stored offset', async () => {
    database.stored.offset = 11n;
    const outcome = await applyPartitionBatch(purchasesAt(10, ['p1', 'p2']));

    expect(database.steps.map(({ step }) => step)).toEqual([
      'lockPartitionOwner',
      'readStoredOffset',
      'loadStoredState',
      'writeItems',
      'writePurchases',
      'writeOutbox',
      'storeOffset',
    ]);
    expect(database.steps.every(({ transaction }) => transaction === database.transaction)).toBe(true);
    if (outcome.status !== 'applied') throw new Error(`expected the batch to be applied, got ${outcome.status}`);
    expect(outcome.plan.newPurchases.map((stored) => [stored.decision.purchaseId, stored.sourceOffset, stored.decidedAt])).toEqual([
      ['p2', 11n, decidedAt],
    ]);
    expect(database.steps.at(-1)?.data).toEqual([topics.purchaseCreated, 2, 12n]);
  });

  it('stores the next offset even when every record was applied before', async () => {
    database.stored.offset = 12n;
    const outcome = await applyPartitionBatch(purchasesAt(10, ['p1', 'p2']));
    expect(outcome).toEqual({ status: 'applied', plan: { items: [], newPurchases: [], results: [], rejectedRestocks: [] } });
    expect(database.steps.at(-1)).toEqual({ step: 'storeOffset', transaction: database.transaction, data: [topics.purchaseCreated, 2, 12n] });
  });
});
