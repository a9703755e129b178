// Goal: a real worker decides holds, confirms, cancels, expiries and refunds from records on the real topics into PostgreSQL and the outbox, keeps every item's stock equation, and expires every due hold exactly once, a SIGKILL of the worker while they are due included.
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  itemsAddedMessageSchema,
  itemsAddedSchemaVersion,
  purchaseCreatedMessageSchema,
  purchaseCreatedSchemaVersion,
  purchaseFinishedMessageSchema,
  toFinishedResult,
  type FinishedResult,
  type PurchaseCreatedMessage,
} from '../contract';
import { closePool, getPool } from '../db/pool';
import { newItem, stockBalances, type ItemStock } from '../domain/purchase';
import { createKafka } from '../kafka/client';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { pollUntil, sleep, startWorkerProcess, type TestProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
const appliedWithinMs = 20_000;
// A hold placed now with a 1 s TTL is due at expiresAt + the grace, and its expiry then needs a scan and a batch.
const expiredWithinMs = 1_000 + limits.holdConfirmGraceMs + 20_000;

let worker: TestProcess;
let producer: Producer;

beforeAll(async () => {
  producer = createKafka(`bps-holds-test-${runId}`).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  worker = await startWorkerProcess();
}, 90_000);

afterAll(async () => {
  await Promise.all([worker?.stop(), producer?.disconnect()]);
  await closePool();
});

const now = () => new Date().toISOString();
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1_000).toISOString();

async function restock(itemId: string, quantity: number): Promise<void> {
  const value = encodeMessage(itemsAddedMessageSchema, { schemaVersion: itemsAddedSchemaVersion, kind: 'restock', itemId, description: `Holds ${itemId}`, quantity, addedAt: now() });
  await producer.send({ topic: topics.itemsAdded, acks: -1, messages: [{ key: itemId, value }] });
  // The two input topics are consumed independently: the commands wait until the stock is there.
  await pollUntil(() => readItem(itemId), (item) => item?.restocked === quantity, appliedWithinMs);
}

// Sent in order, keyed by the item, so they are decided in this order on the item's partition.
async function append(...messages: PurchaseCreatedMessage[]): Promise<void> {
  await producer.send({
    topic: topics.purchaseCreated,
    acks: -1,
    messages: messages.map((message) => ({ key: message.itemId, value: encodeMessage(purchaseCreatedMessageSchema, message) })),
  });
}

const v2 = { schemaVersion: purchaseCreatedSchemaVersion } as const;
const hold = (holdId: string, itemId: string, quantity: number, expiresAt = inSeconds(600)): PurchaseCreatedMessage => ({
  ...v2,
  kind: 'hold',
  holdId,
  itemId,
  quantity,
  heldBy: 'holder',
  createdAt: now(),
  expiresAt,
});
const step = (kind: 'confirm' | 'cancel', holdId: string, itemId: string): PurchaseCreatedMessage => ({ ...v2, kind, holdId, itemId, requestedAt: now() });
const refund = (purchaseId: string, itemId: string): PurchaseCreatedMessage => ({ ...v2, kind: 'refund', purchaseId, itemId, requestedAt: now() });
const purchase = (purchaseId: string, itemId: string, quantity: number): PurchaseCreatedMessage => ({
  ...v2,
  kind: 'purchase',
  purchaseId,
  itemId,
  quantity,
  purchasedBy: 'buyer',
  createdAt: now(),
});

async function readItem(itemId: string): Promise<ItemStock | undefined> {
  const { rows } = await getPool().query<{ item_id: string; description: string; restocked: number; sold: number; available: number; held: number; refunded: number }>(
    'SELECT item_id, description, restocked, sold, available, held, refunded FROM items WHERE item_id = $1',
    [itemId],
  );
  const row = rows[0];
  return row && { ...newItem(row.item_id, row.description), restocked: row.restocked, sold: row.sold, available: row.available, held: row.held, refunded: row.refunded };
}

async function holdStatuses(holdIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await getPool().query<{ hold_id: string; status: string }>('SELECT hold_id, status::text AS status FROM holds WHERE hold_id = ANY($1::text[])', [[...holdIds]]);
  return new Map(rows.map((row) => [row.hold_id, row.status]));
}

// The item's results in the outbox, in decision order, each checked against the contract.
async function outboxResults(itemId: string): Promise<FinishedResult[]> {
  const { rows } = await getPool().query<{ payload: unknown }>('SELECT payload FROM outbox WHERE key = $1 ORDER BY id', [itemId]);
  return rows.map((row) => toFinishedResult(purchaseFinishedMessageSchema.parse(row.payload)));
}

function holdResultsOf(results: readonly FinishedResult[], holdId: string) {
  return results.flatMap((finished) => (finished.kind === 'hold' && finished.result.holdId === holdId ? [finished.result] : []));
}

// Exactly one final decision: every final result of the hold is the same state decided at the same moment
// (a repeated step republishes it, identical), and it is the stored status.
function expectOneFinalState(results: readonly FinishedResult[], holdId: string, status: string): void {
  const finals = holdResultsOf(results, holdId).filter((result) => result.status !== 'HELD');
  expect(new Set(finals.map((result) => `${result.status}@${result.decidedAt}`)), holdId).toEqual(new Set([`${status}@${finals[0]?.decidedAt}`]));
}

describe('holds decided by a real worker', () => {
  it('places, fails, confirms, cancels and refunds, with rows, results and the stock equation to match', async () => {
    const itemId = `holds-${runId}`;
    const [held, cancelled, failed, bought] = ['confirmed', 'cancelled', 'failed', 'bought'].map((name) => `${name}-${runId}`) as [string, string, string, string];
    await restock(itemId, 10);
    await append(hold(held, itemId, 3), hold(cancelled, itemId, 2), hold(failed, itemId, 20), purchase(bought, itemId, 1));
    await pollUntil(() => readItem(itemId), (item) => item?.held === 5 && item.sold === 1, appliedWithinMs);
    expect(await readItem(itemId)).toMatchObject({ restocked: 10, available: 4, held: 5, sold: 1, refunded: 0 });

    const confirmedAt = now();
    const confirm: PurchaseCreatedMessage = { ...v2, kind: 'confirm', holdId: held, itemId, requestedAt: confirmedAt };
    await append(
      confirm,
      step('cancel', cancelled, itemId),
      refund(bought, itemId),
      refund(bought, itemId),
      step('cancel', held, itemId),
      refund(failed, itemId),
      step('cancel', cancelled, itemId),
    );
    await pollUntil(() => readItem(itemId), (item) => item?.held === 0 && item.refunded === 1, appliedWithinMs);

    const item = await readItem(itemId);
    expect(item).toMatchObject({ restocked: 10, available: 7, held: 0, sold: 4, refunded: 1 });
    expect(item && stockBalances(item)).toBe(true);
    expect(Object.fromEntries(await holdStatuses([held, cancelled, failed]))).toEqual({ [held]: 'CONFIRMED', [cancelled]: 'CANCELLED', [failed]: 'FAILED' });

    const { rows: purchases } = await getPool().query<{ purchase_id: string; status: string; created_at: Date; refunded_at: Date | null }>(
      'SELECT purchase_id, status::text AS status, created_at, refunded_at FROM purchases WHERE purchase_id = ANY($1::text[]) ORDER BY purchase_id',
      [[held, bought, failed]],
    );
    expect(purchases.map((row) => [row.purchase_id, row.status, row.refunded_at !== null])).toEqual([
      [bought, 'REFUNDED', true],
      [held, 'SUCCEEDED', false],
    ]);
    // The confirmed hold's purchase was requested by the confirm.
    expect(purchases[1]?.created_at.toISOString()).toBe(confirmedAt);

    // The last record's result is the eleventh: every record before it was decided.
    await pollUntil(() => outboxResults(itemId), (results) => results.length >= 11, appliedWithinMs);
    const results = await outboxResults(itemId);
    expect(results.map(({ kind, result }) => [kind, 'holdId' in result ? result.holdId : result.purchaseId, result.status])).toEqual([
      ['hold', held, 'HELD'],
      ['hold', cancelled, 'HELD'],
      ['hold', failed, 'FAILED'],
      ['purchase', bought, 'SUCCEEDED'],
      ['hold', held, 'CONFIRMED'],
      ['purchase', held, 'SUCCEEDED'],
      ['hold', cancelled, 'CANCELLED'],
      ['purchase', bought, 'REFUNDED'],
      // The repeated refund republishes the same REFUNDED result; the cancel of a confirmed hold its CONFIRMED state.
      ['purchase', bought, 'REFUNDED'],
      ['hold', held, 'CONFIRMED'],
      // The refund of a failed hold's id (no purchase) published nothing; the second cancel republishes CANCELLED.
      ['hold', cancelled, 'CANCELLED'],
    ]);
    expect(results[8]).toEqual(results[7]);
    expect(results[9]).toEqual(results[4]);
    expect(results[10]).toEqual(results[6]);
  }, 60_000);

  it('expires holds a second after they were placed, once each, and gives their units back', async () => {
    const itemId = `expiring-${runId}`;
    const holdIds = Array.from({ length: 4 }, (_, index) => `expiring-${index}-${runId}`);
    await restock(itemId, 6);
    await append(...holdIds.map((holdId) => hold(holdId, itemId, 1, inSeconds(1))));
    await pollUntil(() => readItem(itemId), (item) => item?.held === 4, appliedWithinMs);

    await pollUntil(() => readItem(itemId), (item) => item?.held === 0, expiredWithinMs);
    const item = await readItem(itemId);
    expect(item).toMatchObject({ restocked: 6, available: 6, held: 0, sold: 0, refunded: 0 });
    expect([...(await holdStatuses(holdIds)).values()]).toEqual(holdIds.map(() => 'EXPIRED'));
    const results = await outboxResults(itemId);
    for (const holdId of holdIds) {
      expect(holdResultsOf(results, holdId).filter((result) => result.status === 'HELD'), holdId).toHaveLength(1);
      expectOneFinalState(results, holdId, 'EXPIRED');
    }
  }, 90_000);

  it('expires every due hold exactly once after a SIGKILL of the worker while they are due, and conserves the stock', async () => {
    const itemId = `crash-expiring-${runId}`;
    const holdIds = Array.from({ length: 30 }, (_, index) => `crash-expiring-${index}-${runId}`);
    const confirmedId = `crash-confirmed-${runId}`;
    await restock(itemId, 40);
    // Staggered over two seconds, so that the kill falls while some are due and appended and others are not yet.
    for (const [index, holdId] of holdIds.entries()) await append(hold(holdId, itemId, 1, new Date(Date.now() + 500 + index * 70).toISOString()));
    await append(hold(confirmedId, itemId, 2, inSeconds(1)), step('confirm', confirmedId, itemId));
    await pollUntil(() => readItem(itemId), (item) => item?.held === holdIds.length && item.sold === 2, appliedWithinMs);

    await pollUntil(async () => (await holdStatuses(holdIds)).size > 0 && [...(await holdStatuses(holdIds)).values()].includes('EXPIRED'), (some) => some, expiredWithinMs);
    worker.signal('SIGKILL');
    await worker.exited();
    const expiredAtKill = [...(await holdStatuses(holdIds)).values()].filter((status) => status === 'EXPIRED').length;
    worker = await startWorkerProcess();

    await pollUntil(() => readItem(itemId), (item) => item?.held === 0, expiredWithinMs);
    const item = await readItem(itemId);
    expect(item).toMatchObject({ restocked: 40, available: 38, held: 0, sold: 2, refunded: 0 });
    expect(item && stockBalances(item)).toBe(true);
    const statuses = await holdStatuses([...holdIds, confirmedId]);
    expect(holdIds.filter((holdId) => statuses.get(holdId) !== 'EXPIRED')).toEqual([]);
    expect(statuses.get(confirmedId)).toBe('CONFIRMED');
    // Let any duplicate expiry still on its way be decided: it may republish, never decide again.
    await sleep(limits.holdExpiryScanIntervalMs * 4);
    const results = await outboxResults(itemId);
    for (const holdId of holdIds) expectOneFinalState(results, holdId, 'EXPIRED');
    expectOneFinalState(results, confirmedId, 'CONFIRMED');
    console.info(`holds crash test: ${expiredAtKill} of ${holdIds.length} holds expired before the SIGKILL, the rest after the restart, each once`);
  }, 120_000);
});
