// Goal: every malformed request to the real web process is refused with the exact status and the offending field named, and none of them (nor a confirm, cancel or refund of an unknown id) appends an event or records a purchase or hold.
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { getPrisma, disconnectPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { ensureTopics, topics } from '../kafka/topics';
import { limits } from '../limits';
import { startWebProcess, type WebProcess } from '../testing/processes';

type Bytes = Uint8Array<ArrayBuffer>;
type Body = string | Bytes | { stream: Bytes };
type Case = {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Body;
  status: 400 | 401 | 404 | 413 | 415;
  fields: string[];
};

const runId = randomUUID().slice(0, 8);
const sellerToken = config.SELLER_TOKEN;
const sellerHeaders = { authorization: `Bearer ${sellerToken}`, 'content-type': 'application/json' };
// Wrong whatever the configured token is: same length, last character changed, so the whole token is compared.
const wrongToken = `${sellerToken.slice(0, -1)}${sellerToken.endsWith('x') ? 'y' : 'x'}`;
const jsonHeaders = { 'content-type': 'application/json' };

// Each purchase case gets a purchaseId of its own, so that "nothing was recorded" can be checked per case.
const purchaseIds: string[] = [];
function nextPurchaseId(): string {
  const purchaseId = `bad-input-${runId}-${purchaseIds.length}`;
  purchaseIds.push(purchaseId);
  return purchaseId;
}
// purchasedBy carries the run too, for the cases without a usable purchaseId (the API would invent one).
const buyer = `bad-input-${runId}`;

const validRestock = () => ({ itemId: `bad-input-${runId}`, description: 'A book that must never be restocked', quantity: 3 });
const validPurchase = () => ({ purchaseId: nextPurchaseId(), itemId: `bad-input-${runId}`, quantity: 1, purchasedBy: buyer });

function restock(name: string, body: Body | object, status: Case['status'], fields: string[], headers: Record<string, string> = sellerHeaders): Case {
  return { name: `POST /api/items ${name}`, path: '/api/items', headers, body: encode(body), status, fields };
}
function purchase(name: string, body: Body | object, status: Case['status'], fields: string[], query = '', headers: Record<string, string> = jsonHeaders): Case {
  return { name: `POST /api/purchases${query} ${name}`, path: `/api/purchases${query}`, headers, body: encode(body), status, fields };
}
const validHold = () => ({ holdId: nextPurchaseId(), itemId: `bad-input-${runId}`, quantity: 1, heldBy: buyer });
function hold(name: string, body: Body | object, status: Case['status'], fields: string[], query = '', headers: Record<string, string> = jsonHeaders): Case {
  return { name: `POST /api/holds${query} ${name}`, path: `/api/holds${query}`, headers, body: encode(body), status, fields };
}
// POST without a body: confirm, cancel and refund name everything in their path and query.
function step(path: string, status: Case['status'], fields: string[], headers: Record<string, string> = {}): Case {
  return { name: `POST ${path}`, path, headers, status, fields };
}
function encode(body: Body | object): Body {
  if (typeof body === 'string' || body instanceof Uint8Array || 'stream' in body) return body as Body;
  return JSON.stringify(body);
}
function without<T extends object>(value: T, key: keyof T): Partial<T> {
  const { [key]: _removed, ...rest } = value;
  return rest as Partial<T>;
}
// A restock body of exactly `bytes` bytes whose description is too long (so only the size decides 413 or 400).
function restockOfBytes(bytes: number): string {
  const empty = JSON.stringify({ ...validRestock(), description: '' });
  return JSON.stringify({ ...validRestock(), description: 'x'.repeat(bytes - empty.length) });
}

const cases: Case[] = [
  // Restock: the body's types, ranges and shape.
  restock('quantity as a string', { ...validRestock(), quantity: '3' }, 400, ['quantity']),
  restock('quantity 0', { ...validRestock(), quantity: 0 }, 400, ['quantity']),
  restock('quantity -1', { ...validRestock(), quantity: -1 }, 400, ['quantity']),
  restock('quantity 1.5', { ...validRestock(), quantity: 1.5 }, 400, ['quantity']),
  restock('quantity 1e9', { ...validRestock(), quantity: 1e9 }, 400, ['quantity']),
  restock('quantity quantityMax + 1', { ...validRestock(), quantity: limits.quantityMax + 1 }, 400, ['quantity']),
  restock('quantity "NaN"', { ...validRestock(), quantity: 'NaN' }, 400, ['quantity']),
  restock('quantity 1e400 (Infinity after JSON.parse)', `{"description":"x","quantity":1e400}`, 400, ['quantity']),
  restock('quantity NaN literal (not JSON)', `{"description":"x","quantity":NaN}`, 400, ['body']),
  restock('description []', { ...validRestock(), description: [] }, 400, ['description']),
  restock('description only whitespace', { ...validRestock(), description: ' \t\n ' }, 400, ['description']),
  restock('description over 500 characters', { ...validRestock(), description: 'x'.repeat(limits.descriptionLengthMax + 1) }, 400, ['description']),
  restock('without description', without(validRestock(), 'description'), 400, ['description']),
  restock('without quantity', without(validRestock(), 'quantity'), 400, ['quantity']),
  restock('empty object', {}, 400, ['description', 'quantity']),
  restock('itemId as a number', { ...validRestock(), itemId: 5 }, 400, ['itemId']),
  restock('itemId of 65 characters', { ...validRestock(), itemId: 'a'.repeat(limits.itemIdLengthMax + 1) }, 400, ['itemId']),
  restock('itemId ""', { ...validRestock(), itemId: '' }, 400, ['itemId']),
  restock('itemId "a b"', { ...validRestock(), itemId: 'a b' }, 400, ['itemId']),
  restock('itemId "x/y"', { ...validRestock(), itemId: 'x/y' }, 400, ['itemId']),
  restock('itemId "ü"', { ...validRestock(), itemId: 'ü' }, 400, ['itemId']),
  restock('itemId "../etc"', { ...validRestock(), itemId: '../etc' }, 400, ['itemId']),
  restock('unknown field', { ...validRestock(), price: 10 }, 400, ['price']),
  restock('unknown field "__proto__"', `{"description":"x","quantity":1,"__proto__":{"admin":true}}`, 400, ['__proto__']),
  // Restock: what the body is.
  restock('JSON array body', [validRestock()], 400, ['body']),
  restock('JSON number body', '42', 400, ['body']),
  restock('JSON string body', '"restock"', 400, ['body']),
  restock('null body', 'null', 400, ['body']),
  restock('non-JSON text', 'description=x&quantity=1', 400, ['body']),
  restock('empty body', '', 400, ['body']),
  restock('body of exactly requestBodyBytesMax bytes (parsed, too long a description)', restockOfBytes(limits.requestBodyBytesMax), 400, ['description']),
  restock('body of requestBodyBytesMax + 1 bytes', restockOfBytes(limits.requestBodyBytesMax + 1), 413, ['body']),
  restock('streamed body over requestBodyBytesMax (no content-length)', { stream: new TextEncoder().encode(restockOfBytes(2 * limits.requestBodyBytesMax)) }, 413, ['body']),
  restock('content-type text/plain', JSON.stringify(validRestock()), 415, ['content-type'], { ...sellerHeaders, 'content-type': 'text/plain' }),
  restock('content-type application/jsonp', JSON.stringify(validRestock()), 415, ['content-type'], { ...sellerHeaders, 'content-type': 'application/jsonp' }),
  restock('no content-type', new TextEncoder().encode(JSON.stringify(validRestock())), 415, ['content-type'], { authorization: sellerHeaders.authorization }),
  // Restock: the seller token, checked before the body.
  restock('without a token', validRestock(), 401, ['authorization'], jsonHeaders),
  restock('with a wrong token', validRestock(), 401, ['authorization'], { ...jsonHeaders, authorization: `Bearer ${wrongToken}` }),
  restock('with the token in the Basic scheme', validRestock(), 401, ['authorization'], { ...jsonHeaders, authorization: `Basic ${sellerToken}` }),
  restock('with the token and no scheme', validRestock(), 401, ['authorization'], { ...jsonHeaders, authorization: sellerToken }),
  restock('with "Bearer" and no token', validRestock(), 401, ['authorization'], { ...jsonHeaders, authorization: 'Bearer ' }),
  restock('with the token followed by more', validRestock(), 401, ['authorization'], { ...jsonHeaders, authorization: `Bearer ${sellerToken} extra` }),
  restock('without a token and with a bad body', { quantity: 'lots' }, 401, ['authorization'], jsonHeaders),

  // Purchase: the body's types, ranges and shape.
  purchase('quantity as a string', { ...validPurchase(), quantity: '3' }, 400, ['quantity']),
  purchase('quantity 0', { ...validPurchase(), quantity: 0 }, 400, ['quantity']),
  purchase('quantity -1', { ...validPurchase(), quantity: -1 }, 400, ['quantity']),
  purchase('quantity 1.5', { ...validPurchase(), quantity: 1.5 }, 400, ['quantity']),
  purchase('quantity 1e9', { ...validPurchase(), quantity: 1e9 }, 400, ['quantity']),
  purchase('quantity quantityMax + 1', { ...validPurchase(), quantity: limits.quantityMax + 1 }, 400, ['quantity']),
  purchase('quantity "Infinity"', { ...validPurchase(), quantity: 'Infinity' }, 400, ['quantity']),
  purchase('quantity "NaN"', { ...validPurchase(), quantity: 'NaN' }, 400, ['quantity']),
  purchase('itemId as a number', { ...validPurchase(), itemId: 5 }, 400, ['itemId']),
  purchase('itemId of 65 characters', { ...validPurchase(), itemId: 'a'.repeat(limits.itemIdLengthMax + 1) }, 400, ['itemId']),
  purchase('itemId ""', { ...validPurchase(), itemId: '' }, 400, ['itemId']),
  purchase('itemId "a b"', { ...validPurchase(), itemId: 'a b' }, 400, ['itemId']),
  purchase('itemId "x/y"', { ...validPurchase(), itemId: 'x/y' }, 400, ['itemId']),
  purchase('itemId "ü"', { ...validPurchase(), itemId: 'ü' }, 400, ['itemId']),
  purchase('itemId "../etc"', { ...validPurchase(), itemId: '../etc' }, 400, ['itemId']),
  purchase('purchasedBy null', { ...validPurchase(), purchasedBy: null }, 400, ['purchasedBy']),
  purchase('purchasedBy of 101 characters', { ...validPurchase(), purchasedBy: 'b'.repeat(limits.purchasedByLengthMax + 1) }, 400, ['purchasedBy']),
  purchase('purchasedBy only whitespace', { ...validPurchase(), purchasedBy: ' \t ' }, 400, ['purchasedBy']),
  purchase('purchaseId "a b"', { ...validPurchase(), purchaseId: 'a b' }, 400, ['purchaseId']),
  purchase('purchaseId of 65 characters', { ...validPurchase(), purchaseId: 'p'.repeat(limits.purchaseIdLengthMax + 1) }, 400, ['purchaseId']),
  purchase('purchaseId as a number', { ...validPurchase(), purchaseId: 7 }, 400, ['purchaseId']),
  purchase('without itemId', without(validPurchase(), 'itemId'), 400, ['itemId']),
  purchase('without quantity', without(validPurchase(), 'quantity'), 400, ['quantity']),
  purchase('without purchasedBy', without(validPurchase(), 'purchasedBy'), 400, ['purchasedBy']),
  purchase('with only a purchaseId', { purchaseId: nextPurchaseId() }, 400, ['itemId', 'purchasedBy', 'quantity']),
  purchase('unknown fields', { ...validPurchase(), coupon: 'FREE', status: 'SUCCEEDED' }, 400, ['coupon', 'status']),
  // Purchase: what the body is.
  purchase('JSON array body', [validPurchase()], 400, ['body']),
  purchase('JSON number body', '1', 400, ['body']),
  purchase('null body', 'null', 400, ['body']),
  purchase('non-JSON text', `{"purchaseId":"${nextPurchaseId()}",`, 400, ['body']),
  purchase('empty body', '', 400, ['body']),
  purchase('body over requestBodyBytesMax', { ...validPurchase(), purchasedBy: 'b'.repeat(limits.requestBodyBytesMax) }, 413, ['body']),
  purchase('content-type text/plain', validPurchase(), 415, ['content-type'], '', { 'content-type': 'text/plain' }),
  purchase('no content-type', new TextEncoder().encode(JSON.stringify(validPurchase())), 415, ['content-type'], '', {}),
  // Purchase: ?wait=, checked before the body (so these bodies are valid).
  purchase('wait -1', validPurchase(), 400, ['wait'], '?wait=-1'),
  purchase('wait 10001', validPurchase(), 400, ['wait'], `?wait=${limits.purchaseWaitMsMax + 1}`),
  purchase('wait "abc"', validPurchase(), 400, ['wait'], '?wait=abc'),
  purchase('wait "1.5"', validPurchase(), 400, ['wait'], '?wait=1.5'),
  purchase('wait ""', validPurchase(), 400, ['wait'], '?wait='),
  purchase('wait "1e3"', validPurchase(), 400, ['wait'], '?wait=1e3'),

  // Hold: the body's types, ranges and shape, as for purchases, and its ttl.
  hold('ttlSeconds 0', { ...validHold(), ttlSeconds: 0 }, 400, ['ttlSeconds']),
  hold('ttlSeconds holdTtlSecondsMax + 1', { ...validHold(), ttlSeconds: limits.holdTtlSecondsMax + 1 }, 400, ['ttlSeconds']),
  hold('ttlSeconds 1.5', { ...validHold(), ttlSeconds: 1.5 }, 400, ['ttlSeconds']),
  hold('ttlSeconds as a string', { ...validHold(), ttlSeconds: '60' }, 400, ['ttlSeconds']),
  hold('ttlSeconds -1', { ...validHold(), ttlSeconds: -1 }, 400, ['ttlSeconds']),
  hold('quantity 0', { ...validHold(), quantity: 0 }, 400, ['quantity']),
  hold('quantity quantityMax + 1', { ...validHold(), quantity: limits.quantityMax + 1 }, 400, ['quantity']),
  hold('quantity 1.5', { ...validHold(), quantity: 1.5 }, 400, ['quantity']),
  hold('holdId "a b"', { ...validHold(), holdId: 'a b' }, 400, ['holdId']),
  hold('holdId of 65 characters', { ...validHold(), holdId: 'h'.repeat(limits.purchaseIdLengthMax + 1) }, 400, ['holdId']),
  hold('holdId as a number', { ...validHold(), holdId: 7 }, 400, ['holdId']),
  hold('itemId "x/y"', { ...validHold(), itemId: 'x/y' }, 400, ['itemId']),
  hold('heldBy only whitespace', { ...validHold(), heldBy: ' \t ' }, 400, ['heldBy']),
  hold('heldBy with a NUL', { ...validHold(), heldBy: 'Ann\u0000' }, 400, ['heldBy']),
  hold('without heldBy', without(validHold(), 'heldBy'), 400, ['heldBy']),
  hold('with only a holdId', { holdId: nextPurchaseId() }, 400, ['heldBy', 'itemId', 'quantity']),
  hold("a purchase's body (purchasedBy is unknown here)", { ...without(validHold(), 'heldBy'), purchasedBy: buyer }, 400, ['heldBy', 'purchasedBy']),
  hold('unknown fields', { ...validHold(), status: 'HELD', expiresAt: '2030-01-01T00:00:00Z' }, 400, ['expiresAt', 'status']),
  hold('JSON array body', [validHold()], 400, ['body']),
  hold('empty body', '', 400, ['body']),
  hold('body over requestBodyBytesMax', { ...validHold(), heldBy: 'b'.repeat(limits.requestBodyBytesMax) }, 413, ['body']),
  hold('content-type text/plain', validHold(), 415, ['content-type'], '', { 'content-type': 'text/plain' }),
  hold('wait -1', validHold(), 400, ['wait'], '?wait=-1'),
  hold('wait purchaseWaitMsMax + 1', validHold(), 400, ['wait'], `?wait=${limits.purchaseWaitMsMax + 1}`),
  hold('wait "abc"', validHold(), 400, ['wait'], '?wait=abc'),
  // Confirm, cancel: the holdId in the path and ?wait=; an unknown hold is 404 and nothing is appended.
  step('/api/holds/a%20b/confirm', 400, ['holdId']),
  step(`/api/holds/${'h'.repeat(limits.purchaseIdLengthMax + 1)}/confirm`, 400, ['holdId']),
  step(`/api/holds/no-such-hold-${runId}/confirm?wait=abc`, 400, ['wait']),
  step(`/api/holds/no-such-hold-${runId}/confirm?wait=${limits.purchaseWaitMsMax + 1}`, 400, ['wait']),
  step(`/api/holds/no-such-hold-${runId}/confirm?hurry=1`, 400, ['hurry']),
  step(`/api/holds/no-such-hold-${runId}/confirm`, 404, ['holdId']),
  step(`/api/holds/no-such-hold-${runId}/confirm?wait=200`, 404, ['holdId']),
  step('/api/holds/a%20b/cancel', 400, ['holdId']),
  step(`/api/holds/no-such-hold-${runId}/cancel?wait=-1`, 400, ['wait']),
  step(`/api/holds/no-such-hold-${runId}/cancel`, 404, ['holdId']),
  // Refund: the seller first, then the purchaseId and ?wait=; an unknown purchase is 404 and nothing is appended.
  step(`/api/purchases/no-such-purchase-${runId}/refund`, 401, ['authorization']),
  step(`/api/purchases/no-such-purchase-${runId}/refund`, 401, ['authorization'], { authorization: `Bearer ${wrongToken}` }),
  step('/api/purchases/a%20b/refund', 401, ['authorization']),
  step('/api/purchases/a%20b/refund', 400, ['purchaseId'], { authorization: sellerHeaders.authorization }),
  step(`/api/purchases/no-such-purchase-${runId}/refund?wait=abc`, 400, ['wait'], { authorization: sellerHeaders.authorization }),
  step(`/api/purchases/no-such-purchase-${runId}/refund`, 404, ['purchaseId'], { authorization: sellerHeaders.authorization }),
  step(`/api/purchases/no-such-purchase-${runId}/refund?wait=200`, 404, ['purchaseId'], { authorization: sellerHeaders.authorization }),

  // Reads.
  { name: 'GET a hold by a malformed id', method: 'GET', path: '/api/holds/a%20b', status: 400, fields: ['holdId'] },
  { name: 'GET an unknown hold', method: 'GET', path: `/api/holds/no-such-hold-${runId}`, status: 404, fields: ['holdId'] },
  { name: 'GET /api/sales without a token', method: 'GET', path: '/api/sales', status: 401, fields: ['authorization'] },
  { name: 'GET /api/sales?limit=0', method: 'GET', path: '/api/sales?limit=0', headers: { authorization: sellerHeaders.authorization }, status: 400, fields: ['limit'] },
  { name: 'GET /api/sales?limit=salesListedMax + 1', method: 'GET', path: `/api/sales?limit=${limits.salesListedMax + 1}`, headers: { authorization: sellerHeaders.authorization }, status: 400, fields: ['limit'] },
  { name: 'GET an unknown item', method: 'GET', path: `/api/items/no-such-item-${runId}`, status: 404, fields: ['itemId'] },
  { name: 'GET an item by a malformed id', method: 'GET', path: `/api/items/${'x'.repeat(65)}`, status: 400, fields: ['itemId'] },
  { name: 'GET a purchase by a malformed id', method: 'GET', path: '/api/purchases/a%20b', status: 400, fields: ['purchaseId'] },
  { name: 'GET an unknown purchase', method: 'GET', path: `/api/purchases/no-such-purchase-${runId}`, status: 404, fields: ['purchaseId'] },
  { name: 'GET /api/items?limit=0', method: 'GET', path: '/api/items?limit=0', status: 400, fields: ['limit'] },
  { name: 'GET /api/items?limit=itemsPageSizeMax + 1', method: 'GET', path: `/api/items?limit=${limits.itemsPageSizeMax + 1}`, status: 400, fields: ['limit'] },
  { name: 'GET /api/items?limit=ten', method: 'GET', path: '/api/items?limit=ten', status: 400, fields: ['limit'] },
  { name: 'GET /api/items?after=a%20b', method: 'GET', path: '/api/items?after=a%20b', status: 400, fields: ['after'] },
];

function requestInit(testCase: Case): RequestInit {
  const init: RequestInit = { method: testCase.method ?? 'POST', headers: testCase.headers ?? {} };
  const body = testCase.body;
  if (body === undefined) return init;
  if (typeof body === 'string' || body instanceof Uint8Array) return { ...init, body };
  // A stream is sent chunked, without content-length, so the server must count the bytes itself.
  // Node's fetch needs duplex: 'half' for a stream body; the DOM typings do not know the option yet.
  const streamed: RequestInit & { duplex: 'half' } = {
    ...init,
    duplex: 'half',
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.stream);
        controller.close();
      },
    }),
  };
  return streamed;
}

// Per topic and partition, so that a failure shows where an event appeared; equal maps mean equal sums.
async function inputHighWatermarks(admin: Admin): Promise<Record<string, number>> {
  const watermarks: Record<string, number> = {};
  for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
    for (const partition of await admin.fetchTopicOffsets(topic)) watermarks[`${topic}:${partition.partition}`] = Number(partition.high);
  }
  return watermarks;
}

const sum = (watermarks: Record<string, number>) => Object.values(watermarks).reduce((total, high) => total + high, 0);

describe('bad input to the REST API', () => {
  let web: WebProcess;
  const admin = createKafka(`bps-bad-input-test-${runId}`).admin();
  let watermarksBefore: Record<string, number>;

  beforeAll(async () => {
    await admin.connect();
    await ensureTopics(admin);
    web = await startWebProcess(3104);
    watermarksBefore = await inputHighWatermarks(admin);
  });
  afterAll(async () => {
    await web?.stop();
    await admin.disconnect();
    await disconnectPrisma();
  });

  it('has every purchase case on a purchaseId of its own', () => {
    expect(new Set(purchaseIds).size).toBe(purchaseIds.length);
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(cases)('$name → $status naming $fields', async (testCase) => {
    const response = await fetch(`${web.url}${testCase.path}`, requestInit(testCase));
    const text = await response.text();
    expect(response.status, text).toBe(testCase.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error?: unknown; fields?: Record<string, unknown> };
    expect(typeof body.error).toBe('string');
    expect(Object.keys(body.fields ?? {}).sort(), text).toEqual([...testCase.fields].sort());
    for (const message of Object.values(body.fields ?? {})) expect(typeof message).toBe('string');
    if (testCase.status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('appended no event and recorded no purchase request for any of them', async () => {
    // No worker runs here and integration test files run one at a time, so nothing else appends to these
    // topics meanwhile: any new offset was appended by one of the cases above.
    const watermarksAfter = await inputHighWatermarks(admin);
    expect(sum(watermarksAfter), JSON.stringify({ before: watermarksBefore, after: watermarksAfter })).toBe(sum(watermarksBefore));
    expect(watermarksAfter).toEqual(watermarksBefore);
    const recorded = await getPrisma().purchaseRequest.findMany({
      where: { OR: [{ purchaseId: { in: purchaseIds } }, { purchasedBy: buyer }, { itemId: `bad-input-${runId}` }] },
    });
    expect(recorded).toEqual([]);
  });
});
