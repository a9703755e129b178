// Goal: a real worker decides version 3 item records (restocks with a price, seller's edits) from the real topics in log order with the purchases: each purchase keeps the price of its moment, a confirmed hold charges the price it fixed, an archived item fails ITEM_ARCHIVED, the items row and the pg_notify payload carry the settings, results re-published from the stored rows are identical, and old version 2 restocks still apply.
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  itemsAddedMessageSchema,
  itemsAddedSchemaVersion,
  purchaseCreatedMessageSchema,
  purchaseCreatedSchemaVersion,
  purchaseFinishedMessageSchema,
  stockChangedSchema,
  toFinishedResult,
  type FinishedResult,
  type ItemsAddedMessage,
  type PurchaseCreatedMessage,
  type StockChanged,
} from '../contract';
import { config } from '../config';
import { closePool, getPool } from '../db/pool';
import { stockChangedChannel } from '../db/stock-store';
import { createKafka } from '../kafka/client';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { pollUntil, startWorkerProcess, type TestProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
const appliedWithinMs = 20_000;

let worker: TestProcess;
let producer: Producer;
let listener: pg.Client;
// Every bps_stock_changed payload of this run's items, parsed strictly against the contract.
const notifications: StockChanged[] = [];
const malformedNotifications: string[] = [];

beforeAll(async () => {
  producer = createKafka(`bps-item-edits-test-${runId}`).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  listener = new pg.Client({ connectionString: config.DATABASE_URL });
  listener.on('notification', (notification) => {
    const payload = notification.payload ?? '';
    if (!payload.includes(runId)) return;
    const parsed = stockChangedSchema.safeParse(JSON.parse(payload));
    if (parsed.success) notifications.push(parsed.data);
    else malformedNotifications.push(payload);
  });
  await listener.connect();
  await listener.query(`LISTEN ${stockChangedChannel}`);
  worker = await startWorkerProcess();
}, 90_000);

afterAll(async () => {
  await Promise.all([worker?.stop(), producer?.disconnect(), listener?.end()]);
  await closePool();
});

const now = () => new Date().toISOString();

async function appendItemRecords(...messages: ItemsAddedMessage[]): Promise<void> {
  await producer.send({
    topic: topics.itemsAdded,
    acks: -1,
    messages: messages.map((message) => ({ key: message.itemId, value: encodeMessage(itemsAddedMessageSchema, message) })),
  });
}

async function appendCommands(...messages: PurchaseCreatedMessage[]): Promise<void> {
  await producer.send({
    topic: topics.purchaseCreated,
    acks: -1,
    messages: messages.map((message) => ({ key: message.itemId, value: encodeMessage(purchaseCreatedMessageSchema, message) })),
  });
}

const restock = (itemId: string, quantity: number, unitPrice?: number): ItemsAddedMessage => ({
  schemaVersion: itemsAddedSchemaVersion,
  kind: 'restock',
  itemId,
  description: `Edits ${itemId}`,
  quantity,
  addedAt: now(),
  ...(unitPrice === undefined ? {} : { unitPrice }),
});
type ItemChangesMessage = Extract<ItemsAddedMessage, { kind: 'edit' }>['changes'];
const edit = (itemId: string, changes: ItemChangesMessage): ItemsAddedMessage => ({ schemaVersion: itemsAddedSchemaVersion, kind: 'edit', itemId, changes, requestedAt: now() });
const v2 = { schemaVersion: purchaseCreatedSchemaVersion } as const;
const purchase = (purchaseId: string, itemId: string, quantity: number): PurchaseCreatedMessage => ({
  ...v2,
  kind: 'purchase',
  purchaseId,
  itemId,
  quantity,
  purchasedBy: 'buyer',
  createdAt: now(),
});

type ItemRow = { description: string; restocked: number; sold: number; available: number; held: number; unit_price: number | null; low_stock_threshold: number | null; archived: boolean };

async function readItem(itemId: string): Promise<ItemRow | undefined> {
  const { rows } = await getPool().query<ItemRow>(
    'SELECT description, restocked, sold, available, held, unit_price, low_stock_threshold, archived FROM items WHERE item_id = $1',
    [itemId],
  );
  return rows[0];
}

// Both input topics are consumed independently: a command that must follow an edit waits until the edit is applied.
const untilItem = (itemId: string, done: (item: ItemRow | undefined) => boolean) => pollUntil(() => readItem(itemId), done, appliedWithinMs);

async function outboxResults(itemId: string): Promise<FinishedResult[]> {
  const { rows } = await getPool().query<{ payload: unknown }>('SELECT payload FROM outbox WHERE key = $1 ORDER BY id', [itemId]);
  return rows.map((row) => toFinishedResult(purchaseFinishedMessageSchema.parse(row.payload)));
}

const untilResults = (itemId: string, count: number) => pollUntil(() => outboxResults(itemId), (results) => results.length >= count, appliedWithinMs);

async function purchaseRow(purchaseId: string) {
  const { rows } = await getPool().query<{ status: string; reason: string | null; unit_price: number | null; total: string | null }>(
    'SELECT status::text AS status, reason::text AS reason, unit_price, total FROM purchases WHERE purchase_id = $1',
    [purchaseId],
  );
  return rows[0];
}

describe('the worker with item edits and prices', () => {
  it('keeps each purchase at the price of its moment, and re-publishes a repeated one identically from the stored row', async () => {
    const itemId = `edits-${runId}-price`;
    await appendItemRecords(restock(itemId, 5, 1250));
    await untilItem(itemId, (item) => item?.restocked === 5);
    await appendCommands(purchase(`${itemId}-p1`, itemId, 2));
    await untilResults(itemId, 1);
    await appendItemRecords(edit(itemId, { unitPrice: 900 }));
    await untilItem(itemId, (item) => item?.unit_price === 900);
    await appendCommands(purchase(`${itemId}-p2`, itemId, 1), purchase(`${itemId}-p1`, itemId, 2));

    const results = await untilResults(itemId, 3);
    const prices = results.map(({ result }) => ('purchaseId' in result ? [result.purchaseId, result.status, result.unitPrice, result.total] : []));
    expect(prices).toEqual([
      [`${itemId}-p1`, 'SUCCEEDED', 1250, 2500],
      [`${itemId}-p2`, 'SUCCEEDED', 900, 900],
      [`${itemId}-p1`, 'SUCCEEDED', 1250, 2500],
    ]);
    expect(results[2]).toEqual(results[0]);
    expect(await purchaseRow(`${itemId}-p1`)).toEqual({ status: 'SUCCEEDED', reason: null, unit_price: 1250, total: '2500' });
    expect(await purchaseRow(`${itemId}-p2`)).toEqual({ status: 'SUCCEEDED', reason: null, unit_price: 900, total: '900' });
    expect(await readItem(itemId)).toMatchObject({ restocked: 5, sold: 3, available: 2, unit_price: 900 });
  });

  it('fails a purchase of an archived item ITEM_ARCHIVED, sells again once unarchived, and carries the settings in the row and the notification', async () => {
    const itemId = `edits-${runId}-archive`;
    // The longest title, of characters JSON and UTF-8 make expensive, must still fit pg_notify's payload.
    const title = `"€\\\t${'€'.repeat(limits.descriptionLengthMax - 4)}`;
    await appendItemRecords(restock(itemId, 3, 400), edit(itemId, { archived: true, lowStockThreshold: 2, description: title }));
    await untilItem(itemId, (item) => item?.archived === true);
    expect(await readItem(itemId)).toEqual({ description: title, restocked: 3, sold: 0, available: 3, held: 0, unit_price: 400, low_stock_threshold: 2, archived: true });
    await appendCommands(purchase(`${itemId}-p1`, itemId, 1));
    await untilResults(itemId, 1);
    await appendItemRecords(edit(itemId, { archived: false, lowStockThreshold: null }));
    await untilItem(itemId, (item) => item?.archived === false);
    await appendCommands(purchase(`${itemId}-p2`, itemId, 1));

    const results = await untilResults(itemId, 2);
    expect(results.map(({ result }) => [result.status, result.reason, result.remaining, result.unitPrice, 'total' in result ? result.total : undefined])).toEqual([
      ['FAILED', 'ITEM_ARCHIVED', 3, 400, null],
      ['SUCCEEDED', null, 2, 400, 400],
    ]);
    expect(await purchaseRow(`${itemId}-p1`)).toEqual({ status: 'FAILED', reason: 'ITEM_ARCHIVED', unit_price: 400, total: null });

    const ofItem = await pollUntil(async () => notifications.filter((change) => change.itemId === itemId), (changes) => changes.length >= 3, appliedWithinMs);
    expect(malformedNotifications).toEqual([]);
    expect(ofItem.at(-1)).toEqual({ itemId, description: title, restocked: 3, sold: 1, available: 2, held: 0, refunded: 0, unitPrice: 400, lowStockThreshold: null, archived: false, version: expect.any(Number) });
    expect(ofItem.some((change) => change.archived && change.lowStockThreshold === 2 && change.description === title && change.unitPrice === 400)).toBe(true);
  });

  it('charges a confirmed hold the price it fixed, though the price changed in between, and re-publishes the stored hold identically', async () => {
    const itemId = `edits-${runId}-hold`;
    const holdId = `${itemId}-h1`;
    await appendItemRecords(restock(itemId, 4, 700));
    await untilItem(itemId, (item) => item?.restocked === 4);
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    await appendCommands({ ...v2, kind: 'hold', holdId, itemId, quantity: 2, heldBy: 'holder', createdAt: now(), expiresAt });
    await untilResults(itemId, 1);
    await appendItemRecords(edit(itemId, { unitPrice: 9_999 }));
    await untilItem(itemId, (item) => item?.unit_price === 9_999);
    const confirm: PurchaseCreatedMessage = { ...v2, kind: 'confirm', holdId, itemId, requestedAt: now() };
    await appendCommands(confirm);
    await untilResults(itemId, 3);
    await appendCommands({ ...confirm, requestedAt: now() });

    const results = await untilResults(itemId, 4);
    expect(results.map(({ kind, result }) => [kind, result.status, result.unitPrice, 'total' in result ? result.total : undefined])).toEqual([
      ['hold', 'HELD', 700, undefined],
      ['hold', 'CONFIRMED', 700, undefined],
      ['purchase', 'SUCCEEDED', 700, 1400],
      ['hold', 'CONFIRMED', 700, undefined],
    ]);
    expect(results[3]).toEqual(results[1]);
    const { rows } = await getPool().query<{ unit_price: number | null }>('SELECT unit_price FROM holds WHERE hold_id = $1', [holdId]);
    expect(rows).toEqual([{ unit_price: 700 }]);
    expect(await purchaseRow(holdId)).toEqual({ status: 'SUCCEEDED', reason: null, unit_price: 700, total: '1400' });
  });

  it('applies an old version 2 restock, keeping the price, and writes nothing for an edit of an item never restocked', async () => {
    const itemId = `edits-${runId}-old`;
    const unknown = `edits-${runId}-unknown`;
    await appendItemRecords(restock(itemId, 1, 300), edit(unknown, { unitPrice: 5 }), { schemaVersion: 2, restockId: `${itemId}-r`, itemId, description: 'Old record', quantity: 2, addedAt: now() });
    await untilItem(itemId, (item) => item?.restocked === 3);
    expect(await readItem(itemId)).toMatchObject({ description: 'Old record', restocked: 3, available: 3, unit_price: 300, archived: false });
    expect(await readItem(unknown)).toBeUndefined();
    expect(worker.output()).toContain('edits of items never restocked changed nothing');
  });
});
