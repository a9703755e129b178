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
  position: { partition: 0, sequence: 7 },
};
const change = { itemId: 'dune', restocked: 5, sold: 2, available: 3 };

describe('purchase.finished', () => {
  it('accepts a result with or without a position', () => {
    expect(parseServerEvent('purchase.finished', result)).toEqual({ ok: true, payload: result });
    expect(parseServerEvent('purchase.finished', { ...result, position: null }).ok).toBe(true);
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

describe('connect_error data', () => {
  it('recognises the server refusing a socket, and nothing else', () => {
    expect(parseSocketRefusal({ code: 'TOO_MANY_SOCKETS' })).toEqual({ code: 'TOO_MANY_SOCKETS' });
    expect(parseSocketRefusal(undefined)).toBeUndefined();
    expect(parseSocketRefusal({ code: 'SOMETHING_ELSE' })).toBeUndefined();
    expect(parseSocketRefusal('TOO_MANY_SOCKETS')).toBeUndefined();
  });
});
