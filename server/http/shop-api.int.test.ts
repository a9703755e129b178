// Goal: the shop's read API on the real web process and PostgreSQL: items searched, sorted, filtered and paged by cursor (every page in order, none twice, none missing, unpriced last, Link only while more follow), "My purchases" answered in the order asked, the sales summary and the chart ranges; every new parameter and body refused with 400 naming it, the seller's reads and edits refused to others (401) and cookie edits from another origin (403), and an edit or a priced restock appended as version 3 item commands.
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { itemSchema, itemsAddedMessageSchema, purchaseLookupSchema, salesSummarySchema, shopSchema, statsSchema, type Item } from '../contract';
import { createKafka } from '../kafka/client';
import { decodeMessage } from '../kafka/messages';
import { ensureTopics, topics } from '../kafka/topics';
import { limits } from '../limits';
import { pollUntil, startWebProcess, type WebProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
// A word only this run's items have in their titles, so searches see nothing of other runs.
const word = `zq${runId}`;
const seller = { authorization: `Bearer ${config.SELLER_TOKEN}` };
const json = { 'content-type': 'application/json' };
const database = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });

type Row = { itemId: string; description: string; available: number; unitPrice: number | null; archived: boolean };

// 30 items: titles in mixed case, equal prices and stocks (ties go by id), every fifth without a price, some sold
// out, two archived.
const rows: Row[] = Array.from({ length: 30 }, (_, index) => ({
  itemId: `shop-${runId}-${String(index).padStart(2, '0')}`,
  description: `${index % 2 === 0 ? 'Book' : 'book'} ${word} ${String.fromCharCode(97 + ((index * 7) % 26))}${index}`,
  available: index % 4 === 0 ? 0 : (index * 3) % 11,
  unitPrice: index % 5 === 0 ? null : 100 * ((index * 13) % 7),
  archived: index === 3 || index === 17,
}));

async function insertItems(items: readonly Row[]): Promise<void> {
  for (const item of items) {
    await database.query(
      `INSERT INTO items (item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived, updated_at)
       VALUES ($1, $2, $3, 0, $3, 0, 0, $4, $5, $6, now())`,
      [item.itemId, item.description, item.available, item.unitPrice, item.unitPrice === null ? null : 2, item.archived],
    );
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
// The API's order, written out independently: the key (unpriced last either way), then the id.
function expectedOrder(items: readonly Row[], sort: string): string[] {
  const descending = sort.startsWith('-');
  const field = sort.replace('-', '');
  const key = (row: Row): string | number | null => (field === 'title' ? row.description.toLowerCase() : field === 'price' ? row.unitPrice : field === 'available' ? row.available : null);
  return [...items]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
        return descending ? -order : order;
      }
      return compareText(a.itemId, b.itemId);
    })
    .map((row) => row.itemId);
}

function nextLink(response: Response): string | undefined {
  const link = response.headers.get('link');
  if (link === null) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match?.[1]) throw new Error(`malformed Link: ${link}`);
  return match[1];
}

let web: WebProcess;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.url}${path}`, { headers });

// Every page from the first, following Link; fails on a page over the limit or a loop.
async function allPages(first: string, headers: Record<string, string> = {}): Promise<{ pages: Item[][] }> {
  const pages: Item[][] = [];
  let path: string | undefined = first;
  while (path !== undefined) {
    const response = await get(path, headers);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    pages.push(itemSchema.array().parse(JSON.parse(text)));
    path = nextLink(response);
    if (pages.length > rows.length + 1) throw new Error('paging does not end');
  }
  return { pages };
}

type ErrorReply = { status: number; fields: string[] };
async function errorOf(response: Response): Promise<ErrorReply> {
  const text = await response.text();
  const body = JSON.parse(text) as { fields?: Record<string, string> };
  return { status: response.status, fields: Object.keys(body.fields ?? {}).sort() };
}

let admin: Admin;
let signedInCookie: string;

beforeAll(async () => {
  admin = createKafka(`bps-shop-api-test-${runId}`).admin();
  await admin.connect();
  await ensureTopics(admin);
  await insertItems(rows);
  web = await startWebProcess(3206);
  const signIn = await fetch(`${web.url}/api/session`, { method: 'POST', headers: { ...json, origin: web.url }, body: JSON.stringify({ password: config.SELLER_PASSWORD }) });
  expect(signIn.status).toBe(204);
  signedInCookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await web?.stop();
  await admin?.disconnect();
  await database.query('DELETE FROM items WHERE item_id LIKE $1', [`shop-${runId}-%`]);
  await database.query('DELETE FROM purchases WHERE purchase_id LIKE $1', [`shop-${runId}-%`]);
  await database.query('DELETE FROM holds WHERE hold_id LIKE $1', [`shop-${runId}-%`]);
  await database.query('DELETE FROM purchase_requests WHERE purchase_id LIKE $1', [`shop-${runId}-%`]);
  await database.end();
});

describe('GET /api/items: search, sort, filters and cursor paging', () => {
  const shown = rows.filter((row) => !row.archived);

  it.each(['id', 'title', '-title', 'price', '-price', 'available', '-available'])('sort=%s: every page in order, none twice, none missing, Link only while more follow', async (sort) => {
    const { pages } = await allPages(`/api/items?q=${word}&sort=${sort}&limit=7`);
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7].slice(0, Math.floor(shown.length / 7)).concat(shown.length % 7 === 0 ? [] : [shown.length % 7]));
    const listed = pages.flat().map((item) => item.itemId);
    expect(listed).toEqual(expectedOrder(shown, sort));
    expect(new Set(listed).size).toBe(shown.length);
  });

  it('puts unpriced items last in both price orders', async () => {
    for (const sort of ['price', '-price']) {
      const listed = (await allPages(`/api/items?q=${word}&sort=${sort}&limit=9`)).pages.flat();
      const firstUnpriced = listed.findIndex((item) => item.unitPrice === null);
      expect(firstUnpriced).toBeGreaterThan(0);
      expect(listed.slice(firstUnpriced).every((item) => item.unitPrice === null)).toBe(true);
    }
  });

  it('answers an exact last page without Link, and a page with everything at once', async () => {
    const exact = await get(`/api/items?q=${word}&limit=${shown.length}`);
    expect(exact.headers.get('link')).toBeNull();
    expect(((await exact.json()) as Item[]).length).toBe(shown.length);
    const short = await get(`/api/items?q=${word}&limit=${shown.length - 1}`);
    expect(nextLink(short)).toMatch(/^\/api\/items\?q=.*&limit=27&cursor=[A-Za-z0-9_-]+$/);
  });

  it('filters in stock, archived only or included for the seller, and carries the seller settings on every item', async () => {
    const inStock = (await allPages(`/api/items?q=${word}&inStock=true&sort=-available&limit=5`)).pages.flat();
    expect(inStock.map((item) => item.itemId)).toEqual(expectedOrder(shown.filter((row) => row.available > 0), '-available'));
    const archivedOnly = (await allPages(`/api/items?q=${word}&archived=only&limit=1`, seller)).pages.flat();
    expect(archivedOnly.map((item) => item.itemId)).toEqual([rows[3]?.itemId, rows[17]?.itemId]);
    expect(archivedOnly.every((item) => item.archived)).toBe(true);
    const everything = (await allPages(`/api/items?q=${word}&archived=include&sort=title&limit=8`, { cookie: signedInCookie })).pages.flat();
    expect(everything.map((item) => item.itemId)).toEqual(expectedOrder(rows, 'title'));
    const one = itemSchema.parse(await (await get(`/api/items/${rows[1]?.itemId}`)).json());
    expect(one).toMatchObject({ unitPrice: rows[1]?.unitPrice, lowStockThreshold: 2, archived: false });
  });

  it('keeps after for id order, and searches case-insensitively with %, _ and \\ taken literally', async () => {
    const after = (await (await get(`/api/items?q=${word}&after=${rows[25]?.itemId}`)).json()) as Item[];
    expect(after.map((item) => item.itemId)).toEqual(shown.filter((row) => row.itemId > (rows[25]?.itemId ?? '')).map((row) => row.itemId));
    const literal: Row[] = [
      { itemId: `shop-${runId}-lit-a`, description: `Sale ${word} 100%_sure \\ok`, available: 1, unitPrice: 1, archived: false },
      { itemId: `shop-${runId}-lit-b`, description: `Sale ${word} 100xxsure ok`, available: 1, unitPrice: 1, archived: false },
    ];
    await insertItems(literal);
    const found = async (q: string) => ((await (await get(`/api/items?q=${encodeURIComponent(q)}`)).json()) as Item[]).map((item) => item.itemId);
    expect(await found(`${word} 100%_`)).toEqual([literal[0]?.itemId]);
    expect(await found('%_sure \\OK')).toEqual([literal[0]?.itemId]);
    expect(await found(`SALE ${word.toUpperCase()}`)).toEqual(literal.map((row) => row.itemId));
    await database.query('DELETE FROM items WHERE item_id = ANY($1)', [literal.map((row) => row.itemId)]);
  });

  it('refuses a cursor tampered with, or reused with another search, sort or filter, naming cursor', async () => {
    const first = await get(`/api/items?q=${word}&sort=price&limit=5`);
    const next = nextLink(first) ?? '';
    const cursor = new URL(next, web.url).searchParams.get('cursor') ?? '';
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'AB' : 'AA'}`;
    for (const path of [
      `/api/items?q=${word}&sort=price&limit=5&cursor=${tampered}`,
      `/api/items?q=${word}x&sort=price&limit=5&cursor=${cursor}`,
      `/api/items?q=${word}&sort=-price&cursor=${cursor}`,
      `/api/items?q=${word}&sort=price&inStock=true&cursor=${cursor}`,
      `/api/items?sort=price&cursor=${cursor}`,
      '/api/items?cursor=bm90LWEtY3Vyc29y',
    ]) {
      expect(await errorOf(await get(path)), path).toEqual({ status: 400, fields: ['cursor'] });
    }
    expect((await get(next)).status).toBe(200);
  });

  it.each([
    ['q over itemSearchLengthMax', `q=${'x'.repeat(limits.itemSearchLengthMax + 1)}`, 'q'],
    ['q empty', 'q=', 'q'],
    ['q with a control character', 'q=a%01b', 'q'],
    ['q with a line feed', 'q=a%0Ab', 'q'],
    ['an unknown sort', 'sort=popularity', 'sort'],
    ['sort=-id', 'sort=-id', 'sort'],
    ['inStock=yes', 'inStock=yes', 'inStock'],
    ['archived=all', 'archived=all', 'archived'],
    ['a cursor over itemsCursorLengthMax', `cursor=${'a'.repeat(limits.itemsCursorLengthMax + 1)}`, 'cursor'],
    ['after with sort=title', 'after=a&sort=title', 'after'],
    ['an unknown parameter', 'page=2', 'page'],
    ['sort given twice', 'sort=id&sort=title', 'sort'],
  ])('400 for %s', async (_name, query, field) => {
    expect(await errorOf(await get(`/api/items?${query}`))).toEqual({ status: 400, fields: [field] });
  });

  it('401 for archived=include or only without the seller', async () => {
    for (const archived of ['include', 'only']) expect(await errorOf(await get(`/api/items?archived=${archived}`))).toEqual({ status: 401, fields: ['authorization'] });
    expect((await get('/api/items?archived=exclude')).status).toBe(200);
  });
});

// The next record appended to bps-items-added for this item, read by a consumer of its own.
async function appendedFor(itemId: string, consumer: Consumer): Promise<unknown> {
  const found: Buffer[] = [];
  await consumer.subscribe({ topics: [topics.itemsAdded], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() === itemId && message.value) found.push(message.value);
    },
  });
  await pollUntil(async () => found.length, (count) => count > 0, 20_000);
  const decoded = decodeMessage(itemsAddedMessageSchema, found[0] ?? null);
  return decoded.ok ? decoded.value : decoded.error;
}

async function inputEnd(): Promise<number> {
  return (await admin.fetchTopicOffsets(topics.itemsAdded)).reduce((total, partition) => total + Number(partition.high), 0);
}

describe('PATCH /api/items/{itemId} and a priced restock', () => {
  const path = () => `/api/items/${rows[1]?.itemId}`;
  const patch = (body: unknown, headers: Record<string, string> = seller, itemPath = path()) =>
    fetch(`${web.url}${itemPath}`, { method: 'PATCH', headers: { ...json, ...headers }, body: JSON.stringify(body) });

  it.each([
    ['no field', {}, ['body']],
    ['a negative price', { unitPrice: -1 }, ['unitPrice']],
    ['a price over unitPriceMax', { unitPrice: limits.unitPriceMax + 1 }, ['unitPrice']],
    ['a fractional price', { unitPrice: 9.99 }, ['unitPrice']],
    ['a price as a string', { unitPrice: '999' }, ['unitPrice']],
    ['an unknown field', { unitPrice: 5, price: 5 }, ['price']],
    ['a blank title', { description: '  ' }, ['description']],
    ['a threshold over lowStockThresholdMax', { lowStockThreshold: limits.lowStockThresholdMax + 1 }, ['lowStockThreshold']],
    ['archived as a string', { archived: 'yes' }, ['archived']],
  ])('400 for %s, appending nothing', async (_name, body, fields) => {
    const before = await inputEnd();
    expect(await errorOf(await patch(body))).toEqual({ status: 400, fields });
    expect(await inputEnd()).toBe(before);
  });

  it('401 without the seller, 403 for a cookie from another origin, 404 for an item never restocked, 405 naming PATCH in Allow', async () => {
    const before = await inputEnd();
    expect(await errorOf(await patch({ unitPrice: 5 }, {}))).toEqual({ status: 401, fields: ['authorization'] });
    expect(await errorOf(await patch({ unitPrice: 5 }, { cookie: signedInCookie, origin: 'https://elsewhere.example' }))).toEqual({ status: 403, fields: ['origin'] });
    expect(await errorOf(await patch({ unitPrice: 5 }, seller, `/api/items/shop-${runId}-never`))).toEqual({ status: 404, fields: ['itemId'] });
    expect(await errorOf(await patch({ unitPrice: 5 }, seller, '/api/items/a%20b'))).toEqual({ status: 400, fields: ['itemId'] });
    expect(await inputEnd()).toBe(before);
    const put = await fetch(`${web.url}${path()}`, { method: 'PUT', headers: seller });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PATCH');
  });

  it('appends a version 3 edit keyed by the item and answers 202 PENDING, from the seller cookie on its own origin too', async () => {
    const itemId = rows[1]?.itemId ?? '';
    const response = await patch({ unitPrice: 1999, lowStockThreshold: null, description: '  Renamed  ' }, { cookie: signedInCookie, origin: web.url });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ itemId, status: 'PENDING' });
    const consumer = createKafka(`bps-shop-api-edit-${runId}`).consumer({ groupId: `bps-shop-api-edit-${runId}` });
    await consumer.connect();
    try {
      expect(await appendedFor(itemId, consumer)).toEqual({
        schemaVersion: 3,
        kind: 'edit',
        itemId,
        changes: { unitPrice: 1999, lowStockThreshold: null, description: 'Renamed' },
        requestedAt: expect.any(String),
      });
    } finally {
      await consumer.disconnect();
    }
  });

  it('appends a restock with its unitPrice as a version 3 restock, and refuses a bad price', async () => {
    const itemId = `shop-${runId}-restocked`;
    const restock = (body: object) => fetch(`${web.url}/api/items`, { method: 'POST', headers: { ...json, ...seller }, body: JSON.stringify(body) });
    expect(await errorOf(await restock({ itemId, description: 'Priced', quantity: 2, unitPrice: -5 }))).toEqual({ status: 400, fields: ['unitPrice'] });
    expect(await errorOf(await restock({ itemId, description: 'Priced', quantity: 2, unitPrice: limits.unitPriceMax + 1 }))).toEqual({ status: 400, fields: ['unitPrice'] });
    expect((await restock({ itemId, description: 'Priced', quantity: 2, unitPrice: 1250 })).status).toBe(202);
    const consumer = createKafka(`bps-shop-api-restock-${runId}`).consumer({ groupId: `bps-shop-api-restock-${runId}` });
    await consumer.connect();
    try {
      expect(await appendedFor(itemId, consumer)).toEqual({ schemaVersion: 3, kind: 'restock', itemId, description: 'Priced', quantity: 2, unitPrice: 1250, addedAt: expect.any(String) });
    } finally {
      await consumer.disconnect();
    }
  });
});

describe('GET /api/purchases?ids=: "My purchases"', () => {
  const id = (name: string) => `shop-${runId}-${name}`;
  const at = new Date('2026-12-01T10:00:00.000Z');

  beforeAll(async () => {
    const request = `INSERT INTO purchase_requests (purchase_id, kind, item_id, quantity, purchased_by, created_at, expires_at) VALUES ($1, $2, 'book', 2, 'Ann', $3, $4)`;
    await database.query(request, [id('bought'), 'PURCHASE', at, null]);
    await database.query(request, [id('waiting'), 'PURCHASE', at, null]);
    await database.query(request, [id('held'), 'HOLD', at, new Date(at.getTime() + 600_000)]);
    await database.query(request, [id('hold-waiting'), 'HOLD', at, new Date(at.getTime() + 600_000)]);
    await database.query(
      `INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, remaining, decided_at, source_partition, source_offset, result_message, unit_price, total)
       VALUES ($1, 'book', 2, 'Ann', $2, 'SUCCEEDED', 3, $2, 0, 0, 'Ann bought 2', 500, 1000)`,
      [id('bought'), at],
    );
    await database.query(
      `INSERT INTO holds (hold_id, item_id, quantity, held_by, status, remaining, result_message, created_at, expires_at, decided_at, updated_at, source_partition, source_offset, unit_price)
       VALUES ($1, 'book', 2, 'Ann', 'HELD', 1, 'Ann holds 2', $2, $3, $2, $2, 0, 0, 700)`,
      [id('held'), at, new Date(at.getTime() + 600_000)],
    );
  });

  it('answers purchases and holds, decided or PENDING, in the order asked, once each, leaving unknown ids out', async () => {
    const ids = [id('held'), id('unknown'), id('waiting'), id('bought'), id('hold-waiting'), id('bought')];
    const response = await get(`/api/purchases?ids=${ids.join(',')}`);
    expect(response.status).toBe(200);
    const lookup = purchaseLookupSchema.parse(await response.json());
    expect(lookup.map((entry) => [entry.kind, entry.kind === 'hold' ? entry.hold.holdId : entry.purchase.purchaseId, entry.kind === 'hold' ? entry.hold.status : entry.purchase.status])).toEqual([
      ['hold', id('held'), 'HELD'],
      ['purchase', id('waiting'), 'PENDING'],
      ['purchase', id('bought'), 'SUCCEEDED'],
      ['hold', id('hold-waiting'), 'PENDING'],
    ]);
    expect(lookup[0]).toMatchObject({ hold: { unitPrice: 700 } });
    expect(lookup[2]).toMatchObject({ purchase: { unitPrice: 500, total: 1000 } });
    expect(await (await get(`/api/purchases/${id('bought')}`)).json()).toMatchObject({ unitPrice: 500, total: 1000 });
    expect(await (await get(`/api/purchases?ids=${id('nothing')}`)).json()).toEqual([]);
  });

  it.each([
    ['over purchaseLookupIdsMax ids', Array.from({ length: limits.purchaseLookupIdsMax + 1 }, (_, index) => `p${index}`).join(',')],
    ['an empty list', ''],
    ['an empty id', 'a,,b'],
    ['a trailing comma', 'a,'],
    ['a malformed id', 'a%20b'],
    ['an id over purchaseIdLengthMax', 'p'.repeat(limits.purchaseIdLengthMax + 1)],
  ])('400 naming ids for %s', async (_name, ids) => {
    const { status, fields } = await errorOf(await get(`/api/purchases?ids=${ids}`));
    expect(status).toBe(400);
    expect(fields.every((field) => field === 'ids' || field.startsWith('ids.')), fields.join()).toBe(true);
    expect(fields.length).toBeGreaterThan(0);
  });

  it('400 naming ids without them; exactly purchaseLookupIdsMax are fine', async () => {
    expect(await errorOf(await get('/api/purchases'))).toEqual({ status: 400, fields: ['ids'] });
    const most = Array.from({ length: limits.purchaseLookupIdsMax }, (_, index) => `p${index}`).join(',');
    expect((await get(`/api/purchases?ids=${most}`)).status).toBe(200);
  });
});

describe('GET /api/shop, /api/sales/summary and /api/stats', () => {
  it('names the currency and its minor digits', async () => {
    expect(shopSchema.parse(await (await get('/api/shop')).json())).toEqual({ currency: config.SHOP_CURRENCY, currencyMinorDigits: config.SHOP_CURRENCY === 'JPY' ? 0 : 2 });
  });

  const insertPurchase = (name: string, status: string, quantity: number, total: number | null, decidedAt = new Date()) =>
    database.query(
      `INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, reason, remaining, decided_at, source_partition, source_offset, result_message, unit_price, total, refunded_at)
       VALUES ($1, 'book', $2, 'Ann', $3, $4::purchase_status, $5::failure_reason, 0, $3, 0, 0, 'x', $6, $7, $8)`,
      [`shop-${runId}-${name}`, quantity, decidedAt, status, status === 'FAILED' ? 'OUT_OF_STOCK' : null, total === null ? null : total / quantity, total, status === 'REFUNDED' ? decidedAt : null],
    );

  it('sums revenue from the recorded totals: refunds count in the gross and the refunded figures; unpriced sales apart', async () => {
    expect(await errorOf(await get('/api/sales/summary'))).toEqual({ status: 401, fields: ['authorization'] });
    const read = async () => salesSummarySchema.parse(await (await get('/api/sales/summary', seller)).json());
    const before = await read();
    await insertPurchase('sold', 'SUCCEEDED', 2, 1000);
    await insertPurchase('refunded', 'REFUNDED', 1, 300);
    await insertPurchase('failed', 'FAILED', 4, null);
    await insertPurchase('unpriced', 'SUCCEEDED', 3, null);
    const after = await read();
    expect({
      grossRevenue: after.grossRevenue - before.grossRevenue,
      refundedRevenue: after.refundedRevenue - before.refundedRevenue,
      netRevenue: after.netRevenue - before.netRevenue,
      soldUnits: after.soldUnits - before.soldUnits,
      refundedUnits: after.refundedUnits - before.refundedUnits,
      unpricedSales: after.unpricedSales - before.unpricedSales,
    }).toEqual({ grossRevenue: 1300, refundedRevenue: 300, netRevenue: 1000, soldUnits: 6, refundedUnits: 1, unpricedSales: 1 });
    expect(after.currency).toBe(config.SHOP_CURRENCY);
  });

  it('answers each range with its buckets from the start of its window, counting only decisions inside it', async () => {
    const read = async (range: string) => statsSchema.parse(await (await get(`/api/stats?range=${range}`, seller)).json());
    const succeeded = (stats: { buckets: { succeeded: number }[] }) => stats.buckets.reduce((sum, bucket) => sum + bucket.succeeded, 0);
    const ranges = ['5m', '1h', '24h'] as const;
    const before = await Promise.all(ranges.map(read));
    const now = Date.now();
    await insertPurchase('stats-30s', 'SUCCEEDED', 1, 100, new Date(now - 30_000));
    await insertPurchase('stats-30m', 'SUCCEEDED', 1, 100, new Date(now - 30 * 60_000));
    await insertPurchase('stats-3h', 'REFUNDED', 1, 100, new Date(now - 3 * 3_600_000));
    await insertPurchase('stats-2d', 'SUCCEEDED', 1, 100, new Date(now - 48 * 3_600_000));
    const after = await Promise.all(ranges.map(read));
    expect(after.map((stats, index) => succeeded(stats) - succeeded(before[index] ?? stats))).toEqual([1, 2, 3]);
    for (const [index, stats] of after.entries()) {
      const range = ranges[index] ?? '5m';
      expect(stats.range).toBe(range);
      expect(stats.bucketSeconds).toBe(limits.statsRanges[range].bucketSeconds);
      expect(Math.abs(Date.parse(stats.from) - (Date.now() - limits.statsRanges[range].minutes * 60_000))).toBeLessThan(10_000);
      for (const bucket of stats.buckets) expect(Date.parse(bucket.startsAt) % (stats.bucketSeconds * 1000)).toBe(0);
    }
    expect((await read('5m')).range).toBe('5m');
    expect(statsSchema.parse(await (await get('/api/stats', seller)).json()).range).toBe('5m');
  });

  it('400 for an unknown range or the old minutes parameter, 401 without the seller', async () => {
    expect(await errorOf(await get('/api/stats?range=7d', seller))).toEqual({ status: 400, fields: ['range'] });
    expect(await errorOf(await get('/api/stats?minutes=5', seller))).toEqual({ status: 400, fields: ['minutes'] });
    expect(await errorOf(await get('/api/stats?range=1h'))).toEqual({ status: 401, fields: ['authorization'] });
  });
});
