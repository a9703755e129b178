// Goal: the shop's item pages carry their next cursor from the Link header, and "My purchases" reads every kept id in one checked request.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { limits } from '../../server/limits';
import { fetchMyPurchases, fetchShopItemsPage } from './api-client';

const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: 1250, lowStockThreshold: null, archived: false, version: 7 };
const bought = {
  purchaseId: 'p-1',
  itemId: 'dune',
  quantity: 2,
  purchasedBy: 'Ann',
  remaining: 3,
  unitPrice: 1250,
  total: 2500,
  resultMessage: 'Ann bought 2 × dune; 3 left.',
  createdAt: '2026-11-26T10:00:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  status: 'SUCCEEDED',
  reason: null,
};

function answering(response: Response) {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url);
    return response;
  });
  return urls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchShopItemsPage', () => {
  it('given a page with a next link, returns its items and cursor, having sent the query', async () => {
    const urls = answering(Response.json([dune], { headers: { Link: '</api/items?q=du&sort=title&cursor=next-1>; rel="next"' } }));
    expect(await fetchShopItemsPage({ q: 'du', sort: 'title', inStock: undefined, limit: '24', cursor: undefined })).toEqual({ ok: true, value: { items: [dune], nextCursor: 'next-1' } });
    expect(urls[0]).toBe('/api/items?q=du&sort=title&limit=24');
  });

  it('given the last page, has no cursor', async () => {
    answering(Response.json([dune]));
    expect(await fetchShopItemsPage({ sort: 'title' })).toEqual({ ok: true, value: { items: [dune], nextCursor: undefined } });
  });

  it('given a refused query or a page of the wrong shape, fails with the one failure shape', async () => {
    answering(Response.json({ error: 'invalid cursor', fields: { cursor: 'expired' } }, { status: 400 }));
    expect(await fetchShopItemsPage({ cursor: 'old' })).toMatchObject({ ok: false, failure: { kind: 'invalid', fields: { cursor: 'expired' } } });
    answering(Response.json([{ ...dune, unitPrice: '12.50' }]));
    expect(await fetchShopItemsPage({})).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });
});

describe('fetchMyPurchases', () => {
  it('given ids, asks for them in one comma-separated parameter and returns the checked answer', async () => {
    const urls = answering(Response.json([{ kind: 'purchase', purchase: bought }]));
    expect(await fetchMyPurchases(['p-1', 'h-2'])).toEqual({ ok: true, value: [{ kind: 'purchase', purchase: bought }] });
    expect(urls[0]).toBe('/api/purchases?ids=p-1%2Ch-2');
  });

  it('given more ids than one lookup takes, sends only the first (newest) ones', async () => {
    const urls = answering(Response.json([]));
    await fetchMyPurchases(Array.from({ length: limits.purchaseLookupIdsMax + 10 }, (_, index) => `p${index}`));
    const sent = new URL(urls[0] ?? '', 'http://localhost').searchParams.get('ids')?.split(',') ?? [];
    expect(sent).toHaveLength(limits.purchaseLookupIdsMax);
    expect(sent[0]).toBe('p0');
  });

  it('given an answer of the wrong shape, fails instead of passing it on', async () => {
    answering(Response.json([{ kind: 'order', purchase: bought }]));
    expect(await fetchMyPurchases(['p-1'])).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });
});
