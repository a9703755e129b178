// Goal: partitions move between workers without loss, and a worker paused past its session is fenced. Worker A
// decides a steady stream of purchases and restocks; worker B joins and the partitions are split; A is paused
// with SIGSTOP in the middle of its work (batches fetched or begun), its session times out and B claims every
// partition and decides everything, A included. Then A resumes with what it held before the pause: its batch
// transactions must be refused (the epoch it claimed is no longer the partition's), and afterwards the two share
// the partitions again. Every purchase ends with exactly one decision, no unit is sold or restocked twice, the
// results topic never disagrees with itself, and the auditor is clean.
import { randomUUID } from 'node:crypto';
import { Partitioners, type PartitionMetadata, type Producer } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAudit } from '../audit/run-audit';
import { TopicFollower } from '../audit/topic-follower';
import { config } from '../config';
import { itemsAddedMessageSchema, purchaseCreatedMessageSchema, purchaseFinishedMessageSchema, toFinishedResult } from '../contract';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { decodeMessage, encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { pollUntil, sleep, startWorkerProcess, type TestProcess } from '../testing/processes';
import { createSeededRandom, readSeed } from '../testing/seeded-random';

// The seed picks the gaps between pause attempts, the items and quantities of purchases and restocks. Timing still varies, so a
// replay repeats the choices, not the exact interleaving. Ids are random UUIDs: the database outlives runs.
const seedVariable = 'REBALANCE_TEST_SEED';
const seed = readSeed(process.env, seedVariable);
const random = createSeededRandom(seed);
console.log(`rebalance test: ${seedVariable}=${seed}; replay with ${seedVariable}=${seed} npx vitest run server/worker/rebalance.int.test.ts`);

const runId = randomUUID().slice(0, 8);
const itemsPerPartition = 2;
const initialStockPerItem = 300;
// A steady stream: a chunk of purchases and one restock every tick. Demand (about 1.5 units a purchase) outruns
// the restocks, so stock keeps running out and the decisions keep depending on the order of everything before.
const purchasesPerTick = 40;
const tickMs = 100;
const restockQuantityMax = 60;
// A is paused at a moment Postgres shows it inside a batch transaction; a pause that misses is undone after
// pauseSettleMs, far inside the session timeout, and tried again up to pauseGapMsMax later.
const pauseSettleMs = 50;
const pauseGapMsMax = 200;
const pauseAttemptsMax = 300;
const purchasesAfterResume = 1_000;

type SentPurchase = { purchaseId: string; itemId: string; quantity: number };

// Each worker's name: its pg application_name and the prefix of its partition_owners.owner (BPS_PROCESS_NAME).
const nameA = `rebalance-a-${runId}`;
const nameB = `rebalance-b-${runId}`;

let producer: Producer;
let workerA: TestProcess | undefined;
let workerB: TestProcess | undefined;

const partitionMetadata: PartitionMetadata[] = Array.from({ length: config.KAFKA_TOPIC_PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [0],
  isr: [0],
  partitionErrorCode: 0,
}));
const partitioner = Partitioners.DefaultPartitioner();
const partitionOf = (itemId: string) => partitioner({ topic: topics.purchaseCreated, partitionMetadata, message: { key: itemId, value: null } });

// Item ids spread evenly over the partitions, so that each worker always has items to decide.
function chooseItemIds(): string[] {
  const chosen: string[] = [];
  for (let partition = 0; partition < config.KAFKA_TOPIC_PARTITIONS; partition += 1) {
    for (let index = 0; chosen.filter((itemId) => partitionOf(itemId) === partition).length < itemsPerPartition; index += 1) {
      const candidate = `rebalance-${runId}-${partition}-${index}`;
      if (partitionOf(candidate) === partition) chosen.push(candidate);
    }
  }
  return chosen;
}
const itemIds = chooseItemIds();
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

const restockedByItem = new Map(itemIds.map((itemId) => [itemId, 0]));
const sent: SentPurchase[] = [];

// Version 1 restocks carry no restockId, so nothing but the fence and the stored offset stops a second application.
async function restock(itemId: string, quantity: number): Promise<void> {
  const value = encodeMessage(itemsAddedMessageSchema, { schemaVersion: 1, itemId, description: `Rebalance ${itemId}`, quantity, addedAt: new Date().toISOString() });
  await producer.send({ topic: topics.itemsAdded, acks: -1, messages: [{ key: itemId, value }] });
  restockedByItem.set(itemId, (restockedByItem.get(itemId) ?? 0) + quantity);
}

async function sendPurchases(count: number): Promise<void> {
  const purchases = Array.from({ length: count }, (): SentPurchase => ({ purchaseId: randomUUID(), itemId: pick(itemIds), quantity: 1 + Math.floor(random() * 2) }));
  const messages = purchases.map((purchase) => ({
    key: purchase.itemId,
    value: encodeMessage(purchaseCreatedMessageSchema, {
      schemaVersion: 1,
      ...purchase,
      purchasedBy: `rebalance-buyer-${purchase.quantity}`,
      createdAt: new Date().toISOString(),
    }),
  }));
  await producer.send({ topic: topics.purchaseCreated, acks: -1, messages });
  sent.push(...purchases);
}

// Sends a chunk and a restock every tick until stopped.
function startStream(): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    while (running) {
      await sendPurchases(purchasesPerTick);
      await restock(pick(itemIds), 1 + Math.floor(random() * restockQuantityMax));
      await sleep(tickMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

type Owner = { partition: number; epoch: number; owner: string };
const readOwners = () => getPrisma().partitionOwner.findMany({ orderBy: { partition: 'asc' } }) as Promise<Owner[]>;
// A worker's owner string starts with its BPS_PROCESS_NAME (server/worker/main.ts).
const ownedBy = (owners: readonly Owner[], name: string) => owners.filter((owner) => owner.owner.startsWith(`${name}@`));

// The worker's Postgres sessions that are inside a transaction (a batch transaction: its only kind).
async function sessionsInTransaction(name: string): Promise<number> {
  const [row] = await getPrisma().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) FROM pg_stat_activity WHERE application_name = ${name} AND xact_start IS NOT NULL`;
  return Number(row?.count ?? 0);
}

// Pauses the worker at a moment it holds a batch transaction open, so that it resumes with a batch that a new
// owner's claim must fence. Answers the number of attempts.
async function pauseInsideBatch(worker: TestProcess, name: string): Promise<number> {
  for (let attempt = 1; attempt <= pauseAttemptsMax; attempt += 1) {
    worker.signal('SIGSTOP');
    // Postgres finishes the statement that was running; a COMMIT already sent ends the transaction.
    await sleep(pauseSettleMs);
    if ((await sessionsInTransaction(name)) > 0) return attempt;
    worker.signal('SIGCONT');
    await sleep(random() * pauseGapMsMax);
  }
  throw new Error(`${name} was never caught inside a batch transaction in ${pauseAttemptsMax} pauses`);
}

const decidedCount = async () => getPrisma().purchase.count({ where: { itemId: { in: itemIds } } });

// The worker's JSON log lines, as far as they parse.
function logLines(worker: TestProcess): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
const assignmentsLogged = (worker: TestProcess) => logLines(worker).filter((line) => line.msg === 'partitions assigned').length;

beforeAll(async () => {
  producer = createKafka(`bps-rebalance-test-${runId}`).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await Promise.all([workerA?.stop(), workerB?.stop()]);
  await producer?.disconnect();
  await disconnectPrisma();
});

it('moves partitions without loss and fences a worker paused past its session', async () => {
  const deadLettersBefore = await getPrisma().deadLetter.count();
  for (const itemId of itemIds) await restock(itemId, initialStockPerItem);

  const a = (workerA = await startWorkerProcess({ BPS_PROCESS_NAME: nameA }));
  expect(ownedBy(await readOwners(), nameA).map((owner) => owner.partition)).toHaveLength(config.KAFKA_TOPIC_PARTITIONS);
  const stream = startStream();
  let pauseAttempts = 0;
  let atPause: Owner[] = [];
  try {
    workerB = await startWorkerProcess({ BPS_PROCESS_NAME: nameB });
    // The partitions are split: A took up its share of the new assignment and decides in it.
    const split = await pollUntil(
      readOwners,
      (owners) => ownedBy(owners, nameA).length > 0 && ownedBy(owners, nameB).length > 0 && ownedBy(owners, nameA).length + ownedBy(owners, nameB).length === owners.length,
      60_000,
    );
    await pollUntil(async () => assignmentsLogged(a), (count) => count >= 2, 60_000);
    const decidedBeforePause = await decidedCount();
    await pollUntil(decidedCount, (count) => count > decidedBeforePause, 30_000);

    pauseAttempts = await pauseInsideBatch(a, nameA);
    atPause = ownedBy(await readOwners(), nameA);
    console.info(`rebalance test: A paused inside a batch transaction (attempt ${pauseAttempts}) owning ${JSON.stringify(atPause)}; split was ${JSON.stringify(split)}`);
    expect(atPause.length).toBeGreaterThan(0);

    // A's session times out; B claims every partition with a newer epoch than A's.
    await pollUntil(
      readOwners,
      (owners) => ownedBy(owners, nameB).length === owners.length && atPause.every((paused) => (owners.find((owner) => owner.partition === paused.partition)?.epoch ?? 0) > paused.epoch),
      90_000,
    ).catch(async (error: unknown) => {
      // Say what holds the partitions up: a session idle in transaction, a claim waiting on a lock.
      throw new Error(`B did not claim every partition: ${String(error)}\nsessions: ${await describeSessions()}`);
    });
    // Some of the stream arrives while B alone owns everything.
    await sleep(2_000);
  } finally {
    await stream.stop();
  }
  // B decides everything, A's share included, while A is still paused.
  await pollUntil(decidedCount, (count) => count === sent.length, 120_000);
  expect(a.exitCode()).toBeNull();
  // Postgres ended the transaction A held open (idle_in_transaction_session_timeout), or B could not have claimed.
  expect(await sessionsInTransaction(nameA)).toBe(0);
  const decidedWhilePaused = sent.length;

  a.signal('SIGCONT');
  // A's stale batches are refused: its log says it was fenced, with the epoch it held at the pause and a newer one.
  const heldAtPause = (line: Record<string, unknown>) => atPause.some((paused) => paused.partition === line.partition && paused.epoch === line.epoch);
  const fenced = await pollUntil(
    async () => logLines(a).filter((line) => line.msg === 'fenced: partition has a newer owner'),
    (lines) => lines.some(heldAtPause),
    60_000,
  );
  for (const line of fenced) expect(Number(line.currentEpoch)).toBeGreaterThan(Number(line.epoch));
  // Then A rejoins the group and the two share the partitions again; purchases sent now reach both.
  await pollUntil(readOwners, (owners) => ownedBy(owners, nameA).length > 0 && ownedBy(owners, nameB).length > 0, 90_000);
  await sendPurchases(purchasesAfterResume);
  for (const itemId of itemIds) await restock(itemId, 1 + Math.floor(random() * restockQuantityMax));
  await pollUntil(decidedCount, (count) => count === sent.length, 120_000);
  expect(a.exitCode()).toBeNull();

  // Exactly one decision per purchase (purchaseId is the key), and none for anything not sent.
  const decided = await getPrisma().purchase.findMany({ where: { itemId: { in: itemIds } }, select: { purchaseId: true, status: true, remaining: true, quantity: true, itemId: true } });
  expect(decided.map((purchase) => purchase.purchaseId).sort()).toEqual(sent.map((purchase) => purchase.purchaseId).sort());

  // No unit sold or restocked twice: each item's counters are exactly what its records add up to.
  const stock = await getPrisma().item.findMany({ where: { itemId: { in: itemIds } } });
  expect(stock).toHaveLength(itemIds.length);
  for (const item of stock) {
    const soldUnits = decided.filter((purchase) => purchase.itemId === item.itemId && purchase.status === 'SUCCEEDED').reduce((sum, purchase) => sum + purchase.quantity, 0);
    expect(item.restocked).toBe(restockedByItem.get(item.itemId));
    expect(item.sold).toBe(soldUnits);
    expect(item.available).toBe(item.restocked - item.sold);
  }
  // A stale batch that got through would have met B's rows and been dead-lettered.
  expect(await getPrisma().deadLetter.count()).toBe(deadLettersBefore);
  const succeeded = decided.filter((purchase) => purchase.status === 'SUCCEEDED').length;
  // Stock ran out along the way, so the decisions really depended on the order of everything before them.
  expect(succeeded).toBeGreaterThan(0);
  expect(succeeded).toBeLessThan(decided.length);

  // Every result reaches the topic, and copies of one result never disagree.
  await pollUntil(
    async () =>
      Number(
        (
          await getPrisma().$queryRaw<{ count: bigint }[]>`
            SELECT count(*) FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
            WHERE o.id > COALESCE(p.sent_up_to, 0) AND o.key = ANY(${itemIds}::text[])`
        )[0]?.count ?? 0,
      ),
    (count) => count === 0,
    60_000,
  );
  const results = await readResults();
  const byId = new Map(decided.map((purchase) => [purchase.purchaseId, purchase]));
  const disagreements: string[] = [];
  let copies = 0;
  for (const [purchaseId, versions] of results) {
    const stored = byId.get(purchaseId);
    copies += versions.length - 1;
    for (const version of versions) {
      if (stored === undefined || version.status !== stored.status || version.remaining !== stored.remaining) {
        disagreements.push(`${purchaseId}: ${JSON.stringify(version)} vs stored ${JSON.stringify(stored)}`);
      }
    }
  }
  expect(disagreements).toEqual([]);
  expect([...results.keys()].sort()).toEqual(sent.map((purchase) => purchase.purchaseId).sort());

  const report = await runAudit({ itemIds });
  expect(report.violations).toEqual([]);
  // How A's held transactions ended after the pause (25P03: Postgres ended one idle in transaction), for the record.
  const retried = logLines(a).filter((line) => line.msg === 'batch failed, retrying').map((line) => (line.err as { code?: string; message?: string } | undefined)?.code ?? (line.err as { message?: string } | undefined)?.message);
  console.info(
    `rebalance test (${seedVariable}=${seed}): A paused at attempt ${pauseAttempts}, ${sent.length} purchases (${decidedWhilePaused} before A resumed), ${succeeded} succeeded, ` +
      `${fenced.length} fenced batch(es) of A: ${JSON.stringify(fenced.map(({ partition, epoch, currentEpoch }) => ({ partition, epoch, currentEpoch })))}, ` +
      `A retried ${retried.length} batch(es) after resuming (${JSON.stringify([...new Set(retried)])}), ` +
      `${copies} identical re-sent results, ${report.violations.length} violations`,
  );
}, 600_000);

async function describeSessions(): Promise<string> {
  const sessions = await getPrisma().$queryRaw<unknown[]>`
    SELECT pid, state, wait_event_type, wait_event, left(query, 80) AS query, (now() - xact_start)::text AS transaction_age
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return JSON.stringify(sessions);
}

// The results of this run's items on the results topic, every copy, by purchaseId.
async function readResults(): Promise<Map<string, { status: string; remaining: number }[]>> {
  const kafka = createKafka(`bps-rebalance-test-results-${runId}`);
  const admin = kafka.admin();
  await admin.connect();
  const follower = await TopicFollower.start(kafka, [topics.purchaseFinished]);
  const results = new Map<string, { status: string; remaining: number }[]>();
  const wanted = new Set(itemIds);
  try {
    const ends = (await admin.fetchTopicOffsets(topics.purchaseFinished)).map((end) => ({ partition: end.partition, low: Number(end.low), high: Number(end.high) }));
    await follower.readUpTo(topics.purchaseFinished, ends, (records) => {
      for (const record of records) {
        const decoded = decodeMessage(purchaseFinishedMessageSchema, record.value);
        if (!decoded.ok || !wanted.has(decoded.value.itemId)) continue;
        const finished = toFinishedResult(decoded.value);
        // This test places purchases only.
        if (finished.kind !== 'purchase') continue;
        const versions = results.get(finished.result.purchaseId) ?? [];
        versions.push({ status: finished.result.status, remaining: finished.result.remaining });
        results.set(finished.result.purchaseId, versions);
      }
    });
  } finally {
    await follower.stop();
    await admin.disconnect();
  }
  return results;
}
