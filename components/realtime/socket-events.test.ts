// Goal: only socket payloads that match the contract reach the page; anything else is refused on arrival.
import { describe, expect, it } from 'vitest';
import { parseServerEvent, parseSocketRefusal } from './socket-events';

const result = {
  purchaseId: 'p-1',
  itemId: 'dune',
  quantity: 1,
  purchasedBy: 'Ann',
  remaining: 3,
  resultMessage: 'Ann bought 1 × dune; 3 left.',
  createdAt: '2026-11-26T10:00:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  status: 'SUCCEEDED',
  reason: null,
  unitPrice: 1_250,
  total: 1_250,
  position: { partition: 0, sequence: 7 },
};
const change = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: 1_250, lowStockThreshold: null, archived: false, version: 4 };
const hold = {
  holdId: 'h-1',
  itemId: 'dune',
  quantity: 1,
  heldBy: 'Ann',
  status: 'HELD',
  reason: null,
  remaining: 2,
  createdAt: '2026-11-26T10:00:00.000Z',
  expiresAt: '2026-11-26T10:10:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  resultMessage: 'Ann holds 1 × dune until 10:10.',
  unitPrice: 1_250,
  position: { partition: 0, sequence: 8 },
};

describe('purchase.finished', () => {
  it('accepts a result with or without a position', () => {
    expect(parseServerEvent('purchase.finished', result)).toEqual({ ok: true, payload: result });
    expect(parseServerEvent('purchase.finished', { ...result, position: null }).ok).toBe(true);
  });

  it('accepts a refunded purchase, which carries when it was refunded', () => {
    const refunded = { ...result, status: 'REFUNDED', refundedAt: '2026-11-26T10:05:00.000Z' };
    expect(parseServerEvent('purchase.finished', refunded)).toEqual({ ok: true, payload: refunded });
    expect(parseServerEvent('purchase.finished', { ...result, status: 'REFUNDED' }).ok).toBe(false);
  });

  it('refuses anything that is not a result', () => {
    expect(parseServerEvent('purchase.finished', { ...result, position: { partition: '0', sequence: 1 } }).ok).toBe(false);
    expect(parseServerEvent('purchase.finished', { ...result, status: 'MAYBE' }).ok).toBe(false);
    expect(parseServerEvent('purchase.finished', { ...result, status: 'FAILED', reason: null }).ok).toBe(false);
    expect(parseServerEvent('purchase.finished', { ...result, quantity: '1' }).ok).toBe(false);
    expect(parseServerEvent('purchase.finished', null).ok).toBe(false);
    expect(parseServerEvent('purchase.finished', 'purchase').ok).toBe(false);
  });
});

describe('stock.changed', () => {
  it('accepts new counters, an oversold item included', () => {
    expect(parseServerEvent('stock.changed', change)).toEqual({ ok: true, payload: change });
    expect(parseServerEvent('stock.changed', { ...change, sold: 7, available: -2 }).ok).toBe(true);
  });

  it('refuses counters of the wrong shape', () => {
    expect(parseServerEvent('stock.changed', { ...change, restocked: '5' }).ok).toBe(false);
    expect(parseServerEvent('stock.changed', { ...change, sold: -1 }).ok).toBe(false);
    expect(parseServerEvent('stock.changed', { restocked: 5, sold: 2, available: 3 }).ok).toBe(false);
    expect(parseServerEvent('stock.changed', { ...change, itemId: 'no spaces' }).ok).toBe(false);
    expect(parseServerEvent('stock.changed', undefined).ok).toBe(false);
  });
});

describe('hold.changed', () => {
  it('accepts a hold in each of its states', () => {
    expect(parseServerEvent('hold.changed', hold)).toEqual({ ok: true, payload: hold });
    for (const status of ['CONFIRMED', 'CANCELLED', 'EXPIRED']) expect(parseServerEvent('hold.changed', { ...hold, status }).ok).toBe(true);
    expect(parseServerEvent('hold.changed', { ...hold, status: 'FAILED', reason: 'OUT_OF_STOCK' }).ok).toBe(true);
  });

  it('refuses a hold of the wrong shape', () => {
    expect(parseServerEvent('hold.changed', { ...hold, status: 'PENDING' }).ok).toBe(false);
    expect(parseServerEvent('hold.changed', { ...hold, expiresAt: 'soon' }).ok).toBe(false);
    expect(parseServerEvent('hold.changed', { ...hold, position: undefined }).ok).toBe(false);
    expect(parseServerEvent('hold.changed', result).ok).toBe(false);
  });
});

describe('connect_error data', () => {
  it('recognises the server refusing a socket, and nothing else', () => {
    expect(parseSocketRefusal({ code: 'TOO_MANY_SOCKETS' })).toEqual({ code: 'TOO_MANY_SOCKETS' });
    expect(parseSocketRefusal(undefined)).toBeUndefined();
    expect(parseSocketRefusal({ code: 'SOMETHING_ELSE' })).toBeUndefined();
    expect(parseSocketRefusal('TOO_MANY_SOCKETS')).toBeUndefined();
  });
});
