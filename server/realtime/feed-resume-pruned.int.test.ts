// Goal: with real Kafka, Postgres, worker and web process, a socket.io feed (websocket transport) resuming from a position the outbox pruned gets the reload answer and no results, while one resuming from the prune horizon or above it gets exactly the results after its position and positions to resume from next.
import { randomUUID } from 'node:crypto';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { feedResumeAnswerSchema, type ClientToServerEvents, type FeedResumeAnswer, type ServerToClientEvents } from '../contract';
import { closePool, getPool } from '../db/pool';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';
import { pruneOutbox } from '../worker/outbox-pruning';

type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Positions = Record<string, number>;

const partitions = Array.from({ length: config.KAFKA_TOPIC_PARTITIONS }, (_, partition) => partition);
const itemId = `pruned-feed-${randomUUID()}`;

let web: WebProcess;
let worker: TestProcess;
let socket: TestSocket;

async function restock(quantity: number): Promise<void> {
  const response = await fetch(`${web.url}/api/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` },
    body: JSON.stringify({ itemId, description: 'A feed that resumes', quantity }),
  });
  expect(response.status).toBe(202);
  await pollUntil(async () => (await fetch(`${web.url}/api/items/${itemId}`)).status, (status) => status === 200, 30_000);
}

// Buys `count` units one purchase at a time, each answered with its decision, and waits until the relay has
// sent every result (pruning takes only sent rows). Answers the purchaseIds.
async function buy(count: number): Promise<string[]> {
  const purchaseIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const purchaseId = randomUUID();
    const response = await fetch(`${web.url}/api/purchases?wait=10000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: 'feed-tester' }),
    });
    expect(response.status).toBe(200);
    purchaseIds.push(purchaseId);
  }
  await pollUntil(
    async () =>
      (
        await getPool().query<{ count: string }>(
          `SELECT count(*) FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
           WHERE o.partition = ANY($1::int[]) AND o.id > COALESCE(p.sent_up_to, 0)`,
          [partitions],
        )
      ).rows[0]?.count,
    (count) => count === '0',
    30_000,
  );
  return purchaseIds;
}

async function resume(positions: Positions): Promise<FeedResumeAnswer> {
  const answer: unknown = await socket.timeout(10_000).emitWithAck('feed.resume', { positions });
  return feedResumeAnswerSchema.parse(answer);
}

// A replay's results and positions; fails the test on any other answer.
async function replay(positions: Positions): Promise<{ purchaseIds: string[]; positions: Positions }> {
  const answer = await resume(positions);
  if (!('results' in answer)) throw new Error(`expected a replay, got ${JSON.stringify(answer)}`);
  return { purchaseIds: answer.results.map((result) => result.purchaseId), positions: answer.positions };
}

beforeAll(async () => {
  worker = await startWorkerProcess();
  web = await startWebProcess(3211);
  socket = connectSocket(web.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await restock(100);
});

afterAll(async () => {
  socket?.close();
  await Promise.all([web?.stop(), worker?.stop()]);
  await closePool();
});

describe('feed.resume after the outbox was pruned', () => {
  it('answers reload below the prune horizon, and every missed result from the horizon or above it', async () => {
    const before = await buy(3);
    const beforePrune = await replay({});
    expect(beforePrune.purchaseIds.slice(0, 3)).toEqual([...before].reverse());
    const positionsBeforeLast = { ...beforePrune.positions };
    const last = await buy(2);
    const atHorizon = await replay(positionsBeforeLast);
    expect(atHorizon.purchaseIds).toEqual([...last].reverse());

    // A window of 0: every sent row is old, so the horizon moves to the newest sent sequence of each partition.
    const run = await pruneOutbox(partitions, { retentionMs: 0, batchRowsMax: 2 });
    expect(run.map((partition) => String(partition.prunedUpTo))).toEqual(partitions.map((partition) => String(atHorizon.positions[partition] ?? 0)));
    expect(run.some((partition) => partition.batchRows.length >= 3)).toBe(true);

    const afterPrune = await buy(2);
    const inWindow = await replay(atHorizon.positions);
    const afterLast = await buy(2);

    // Below the horizon: the results after that position are gone, so no replay at all.
    const reload = await resume(positionsBeforeLast);
    expect(reload).toEqual({ reload: true, reason: expect.stringMatching(/^partition \d+ is kept only after sequence \d+, and this feed last saw \d+: reload it$/) });
    // At the horizon and above it: every result after the position, newest first, and nothing else.
    expect((await replay(atHorizon.positions)).purchaseIds).toEqual([...afterPrune, ...afterLast].reverse());
    const latest = await replay(inWindow.positions);
    expect(latest.purchaseIds).toEqual([...afterLast].reverse());
    // The reload itself: from no positions, the newest results the outbox still keeps, none of the pruned ones.
    const reloaded = await replay({});
    expect(reloaded.purchaseIds).toEqual([...afterPrune, ...afterLast].reverse());
    expect(reloaded.positions).toEqual(latest.positions);
  });
});
