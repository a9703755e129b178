// Goal: prices and edits end to end (web process, broker, worker, PostgreSQL): a purchase records the price of its decision and keeps it after the seller changes the price, a hold charges the price fixed when it was placed, an edit arrives in the item, and an archived item leaves the shop and fails ITEM_ARCHIVED. Needs the worker's side of issue 13 (branch sw).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import type { ConfirmResult, HoldResult, Item, PurchaseResult } from '../contract';
import { createKafka } from '../kafka/client';
import { ensureTopics } from '../kafka/topics';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
const seller = { authorization: `Bearer ${config.SELLER_TOKEN}`, 'content-type': 'application/json' };
let web: WebProcess;
let worker: TestProcess;

async function send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${web.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}
const item = (itemId: string) => send<Item>('GET', `/api/items/${itemId}`);
const itemWhen = (itemId: string, done: (item: Item) => boolean) =>
  pollUntil(async () => (await item(itemId)).body, (read) => read.itemId === itemId && done(read), 30_000);
const purchase = (itemId: string, quantity: number) =>
  send<PurchaseResult>('POST', '/api/purchases?wait=10000', { purchaseId: `shop-${runId}-${randomUUID()}`, itemId, quantity, purchasedBy: 'Ann' });

beforeAll(async () => {
  const admin = createKafka(`bps-shop-pipeline-${runId}`).admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  worker = await startWorkerProcess();
  web = await startWebProcess(3206);
});
afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
});

describe('prices and edits through the worker', () => {
  it('records each decision at its price, and an edit changes later decisions only', async () => {
    const itemId = `shop-${runId}-priced`;
    expect((await send('POST', '/api/items', { itemId, description: 'Dune', quantity: 10, unitPrice: 1250 }, seller)).status).toBe(202);
    await itemWhen(itemId, (read) => read.available === 10 && read.unitPrice === 1250);

    const first = await purchase(itemId, 2);
    expect(first.body).toMatchObject({ status: 'SUCCEEDED', unitPrice: 1250, total: 2500 });
    const held = await send<HoldResult>('POST', '/api/holds?wait=10000', { holdId: `shop-${runId}-hold`, itemId, quantity: 1, heldBy: 'Ann' });
    expect(held.body).toMatchObject({ status: 'HELD', unitPrice: 1250 });

    expect((await send('PATCH', `/api/items/${itemId}`, { unitPrice: 999, description: 'Dune (paperback)', lowStockThreshold: 3 }, seller)).status).toBe(202);
    await itemWhen(itemId, (read) => read.unitPrice === 999 && read.description === 'Dune (paperback)' && read.lowStockThreshold === 3);

    expect((await purchase(itemId, 1)).body).toMatchObject({ status: 'SUCCEEDED', unitPrice: 999, total: 999 });
    const confirmed = await send<ConfirmResult>('POST', `/api/holds/shop-${runId}-hold/confirm?wait=10000`);
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED', purchase: { unitPrice: 1250, total: 1250 } });
    const lookup = await send<unknown[]>('GET', `/api/purchases?ids=${first.body.purchaseId},shop-${runId}-hold`);
    expect(lookup.body).toMatchObject([{ kind: 'purchase', purchase: { unitPrice: 1250, total: 2500 } }, { kind: 'hold', hold: { status: 'CONFIRMED', unitPrice: 1250 } }]);
  });

  it('archives an item: gone from the shop, kept for the seller, purchases fail ITEM_ARCHIVED; unarchived it sells again', async () => {
    const itemId = `shop-${runId}-archived`;
    expect((await send('POST', '/api/items', { itemId, description: 'Archived', quantity: 3 }, seller)).status).toBe(202);
    await itemWhen(itemId, (read) => read.available === 3 && read.unitPrice === null);
    expect((await purchase(itemId, 1)).body).toMatchObject({ status: 'SUCCEEDED', unitPrice: null, total: null });

    expect((await send('PATCH', `/api/items/${itemId}`, { archived: true }, seller)).status).toBe(202);
    await itemWhen(itemId, (read) => read.archived);
    expect((await purchase(itemId, 1)).body).toMatchObject({ status: 'FAILED', reason: 'ITEM_ARCHIVED', total: null });
    const listed = async (query: string, headers?: Record<string, string>) => (await send<Item[]>('GET', `/api/items?q=Archived&${query}`, undefined, headers)).body.map((read) => read.itemId);
    expect(await listed('')).not.toContain(itemId);
    expect(await listed('archived=only', seller)).toContain(itemId);

    expect((await send('PATCH', `/api/items/${itemId}`, { archived: false }, seller)).status).toBe(202);
    await itemWhen(itemId, (read) => !read.archived);
    expect((await purchase(itemId, 1)).body).toMatchObject({ status: 'SUCCEEDED', remaining: 1 });
  });
});
