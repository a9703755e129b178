// Goal: the seller's sales list shows each sale once, newest first and bounded, failed purchases never, and a refund is never undone by a late view.
import { describe, expect, it } from 'vitest';
import type { PurchaseResult } from '../../server/contract';
import { mergeSales, type Sale } from './sales-list';

function sale(purchaseId: string, decidedAt: string): Sale {
  return {
    purchaseId,
    itemId: 'dune',
    quantity: 1,
    purchasedBy: 'Ann',
    remaining: 3,
    resultMessage: 'Ann bought 1 × dune; 3 left.',
    createdAt: decidedAt,
    decidedAt,
    status: 'SUCCEEDED',
    reason: null,
    unitPrice: null,
    total: null,
  };
}
const first = sale('p-1', '2026-11-26T10:00:01.000Z');
const second = sale('p-2', '2026-11-26T10:00:02.000Z');
const refundedFirst: Sale = { ...first, status: 'REFUNDED', refundedAt: '2026-11-26T10:05:00.000Z' };

describe('mergeSales', () => {
  it('given a snapshot and a live sale, lists them newest decision first', () => {
    expect(mergeSales([first], [second], 10).map((shown) => shown.purchaseId)).toEqual(['p-2', 'p-1']);
  });

  it('given a refund, replaces its sale in place', () => {
    expect(mergeSales([second, first], [refundedFirst], 10)).toEqual([second, refundedFirst]);
  });

  it('given a late snapshot that still says SUCCEEDED, keeps the refund', () => {
    expect(mergeSales([refundedFirst], [first], 10)).toEqual([refundedFirst]);
  });

  it('given a repeated sale, shows it once', () => {
    expect(mergeSales([first], [first, first], 10)).toEqual([first]);
  });

  it('never lists a failed purchase', () => {
    const failed: PurchaseResult = { ...first, purchaseId: 'p-3', status: 'FAILED', reason: 'OUT_OF_STOCK' };
    expect(mergeSales([], [failed], 10)).toEqual([]);
  });

  it('keeps only the newest past its bound', () => {
    expect(mergeSales([first], [second], 1)).toEqual([second]);
  });
});
