// Goal: against the real broker and Postgres, the auditor finds a consistent item clean and an oversold one
// named, both in-process (runAudit) and through `tsx scripts/audit.ts`, whose exit code says which.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { itemsAddedMessageSchema, purchaseFinishedMessageSchema, type PurchaseFinishedMessage } from '../contract';
import { encodeMessage } from '../kafka/messages';
import { ensureTopics, topics } from '../kafka/topics';
import { runAudit } from './run-audit';

const kafka = createKafka('bps-test-audit');
let producer: Producer;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin);
  } finally {
    await admin.disconnect();
  }
  producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
});

// The topics cannot forget these items, so their database rows stay too: deleting them would make a later
// audit of the whole test database report them as missing.
afterAll(async () => {
  await producer.disconnect();
  await disconnectPrisma();
});

type Sale = { purchaseId: string; quantity: number; remaining: number; status: 'SUCCEEDED' | 'OUT_OF_STOCK' };

function finished(itemId: string, sale: Sale): PurchaseFinishedMessage {
  const fields = {
    schemaVersion: 1 as const,
    purchaseId: sale.purchaseId,
    itemId,
    quantity: sale.quantity,
    purchasedBy: 'audit-test',
    remaining: sale.remaining,
    resultMessage: `audit test ${sale.status}`,
    createdAt: '2026-11-26T10:00:00.000Z',
    decidedAt: '2026-11-26T10:00:01.000Z',
  };
  return sale.status === 'SUCCEEDED' ? { ...fields, status: 'SUCCEEDED', reason: null } : { ...fields, status: 'FAILED', reason: 'OUT_OF_STOCK' };
}

// What the worker would have left behind for this history, written directly: the restock and the results on
// the topics (keyed by itemId like the app), the stock view and the purchases in Postgres.
async function givenItem(itemId: string, restocked: number, sales: readonly Sale[], copies: readonly string[] = []): Promise<void> {
  await producer.send({
    topic: topics.itemsAdded,
    acks: -1,
    messages: [{ key: itemId, value: encodeMessage(itemsAddedMessageSchema, { schemaVersion: 1, itemId, description: 'Audit test item', quantity: restocked, addedAt: new Date().toISOString() }) }],
  });
  const results = [...sales, ...sales.filter((sale) => copies.includes(sale.purchaseId))].map((sale) => finished(itemId, sale));
  await producer.send({
    topic: topics.purchaseFinished,
    acks: -1,
    messages: results.map((result) => ({ key: itemId, value: encodeMessage(purchaseFinishedMessageSchema, result) })),
  });
  const sold = sales.filter((sale) => sale.status === 'SUCCEEDED').reduce((total, sale) => total + sale.quantity, 0);
  const prisma = getPrisma();
  // Postgres's CHECK (available = restocked − sold, available ≥ 0) refuses an oversold row, so an oversold
  // history can only disagree with a stock view that stopped at what was restocked.
  const soldInView = Math.min(sold, restocked);
  await prisma.item.create({ data: { itemId, description: 'Audit test item', restocked, sold: soldInView, available: restocked - soldInView } });
  await prisma.purchase.createMany({
    data: sales.map((sale, index) => {
      const result = finished(itemId, sale);
      return {
        purchaseId: result.purchaseId,
        itemId,
        quantity: result.quantity,
        purchasedBy: result.purchasedBy,
        createdAt: new Date(result.createdAt),
        status: result.status,
        reason: result.reason,
        remaining: result.remaining,
        resultMessage: result.resultMessage,
        decidedAt: new Date(result.decidedAt),
        sourcePartition: 0,
        sourceOffset: BigInt(index),
      };
    }),
  });
}

function runScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('node_modules/.bin/tsx', ['scripts/audit.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // Log lines go to stdout too; silence them so that --json prints nothing but the report.
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the auditor on the real topics and database', () => {
  const goodItem = `audit-test-${randomUUID()}`;
  const badItem = `audit-test-${randomUUID()}`;

  it('finds a consistent item clean, counting a re-sent result as a duplicate', async () => {
    await givenItem(
      goodItem,
      5,
      [
        { purchaseId: randomUUID(), quantity: 2, remaining: 3, status: 'SUCCEEDED' },
        { purchaseId: randomUUID(), quantity: 4, remaining: 3, status: 'OUT_OF_STOCK' },
        { purchaseId: `${goodItem}-last`, quantity: 3, remaining: 0, status: 'SUCCEEDED' },
      ],
      [`${goodItem}-last`],
    );

    const report = await runAudit({ itemIds: [goodItem] });

    expect(report.violations).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toMatchObject({ itemId: goodItem, restocked: 5, succeededQuantity: 5, succeededCount: 2, failedCount: 1, duplicates: 1 });
  });

  it('names an oversold item', async () => {
    await givenItem(badItem, 3, [
      { purchaseId: randomUUID(), quantity: 2, remaining: 1, status: 'SUCCEEDED' },
      { purchaseId: randomUUID(), quantity: 2, remaining: 0, status: 'SUCCEEDED' },
    ]);

    const report = await runAudit({ itemIds: [badItem] });

    expect(report.clean).toBe(false);
    expect(report.violations).toContain(`${badItem}: oversold: 2 SUCCEEDED results sold 4, but only 3 were restocked`);
    expect(report.violations).toContain(`${badItem}: items.sold is 3 but the SUCCEEDED purchases in the purchases table sum to 4`);
  });

  it('exits 1 from the command line for the oversold item and 0 with a JSON report for the consistent one', () => {
    const bad = runScript('--items', badItem);
    expect(bad.status, bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`${badItem}: oversold`);
    expect(bad.stdout).toContain('NOT CLEAN');

    const good = runScript('--json', '--items', goodItem);
    expect(good.status, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ clean: true, items: [{ itemId: goodItem, restocked: 5 }] });
  });

  it('refuses an invalid item id with the usage exit code', () => {
    const run = runScript('--items', 'not an id!');
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('usage:');
  });
});
