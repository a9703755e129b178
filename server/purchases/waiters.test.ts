// Goal: a waiter ends with the first result of its id that it accepts, or with nothing at its timeout; both kinds share one bound, and nothing is left held afterwards.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HoldResult, PurchaseResult } from '../contract';
import { ResultWaiters } from './waiters';

const at = '2026-11-30T12:00:00.000Z';
const purchase = (purchaseId: string, status: 'SUCCEEDED' | 'REFUNDED'): PurchaseResult => {
  const fields = { purchaseId, itemId: 'book', quantity: 1, purchasedBy: 'Ann', remaining: 3, unitPrice: null, total: null, resultMessage: 'ok', createdAt: at, decidedAt: at };
  return status === 'SUCCEEDED' ? { ...fields, status, reason: null } : { ...fields, status, reason: null, refundedAt: at };
};
const hold = (holdId: string, status: HoldResult['status']): HoldResult => ({
  holdId,
  itemId: 'book',
  quantity: 1,
  heldBy: 'Ann',
  status,
  reason: null,
  remaining: 3,
  createdAt: at,
  expiresAt: at,
  unitPrice: null,
  decidedAt: at,
  resultMessage: 'ok',
});

afterEach(() => vi.useRealTimers());

describe('ResultWaiters', () => {
  it('settles every waiter of a purchase id with its result, and no other id', async () => {
    const waiters = new ResultWaiters(10);
    const first = waiters.purchases.wait('p1', 10_000);
    const second = waiters.purchases.wait('p1', 10_000);
    const other = waiters.purchases.wait('p2', 10_000);
    expect(waiters.size).toBe(3);
    waiters.settle({ kind: 'purchase', result: purchase('p1', 'SUCCEEDED') });
    expect((await first?.result)?.status).toBe('SUCCEEDED');
    expect((await second?.result)?.purchaseId).toBe('p1');
    expect(waiters.size).toBe(1);
    expect(waiters.purchases.waitingIds()).toEqual(['p2']);
    other?.cancel();
    expect(await other?.result).toBeUndefined();
    expect(waiters.size).toBe(0);
  });

  it('keeps a waiter through results it does not accept (a confirm ignores HELD)', async () => {
    const waiters = new ResultWaiters(10);
    const placed = waiters.holds.wait('h1', 10_000);
    const final = waiters.holds.wait('h1', 10_000, (result) => result.status !== 'HELD');
    waiters.settle({ kind: 'hold', result: hold('h1', 'HELD') });
    expect((await placed?.result)?.status).toBe('HELD');
    expect(waiters.holds.waitingIds()).toEqual(['h1']);
    waiters.settle({ kind: 'hold', result: hold('h1', 'CONFIRMED') });
    expect((await final?.result)?.status).toBe('CONFIRMED');
    expect(waiters.size).toBe(0);
  });

  it('does not mix kinds: a hold result never settles a purchase waiter of the same id', async () => {
    const waiters = new ResultWaiters(10);
    const refund = waiters.purchases.wait('x', 10_000, (result) => result.status === 'REFUNDED');
    waiters.settle({ kind: 'hold', result: hold('x', 'CONFIRMED') });
    waiters.settle({ kind: 'purchase', result: purchase('x', 'SUCCEEDED') });
    expect(waiters.size).toBe(1);
    waiters.settle({ kind: 'purchase', result: purchase('x', 'REFUNDED') });
    expect((await refund?.result)?.status).toBe('REFUNDED');
  });

  it('ends with nothing at the timeout and frees its place', async () => {
    vi.useFakeTimers();
    const waiters = new ResultWaiters(10);
    const wait = waiters.holds.wait('h1', 500);
    vi.advanceTimersByTime(500);
    expect(await wait?.result).toBeUndefined();
    expect(waiters.size).toBe(0);
    expect(waiters.holds.waitingIds()).toEqual([]);
  });

  it('holds at most waitersMax waiters of both kinds together', () => {
    const waiters = new ResultWaiters(2);
    expect(waiters.purchases.wait('p1', 10_000)).toBeDefined();
    expect(waiters.holds.wait('h1', 10_000)).toBeDefined();
    expect(waiters.holds.wait('h2', 10_000)).toBeUndefined();
    expect(waiters.purchases.wait('p2', 10_000)).toBeUndefined();
    expect(waiters.size).toBe(2);
  });
});
