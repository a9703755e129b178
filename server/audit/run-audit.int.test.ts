// Goal: against the real broker and Postgres, the auditor finds a consistent item clean (version 1 purchase results, and
// version 2 hold and refund results with the holds table) and an oversold one named, both in-process (runAudit) and through
// `tsx scripts/audit.ts`, whose exit code says which.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { holdFinishedMessage, itemsAddedMessageSchema, purchaseFinishedMessage, purchaseFinishedMessageSchema, type HoldResult, type PurchaseFinishedMessage } from '../contract';
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

function finished(itemId: string, sale: Sale): Extract<PurchaseFinishedMessage, { schemaVersion: 1 }> {
  const fields = {
    schemaVersion: 1 as const,
    purchaseId: sale.purchaseId,
    itemId,
    quantity: sale.quantity,
    purchasedBy: 'audit-test',
    remaining: sale.remaining,
    unitPrice: null,
    total: null,
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
    expect(report.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${badItem}: oversold: the stock does not balance after a result: after purchase .*: available -1 = restocked 3 − held 0 − sold 4 \\+ refunded 0$`)),
        `${badItem}: items.sold is 3 but the SUCCEEDED and REFUNDED purchases in the purchases table sum to 4`,
      ]),
    );
  });

  it('finds an item with holds, a confirmation and a refund (version 2 results) clean against the items, purchases and holds tables', async () => {
    const itemId = `audit-test-${randomUUID()}`;
    const [paid, open] = [`${itemId}-paid`, `${itemId}-open`];
    const at = { createdAt: '2026-11-26T10:00:00.000Z', expiresAt: '2026-11-26T10:10:00.000Z', decidedAt: '2026-11-26T10:00:01.000Z' };
    const hold = (holdId: string, quantity: number, status: HoldResult['status'], remaining: number): HoldResult => ({ holdId, itemId, quantity, heldBy: 'audit-test', status, reason: null, remaining, unitPrice: 700, resultMessage: status, ...at });
    // The confirm charges the price fixed by the hold.
    const purchase = { purchaseId: paid, itemId, quantity: 2, purchasedBy: 'audit-test', remaining: 2, unitPrice: 700, total: 1400, resultMessage: 'paid', createdAt: at.createdAt, decidedAt: at.decidedAt, reason: null };
    const refundedAt = '2026-11-26T10:05:00.000Z';
    // Restocked 4: paid holds 2 and is confirmed, then refunded; open holds 1. 3 available + 1 held + 2 sold − 2 refunded = 4.
    const results = [
      holdFinishedMessage(hold(paid, 2, 'HELD', 2)),
      holdFinishedMessage(hold(paid, 2, 'CONFIRMED', 2)),
      purchaseFinishedMessage({ ...purchase, status: 'SUCCEEDED' }),
      holdFinishedMessage(hold(open, 1, 'HELD', 1)),
      purchaseFinishedMessage({ ...purchase, status: 'REFUNDED', refundedAt }),
    ];
    await producer.send({
      topic: topics.itemsAdded,
      acks: -1,
      messages: [{ key: itemId, value: encodeMessage(itemsAddedMessageSchema, { schemaVersion: 2, itemId, description: 'Audit test item', quantity: 4, addedAt: new Date().toISOString() }) }],
    });
    await producer.send({ topic: topics.purchaseFinished, acks: -1, messages: results.map((result) => ({ key: itemId, value: encodeMessage(purchaseFinishedMessageSchema, result) })) });
    const prisma = getPrisma();
    await prisma.item.create({ data: { itemId, description: 'Audit test item', restocked: 4, sold: 2, refunded: 2, held: 1, available: 3 } });
    const row = { sourcePartition: 0, sourceOffset: 0n, createdAt: new Date(at.createdAt), decidedAt: new Date(at.decidedAt) };
    await prisma.purchase.create({ data: { ...row, purchaseId: paid, itemId, quantity: 2, purchasedBy: 'audit-test', status: 'REFUNDED', reason: null, remaining: 2, resultMessage: 'paid', refundedAt: new Date(refundedAt) } });
    await prisma.hold.createMany({
      data: [
        { ...row, holdId: paid, itemId, quantity: 2, heldBy: 'audit-test', status: 'CONFIRMED', remaining: 2, resultMessage: 'CONFIRMED', expiresAt: new Date(at.expiresAt), updatedAt: new Date(at.decidedAt) },
        { ...row, holdId: open, itemId, quantity: 1, heldBy: 'audit-test', status: 'HELD', remaining: 1, resultMessage: 'HELD', expiresAt: new Date(at.expiresAt), updatedAt: new Date(at.decidedAt) },
      ],
    });

    const report = await runAudit({ itemIds: [itemId] });

    expect(report.violations).toEqual([]);
    expect(report.items[0]).toMatchObject({ itemId, succeededQuantity: 2, heldQuantity: 1, refundedQuantity: 2, refundsCount: 1, holdsPlaced: 2, holdsConfirmed: 1 });
    expect(report.items[0]?.database).toMatchObject({ item: { held: 1, refunded: 2 }, purchases: { refundedQuantity: 2, refundedCount: 1 }, holds: { heldQuantity: 1, held: 1, confirmed: 1 } });
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
