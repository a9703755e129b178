// Goal: a restock sent again with the same restockId adds once, even when its event is appended twice; another body with that restockId gets 409 and appends nothing; a restock without restockId still adds every time.
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../audit/run-audit';
import { config } from '../config';
import { itemsAddedMessageSchema, itemsAddedSchemaVersion } from '../contract';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };
const admin = createKafka('bps-test-restock-idempotency').admin();

let web: WebProcess;
let worker: TestProcess;

type Answer = { status: number; body: Record<string, unknown> };

async function restock(body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Every record ever appended to bps-items-added: nothing else writes this test's topics while it runs.
async function itemsAddedAppended(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topics.itemsAdded);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

// The item's restocked total once the worker has applied every record appended so far (its stored offsets,
// written in the same transaction as the stock, reach the topic's ends).
async function restockedWhenApplied(itemId: string): Promise<number> {
  const appended = await itemsAddedAppended();
  await pollUntil(
    () => getPrisma().consumerOffset.aggregate({ _sum: { nextOffset: true }, where: { topic: topics.itemsAdded } }),
    (offsets) => Number(offsets._sum.nextOffset ?? 0) === appended,
    30_000,
  );
  const item = await getPrisma().item.findUnique({ where: { itemId } });
  return item?.restocked ?? 0;
}

beforeAll(async () => {
  await admin.connect();
  worker = await startWorkerProcess();
  web = await startWebProcess(3141);
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop(), admin.disconnect()]);
  await disconnectPrisma();
});

describe('idempotent restocks', () => {
  it('applies a restock retried with the same restockId and body once, though both requests appended it', async () => {
    const itemId = `restock-retry-${randomUUID()}`;
    const body = { restockId: randomUUID(), itemId, description: 'Retried restock', quantity: 5 };
    const before = await itemsAddedAppended();

    const first = await restock(body);
    const again = await restock(body);

    expect(first).toEqual({ status: 202, body: { itemId, quantity: 5 } });
    expect(again).toEqual(first);
    expect(await itemsAddedAppended()).toBe(before + 2);
    expect(await restockedWhenApplied(itemId)).toBe(5);
    expect(await getPrisma().restock.count({ where: { restockId: body.restockId } })).toBe(1);
  });

  it('applies concurrent identical restocks once, and answers each with the same generated itemId', async () => {
    const body = { restockId: randomUUID(), description: 'Concurrent new item', quantity: 4 };
    const before = await itemsAddedAppended();

    const answers = await Promise.all(Array.from({ length: 5 }, () => restock(body)));

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    const itemId = answers[0]?.body.itemId;
    expect(itemId).toMatch(/^item-/);
    expect(answers.every((answer) => answer.body.itemId === itemId && answer.body.quantity === 4)).toBe(true);
    expect(await itemsAddedAppended()).toBe(before + 5);
    expect(await restockedWhenApplied(String(itemId))).toBe(4);
  });

  it('answers 409 to another body with a used restockId and appends nothing', async () => {
    const itemId = `restock-conflict-${randomUUID()}`;
    const body = { restockId: randomUUID(), itemId, description: 'Conflicting restock', quantity: 2 };
    expect((await restock(body)).status).toBe(202);
    const before = await itemsAddedAppended();

    const others = [{ ...body, quantity: 3 }, { ...body, description: 'Another description' }, { ...body, itemId: `${itemId}-other` }, { ...body, unitPrice: 1_000 }, { restockId: body.restockId, description: body.description, quantity: 2 }];
    for (const other of others) {
      const answer = await restock(other);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ fields: { restockId: expect.any(String) } });
    }

    expect(await itemsAddedAppended()).toBe(before);
    expect(await restockedWhenApplied(itemId)).toBe(2);
  });

  it('adds every time without a restockId, as before', async () => {
    const itemId = `restock-plain-${randomUUID()}`;
    const body = { itemId, description: 'Plain restock', quantity: 3 };
    expect((await restock(body)).status).toBe(202);
    expect((await restock(body)).status).toBe(202);
    expect(await restockedWhenApplied(itemId)).toBe(6);
  });

  it('applies one restockId once when one send appends it twice around a version 1 record, and the auditor agrees', async () => {
    const itemId = `restock-batch-${randomUUID()}`;
    const restockId = randomUUID();
    const addedAt = new Date().toISOString();
    const producer = createKafka('bps-test-restock-twice').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const keyed = encodeMessage(itemsAddedMessageSchema, { schemaVersion: itemsAddedSchemaVersion, kind: 'restock', restockId, itemId, description: 'Twice in a batch', quantity: 7, addedAt });
      const versionOne = encodeMessage(itemsAddedMessageSchema, { schemaVersion: 1, itemId, description: 'Twice in a batch', quantity: 2, addedAt });
      await producer.send({ topic: topics.itemsAdded, acks: -1, messages: [keyed, versionOne, keyed].map((value) => ({ key: itemId, value })) });
    } finally {
      await producer.disconnect();
    }

    expect(await restockedWhenApplied(itemId)).toBe(9);
    const report = await runAudit({ itemIds: [itemId] });
    expect(report.violations).toEqual([]);
    expect(report.items.find((item) => item.itemId === itemId)).toMatchObject({ restocked: 9 });
  });
});
