// Goal: an item page lists only that item's purchases, newest first, each once, with a refund replacing its sale in any arrival order.
import { describe, expect, it } from 'vitest';
import type { PurchaseResult } from '../../server/contract';
import { itemActivityMax, withActivity } from './item-activity';

function sale(purchaseId: string, decidedAt: string, itemId = 'dune'): Extract<PurchaseResult, { status: 'SUCCEEDED' }> {
  return {
    purchaseId,
    itemId,
    quantity: 1,
    purchasedBy: 'Ann',
    remaining: 3,
    unitPrice: 1250,
    total: 1250,
    resultMessage: 'ok',
    createdAt: decidedAt,
    decidedAt,
    status: 'SUCCEEDED',
    reason: null,
  };
}

describe('withActivity', () => {
  it("given results of several items, keeps this item's, newest first", () => {
    const shown = withActivity([], [sale('a', '2026-12-01T10:00:00.000Z'), sale('b', '2026-12-01T10:00:02.000Z'), sale('c', '2026-12-01T10:00:01.000Z', 'other')], 'dune');
    expect(shown.map((result) => result.purchaseId)).toEqual(['b', 'a']);
  });

  it('given the same purchase twice, shows it once', () => {
    const first = sale('a', '2026-12-01T10:00:00.000Z');
    expect(withActivity(withActivity([], [first], 'dune'), [first], 'dune')).toHaveLength(1);
  });

  it('given a refund before or after its sale, shows the refund', () => {
    const bought = sale('a', '2026-12-01T10:00:00.000Z');
    const refunded: PurchaseResult = { ...bought, status: 'REFUNDED', refundedAt: '2026-12-01T10:05:00.000Z' };
    expect(withActivity([], [bought, refunded], 'dune')[0]?.status).toBe('REFUNDED');
    expect(withActivity([], [refunded, bought], 'dune')[0]?.status).toBe('REFUNDED');
  });

  it('given more than fit, keeps the newest', () => {
    const many = Array.from({ length: itemActivityMax + 5 }, (_, index) => sale(`p${index}`, new Date(Date.UTC(2026, 11, 1, 10, 0, index)).toISOString()));
    const shown = withActivity([], many, 'dune');
    expect(shown).toHaveLength(itemActivityMax);
    expect(shown[0]?.purchaseId).toBe(`p${itemActivityMax + 4}`);
  });
});
