// Goal: the whole purchase pipeline against real Kafka and Postgres (web process → Kafka → worker →
// Postgres/outbox → Kafka → web): the race for the last units, idempotency, unknown items, blocking waits,
// malformed messages that must not stall a partition, and the live socket.io events.
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../audit/run-audit';
import { config } from '../config';
import { getPrisma, disconnectPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import type { PurchaseResult } from '../contract';
import { topics } from '../kafka/topics';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };
const jsonHeaders = { 'content-type': 'application/json' };

let web: WebProcess;
let worker: TestProcess;

async function restock(itemId: string, quantity: number, description = `Test item ${itemId}`) {
  const response = await fetch(`${web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId, description, quantity }) });
  expect(response.status).toBe(202);
}

async function itemAvailable(itemId: string, available: number) {
  await pollUntil(
    async () => (await fetch(`${web.url}/api/items/${itemId}`)).json() as Promise<{ available?: number }>,
    (item) => item.available === available,
    30_000,
  );
}

type Answer = { status: number; body: PurchaseResult & { status: string }; location: string | null };

async function purchase(body: Record<string, unknown>, waitMs: number): Promise<Answer> {
  const response = await fetch(`${web.url}/api/purchases?wait=${waitMs}`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'], location: response.headers.get('location') };
}

async function auditOf(itemIds: string[]) {
  // The audit compares the topics with Postgres; wait until the relay has published everything first.
  await pollUntil(
    () => getPrisma().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
      WHERE o.id > COALESCE(p.sent_up_to, 0) AND o.key = ANY(${itemIds}::text[])`,
    (rows) => rows[0]?.count === 0n,
    30_000,
  );
  return runAudit({ itemIds });
}

beforeAll(async () => {
  worker = await startWorkerProcess();
  // A thousand buyers wait at once from this one address: far past the per-client bound a real client has.
  web = await startWebProcess(3103, { CLIENT_WAITERS_MAX: '2000' });
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
  await disconnectPrisma();
});

describe('the purchase pipeline', () => {
  it('sells exactly the 37 units to 1,000 concurrent buyers, and every purchase gets exactly one result', async () => {
    const itemId = `race-${randomUUID()}`;
    await restock(itemId, 37);
    await itemAvailable(itemId, 37);

    const purchaseIds = Array.from({ length: 1000 }, () => randomUUID());
    const answers = await Promise.all(
      purchaseIds.map((purchaseId, index) => purchase({ purchaseId, itemId, quantity: 1, purchasedBy: `buyer-${index % 50}` }, 10_000)),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const succeeded = answers.filter((answer) => answer.body.status === 'SUCCEEDED');
    const failed = answers.filter((answer) => answer.body.status === 'FAILED');
    expect(succeeded).toHaveLength(37);
    expect(failed).toHaveLength(963);
    expect(failed.every((answer) => answer.body.reason === 'OUT_OF_STOCK' && answer.body.remaining === 0)).toBe(true);
    expect(new Set(succeeded.map((answer) => answer.body.remaining))).toEqual(new Set(Array.from({ length: 37 }, (_, index) => index)));
    expect(answers.map((answer) => answer.body.purchaseId).sort()).toEqual([...purchaseIds].sort());

    const stored = await getPrisma().purchase.groupBy({ by: ['status'], where: { itemId }, _count: { _all: true } });
    expect(Object.fromEntries(stored.map((row) => [row.status, row._count._all]))).toEqual({ SUCCEEDED: 37, FAILED: 963 });
    expect(await (await fetch(`${web.url}/api/items/${itemId}`)).json()).toMatchObject({ restocked: 37, sold: 37, available: 0 });

    const report = await auditOf([itemId]);
    expect(report.violations).toEqual([]);
    expect(report.items[0]).toMatchObject({ itemId, restocked: 37, succeededQuantity: 37, failedCount: 963 });
  });

  it('adds restocks instead of overwriting them', async () => {
    const itemId = `restock-${randomUUID()}`;
    await restock(itemId, 3);
    await restock(itemId, 2, 'Second edition');
    await itemAvailable(itemId, 5);
    expect(await (await fetch(`${web.url}/api/items/${itemId}`)).json()).toMatchObject({
      itemId,
      description: 'Second edition',
      restocked: 5,
      sold: 0,
      available: 5,
      held: 0,
      refunded: 0,
    });
  });

  it('turns 20 concurrent posts of one purchaseId into one purchase, and refuses another body with 409', async () => {
    const itemId = `idempotent-${randomUUID()}`;
    await restock(itemId, 10);
    await itemAvailable(itemId, 10);
    const purchaseId = randomUUID();
    const body = { purchaseId, itemId, quantity: 3, purchasedBy: 'repeat-buyer' };

    const answers = await Promise.all(Array.from({ length: 20 }, () => purchase(body, 10_000)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const first = answers[0]?.body;
    expect(first).toMatchObject({ purchaseId, status: 'SUCCEEDED', remaining: 7 });
    for (const answer of answers) expect(answer.body).toEqual(first);
    expect(await getPrisma().purchase.count({ where: { purchaseId } })).toBe(1);
    expect(await (await fetch(`${web.url}/api/items/${itemId}`)).json()).toMatchObject({ sold: 3, available: 7 });

    const again = await purchase(body, 0);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);

    const conflicting = await purchase({ ...body, quantity: 4 }, 0);
    expect(conflicting.status).toBe(409);
    expect(conflicting.body).toMatchObject({ fields: { purchaseId: expect.any(String) } });
    expect(await (await fetch(`${web.url}/api/items/${itemId}`)).json()).toMatchObject({ sold: 3, available: 7 });
  });

  it('fails a purchase of an unknown item with UNKNOWN_ITEM instead of leaving it hanging', async () => {
    const answer = await purchase({ itemId: `unknown-${randomUUID()}`, quantity: 1, purchasedBy: 'curious' }, 10_000);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'FAILED', reason: 'UNKNOWN_ITEM', remaining: 0 });
    expect(answer.body.resultMessage).toMatch(/no such item/);
  });

  it('answers a blocking call with the result, and one that times out with 202 and a Location that shows the result later', async () => {
    const itemId = `wait-${randomUUID()}`;
    await restock(itemId, 5);
    await itemAvailable(itemId, 5);
    const quick = await purchase({ itemId, quantity: 1, purchasedBy: 'patient' }, 5_000);
    expect(quick.status).toBe(200);
    expect(quick.body).toMatchObject({ status: 'SUCCEEDED', remaining: 4 });

    worker.signal('SIGSTOP');
    try {
      const slow = await purchase({ itemId, quantity: 2, purchasedBy: 'impatient' }, 300);
      expect(slow.status).toBe(202);
      expect(slow.body).toEqual({ purchaseId: expect.any(String), status: 'PENDING' });
      expect(slow.location).toBe(`/api/purchases/${slow.body.purchaseId}`);
      const pending = await (await fetch(`${web.url}${slow.location}`)).json();
      expect(pending).toMatchObject({ purchaseId: slow.body.purchaseId, status: 'PENDING', itemId, quantity: 2 });

      worker.signal('SIGCONT');
      const later = await pollUntil(
        async () => (await fetch(`${web.url}${slow.location}`)).json() as Promise<{ status: string; remaining?: number }>,
        (view) => view.status !== 'PENDING',
        30_000,
      );
      expect(later).toMatchObject({ status: 'SUCCEEDED', remaining: 2 });
    } finally {
      worker.signal('SIGCONT');
    }
  });

  it('skips a malformed message without stalling its partition', async () => {
    const itemId = `malformed-${randomUUID()}`;
    await restock(itemId, 1);
    await itemAvailable(itemId, 1);
    const producer = createKafka('bps-test-malformed').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // Same key, so the garbage lands in the item's partition just before a good purchase.
      await producer.send({
        topic: topics.purchaseCreated,
        acks: -1,
        messages: [
          { key: itemId, value: Buffer.from('{not json') },
          { key: itemId, value: Buffer.from(JSON.stringify({ schemaVersion: 1, purchaseId: 'x', itemId, quantity: -5 })) },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const answer = await purchase({ itemId, quantity: 1, purchasedBy: 'after-garbage' }, 10_000);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'SUCCEEDED', remaining: 0 });
    expect(worker.output()).toContain('record dead-lettered');
  });

  it('pushes purchase.finished and stock.changed to socket.io clients, everyone and item rooms alike', async () => {
    const itemId = `live-${randomUUID()}`;
    const everyone: Socket = connectSocket(web.url, { transports: ['websocket'] });
    const roomOnly: Socket = connectSocket(web.url, { transports: ['websocket'], query: { scope: 'items' } });
    const seen = { everyoneResults: [] as PurchaseResult[], roomResults: [] as PurchaseResult[], stock: [] as { itemId: string; available: number }[] };
    everyone.on('purchase.finished', (result: PurchaseResult) => result.itemId === itemId && seen.everyoneResults.push(result));
    everyone.on('stock.changed', (change: { itemId: string; available: number }) => change.itemId === itemId && seen.stock.push(change));
    roomOnly.on('purchase.finished', (result: PurchaseResult) => seen.roomResults.push(result));
    try {
      await Promise.all([everyone, roomOnly].map((socket) => new Promise((resolve) => socket.once('connect', () => resolve(undefined)))));
      roomOnly.emit('items.subscribe', [itemId]);
      await restock(itemId, 2);
      await itemAvailable(itemId, 2);
      const answer = await purchase({ itemId, quantity: 2, purchasedBy: 'watcher' }, 10_000);
      expect(answer.body.status).toBe('SUCCEEDED');
      await pollUntil(async () => seen, (value) => value.everyoneResults.length > 0 && value.roomResults.length > 0 && value.stock.some((change) => change.available === 0), 10_000);
      // Live results carry their outbox position, from which a feed resumes after a disconnect.
      const live = { ...answer.body, position: { partition: expect.any(Number), sequence: expect.any(Number) } };
      expect(seen.everyoneResults).toEqual([live]);
      // The room-only socket hears only its item, and each result once.
      expect(seen.roomResults).toEqual([live]);
      expect(seen.stock.map((change) => change.available)).toEqual([2, 0]);
    } finally {
      everyone.close();
      roomOnly.close();
    }
  });
});
