// Goal: a confirm's answer follows from its hold's final state alone, and a repeated hold request is the same hold only with the same item, quantity, holder and ttl.
import { describe, expect, it } from 'vitest';
import { confirmResultSchema, type HoldResult, type PurchaseResult } from '../contract';
import type { HoldRequestRow } from '../db/hold-store';
import { confirmResultOf, isFinalHold, sameHold } from './hold-service';

const at = '2026-11-30T12:00:00.000Z';
const hold = (status: HoldResult['status']): HoldResult => ({
  holdId: 'h1',
  itemId: 'book',
  quantity: 2,
  heldBy: 'Ann',
  status,
  reason: status === 'FAILED' ? 'OUT_OF_STOCK' : null,
  remaining: 3,
  createdAt: at,
  expiresAt: '2026-11-30T12:10:00.000Z',
  unitPrice: 500,
  decidedAt: at,
  resultMessage: 'ok',
});
const purchase: PurchaseResult = {
  purchaseId: 'h1',
  itemId: 'book',
  quantity: 2,
  purchasedBy: 'Ann',
  remaining: 3,
  unitPrice: 500,
  total: 1000,
  resultMessage: 'ok',
  createdAt: at,
  decidedAt: at,
  status: 'SUCCEEDED',
  reason: null,
};

describe('confirmResultOf', () => {
  it('answers a CONFIRMED hold with its purchase', () => {
    const result = confirmResultOf(hold('CONFIRMED'), purchase);
    expect(confirmResultSchema.parse(result)).toEqual({ holdId: 'h1', status: 'CONFIRMED', hold: hold('CONFIRMED'), purchase });
  });

  it.each([
    ['EXPIRED', 'HOLD_EXPIRED'],
    ['CANCELLED', 'HOLD_CANCELLED'],
    ['FAILED', 'HOLD_FAILED'],
  ] as const)('answers a %s hold as FAILED %s', (status, reason) => {
    const result = confirmResultOf(hold(status), undefined);
    expect(confirmResultSchema.parse(result)).toEqual({ holdId: 'h1', status: 'FAILED', reason, hold: hold(status) });
  });

  it('refuses a hold that is not final, and a CONFIRMED hold without its purchase', () => {
    expect(() => confirmResultOf(hold('HELD'), purchase)).toThrow(/not final/);
    expect(() => confirmResultOf(hold('CONFIRMED'), undefined)).toThrow(/purchase/);
  });

  it('counts every state but HELD as final', () => {
    expect(['HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'FAILED'].filter((status) => isFinalHold(hold(status as HoldResult['status'])))).toEqual([
      'CONFIRMED',
      'CANCELLED',
      'EXPIRED',
      'FAILED',
    ]);
  });
});

describe('sameHold', () => {
  const stored: HoldRequestRow = { holdId: 'h1', itemId: 'book', quantity: 2, heldBy: 'Ann', createdAt: at, expiresAt: '2026-11-30T12:10:00.000Z' };
  // A repeat a minute later with the same ttl (600 s).
  const repeat: HoldRequestRow = { ...stored, createdAt: '2026-11-30T12:01:00.000Z', expiresAt: '2026-11-30T12:11:00.000Z' };

  it('is the same hold with other stamps but the same ttl', () => {
    expect(sameHold(stored, repeat)).toBe(true);
  });

  it.each([
    ['item', { itemId: 'other' }],
    ['quantity', { quantity: 3 }],
    ['holder', { heldBy: 'Bob' }],
    ['ttl', { expiresAt: '2026-11-30T12:11:01.000Z' }],
  ])('is another hold with another %s', (_name, change) => {
    expect(sameHold(stored, { ...repeat, ...change })).toBe(false);
  });
});
