// Goal: the benchmarks' purchase backlog is valid per the contract, unique per purchase, spread over the items in turn, and chunked.
import { describe, expect, it } from 'vitest';
import { purchaseCreatedMessageSchema } from '../contract';
import { decodeMessage } from '../kafka/messages';
import { backlogChunks } from './purchase-backlog';

const backlog = { itemIds: ['item-a', 'item-b', 'item-c'], count: 7, idPrefix: 'backlog-run1', purchasedBy: 'bench-backlog', createdAt: '2026-12-01T10:00:00.000Z' };

describe('backlogChunks', () => {
  it('encodes every purchase per the contract, keyed by its item, the items in turn', () => {
    const messages = backlogChunks(backlog).flat();
    const decoded = messages.map((message) => decodeMessage(purchaseCreatedMessageSchema, message.value as Buffer));
    expect(decoded.every((result) => result.ok)).toBe(true);
    expect(messages.map((message) => message.key)).toEqual(['item-a', 'item-b', 'item-c', 'item-a', 'item-b', 'item-c', 'item-a']);
    const purchases = decoded.flatMap((result) => (result.ok && result.value.schemaVersion === 2 && result.value.kind === 'purchase' ? [result.value] : []));
    expect(new Set(purchases.map((purchase) => purchase.purchaseId)).size).toBe(7);
    expect(purchases[3]).toEqual({ schemaVersion: 2, kind: 'purchase', purchaseId: 'backlog-run1-3', itemId: 'item-a', quantity: 1, purchasedBy: 'bench-backlog', createdAt: '2026-12-01T10:00:00.000Z' });
  });

  it('cuts the backlog into chunks of at most the chunk size', () => {
    expect(backlogChunks(backlog, 3).map((chunk) => chunk.length)).toEqual([3, 3, 1]);
    expect(backlogChunks({ ...backlog, count: 0 })).toEqual([]);
  });

  it('refuses a backlog without items, and an id the contract refuses', () => {
    expect(() => backlogChunks({ ...backlog, itemIds: [] })).toThrow('at least one item');
    expect(() => backlogChunks({ ...backlog, idPrefix: 'no spaces' })).toThrow();
  });
});
