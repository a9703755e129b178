// Goal: "My purchases" shows each kept id once, newest first, never moves a decided purchase or a final hold backwards, and totals what was or will be charged.
import { describe, expect, it } from 'vitest';
import type { HoldResult, PurchaseResult } from '../../server/contract';
import { activeHoldIds, knownOfHold, knownOfLookup, knownOfResult, rowsOf, totalOf, withKnown } from './my-purchases-state';

const at = '2026-12-01T10:00:00.000Z';
const bought: PurchaseResult = {
  purchaseId: 'p1',
  itemId: 'dune',
  quantity: 2,
  purchasedBy: 'Ann',
  remaining: 3,
  unitPrice: 1250,
  total: 2500,
  resultMessage: 'ok',
  createdAt: at,
  decidedAt: at,
  status: 'SUCCEEDED',
  reason: null,
};
const held: HoldResult = {
  holdId: 'h1',
  itemId: 'dune',
  quantity: 3,
  heldBy: 'Ann',
  status: 'HELD',
  reason: null,
  remaining: 0,
  createdAt: at,
  expiresAt: at,
  unitPrice: 100,
  decidedAt: at,
  resultMessage: 'held',
};

describe('withKnown', () => {
  it('given a pending answer after the decision, keeps the decision', () => {
    const decided = withKnown(new Map(), [knownOfResult(bought)]);
    const late = withKnown(decided, knownOfLookup([{ kind: 'purchase', purchase: { purchaseId: 'p1', itemId: 'dune', quantity: 2, purchasedBy: 'Ann', createdAt: at, status: 'PENDING' } }]));
    expect(late.get('p1')?.view.status).toBe('SUCCEEDED');
  });

  it('given a refund, shows it; given the sale again later, keeps the refund', () => {
    const refunded = withKnown(new Map(), [knownOfResult({ ...bought, status: 'REFUNDED', refundedAt: at })]);
    expect(withKnown(refunded, [knownOfResult(bought)]).get('p1')?.view.status).toBe('REFUNDED');
  });

  it('given a final hold, a late HELD does not bring it back', () => {
    const expired = withKnown(new Map(), [knownOfHold({ ...held, status: 'EXPIRED' })]);
    expect(withKnown(expired, [knownOfHold(held)]).get('h1')?.view.status).toBe('EXPIRED');
  });
});

describe('rowsOf and activeHoldIds', () => {
  it('given kept ids, lists them in kept order, unknown ones too', () => {
    const known = withKnown(new Map(), [knownOfResult(bought)]);
    const rows = rowsOf([{ id: 'new', kind: 'purchase' }, { id: 'p1', kind: 'purchase' }], known);
    expect(rows.map((row) => [row.kept.id, row.known?.view.status])).toEqual([
      ['new', undefined],
      ['p1', 'SUCCEEDED'],
    ]);
  });

  it('follows holds that can still change, and only those', () => {
    const known = withKnown(new Map(), [knownOfHold(held), knownOfHold({ ...held, holdId: 'h2', status: 'CANCELLED' })]);
    const kept = [
      { id: 'h1', kind: 'hold' as const },
      { id: 'h2', kind: 'hold' as const },
      { id: 'h3', kind: 'hold' as const },
      { id: 'p1', kind: 'purchase' as const },
    ];
    expect(activeHoldIds(known, kept)).toEqual(['h1', 'h3']);
  });
});

describe('totalOf', () => {
  it('given a purchase, is its recorded total; without a price, none', () => {
    expect(totalOf(knownOfResult(bought))).toBe(2500);
    expect(totalOf(knownOfResult({ ...bought, unitPrice: null, total: null }))).toBeNull();
  });

  it('given a hold, is its fixed price times its quantity while held or paid, none once released', () => {
    expect(totalOf(knownOfHold(held))).toBe(300);
    expect(totalOf(knownOfHold({ ...held, status: 'CONFIRMED' }))).toBe(300);
    expect(totalOf(knownOfHold({ ...held, status: 'EXPIRED' }))).toBeNull();
    expect(totalOf(knownOfHold({ ...held, unitPrice: null }))).toBeNull();
  });
});
