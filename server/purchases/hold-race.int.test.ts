// Goal: a confirm and its hold's expiry racing end exactly one way (issue 12): 200 holds with a 2 s TTL get
// their confirms at random moments around expiresAt. Each hold ends once; the confirmed holds are exactly those
// whose confirm got a 2xx and is in the log stamped no later than expiresAt; stock is conserved. The seed
// (HOLD_RACE_SEED) replays the same timings.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../audit/run-audit';
import { TopicFollower } from '../audit/topic-follower';
import { config } from '../config';
import { commandKindOf, purchaseCreatedMessageSchema, type ConfirmResult, type HoldResult } from '../contract';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { decodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { createSeededRandom, readSeed } from '../testing/seeded-random';
import { pollUntil, sleep, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const holdCount = 200;
const ttlSeconds = 2;
// Most confirms go out from 1.5 s before to 1.5 s after their hold's expiresAt (racing the stamp against the
// clock); one in five within 1 s of the moment the owner appends the expiry (racing the confirm's append against
// the expiry command's).
const confirmSpreadMs = 1_500;
const expirySpreadMs = 1_000;
const nearExpiryShare = 0.2;

const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };
const jsonHeaders = { 'content-type': 'application/json' };

let web: WebProcess;
let worker: TestProcess;

beforeAll(async () => {
  worker = await startWorkerProcess();
  // All 200 holds come from this one address: far past the per-address bounds a real buyer has.
  web = await startWebProcess(3131, { CLIENT_WAITERS_MAX: '2000', HOLDS_PER_CLIENT_MAX: '1000', HELD_UNITS_PER_CLIENT_MAX: '1000' });
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
  await disconnectPrisma();
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${web.url}${path}`, { method: 'POST', headers: jsonHeaders, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
}

// The confirm records of the given holds in bps-purchase-created, with the API's stamps, in log order.
async function confirmStamps(holdIds: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const kafka = createKafka('hold-race-reader');
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topics.purchaseCreated);
  await admin.disconnect();
  const follower = await TopicFollower.start(kafka, [topics.purchaseCreated]);
  const stamps = new Map<string, string[]>();
  try {
    await follower.readUpTo(
      topics.purchaseCreated,
      offsets.map((offset) => ({ partition: offset.partition, low: Number(offset.low), high: Number(offset.high) })),
      (records) => {
        for (const record of records) {
          const decoded = decodeMessage(purchaseCreatedMessageSchema, record.value);
          if (!decoded.ok || commandKindOf(decoded.value) !== 'confirm' || decoded.value.schemaVersion !== 2 || decoded.value.kind !== 'confirm') continue;
          if (!holdIds.has(decoded.value.holdId)) continue;
          stamps.set(decoded.value.holdId, [...(stamps.get(decoded.value.holdId) ?? []), decoded.value.requestedAt]);
        }
      },
    );
  } finally {
    await follower.stop();
  }
  return stamps;
}

describe('a confirm racing its hold expiry', () => {
  it('ends every hold exactly once, confirming exactly the holds whose acknowledged confirm was stamped in time', async () => {
    const seed = readSeed(process.env, 'HOLD_RACE_SEED');
    console.log(`hold race seed ${seed} (HOLD_RACE_SEED=${seed} replays it)`);
    const random = createSeededRandom(seed);

    const itemId = `hold-race-${randomUUID()}`;
    const restock = await fetch(`${web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId, description: 'Race for holds', quantity: holdCount }) });
    expect(restock.status).toBe(202);
    await pollUntil(async () => (await fetch(`${web.url}/api/items/${itemId}`)).json() as Promise<{ available?: number }>, (item) => item.available === holdCount, 30_000);

    const placed = await Promise.all(
      Array.from({ length: holdCount }, (_, index) => post('/api/holds?wait=10000', { holdId: randomUUID(), itemId, quantity: 1, heldBy: `buyer-${index}`, ttlSeconds })),
    );
    expect(placed.map((answer) => answer.status)).toEqual(placed.map(() => 200));
    const holds = placed.map((answer) => answer.body as HoldResult);
    expect(holds.every((hold) => hold.status === 'HELD')).toBe(true);

    // Each confirm leaves at its own moment around its hold's expiresAt, on this machine's clock (the API's).
    const confirms = await Promise.all(
      holds.map(async (hold) => {
        const nearExpiry = random() < nearExpiryShare;
        const offsetMs = nearExpiry ? limits.holdConfirmGraceMs + (random() * 2 - 1) * expirySpreadMs : (random() * 2 - 1) * confirmSpreadMs;
        await sleep(Math.max(0, Date.parse(hold.expiresAt) + offsetMs - Date.now()));
        const answer = await post(`/api/holds/${hold.holdId}/confirm?wait=10000`, undefined);
        return { hold, offsetMs, ...answer };
      }),
    );
    expect(confirms.filter((confirm) => confirm.status !== 200 && confirm.status !== 202).map((confirm) => ({ status: confirm.status, body: confirm.body }))).toEqual([]);

    // Every hold reaches a final state: the last expiries are appended holdConfirmGraceMs after expiresAt.
    const holdIds = holds.map((hold) => hold.holdId);
    await pollUntil(
      () => getPrisma().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM holds WHERE hold_id = ANY(${holdIds}::text[]) AND status = 'HELD'`,
      (rows) => rows[0]?.count === 0n,
      limits.holdConfirmGraceMs + 30_000,
    );
    const rows = await getPrisma().$queryRaw<{ hold_id: string; status: string }[]>`SELECT hold_id, status::text AS status FROM holds WHERE hold_id = ANY(${holdIds}::text[])`;
    const finalStatus = new Map(rows.map((row) => [row.hold_id, row.status]));
    expect(finalStatus.size).toBe(holdCount);

    const stamps = await confirmStamps(new Set(holdIds));
    for (const confirm of confirms) {
      const { holdId, expiresAt } = confirm.hold;
      const status = finalStatus.get(holdId);
      expect(['CONFIRMED', 'EXPIRED']).toContain(status);
      const logged = stamps.get(holdId) ?? [];
      const inTime = logged.some((stamp) => Date.parse(stamp) <= Date.parse(expiresAt));
      // Acknowledged (2xx) and in the log stamped in time: the confirm wins. Otherwise the hold expired.
      expect({ holdId, status }).toEqual({ holdId, status: inTime ? 'CONFIRMED' : 'EXPIRED' });
      if (confirm.status === 200) {
        const answer = confirm.body as ConfirmResult;
        expect(answer.status === 'CONFIRMED' ? 'CONFIRMED' : 'EXPIRED').toBe(status);
        if (answer.status === 'FAILED') expect(answer.reason).toBe('HOLD_EXPIRED');
      }
    }
    const confirmed = [...finalStatus.values()].filter((status) => status === 'CONFIRMED').length;
    console.log(`hold race: ${confirmed} confirmed, ${holdCount - confirmed} expired, ${confirms.filter((confirm) => confirm.status === 202).length} confirms answered 202`);

    // Stock is conserved: the confirmed units are sold, the rest are available again, nothing stays held.
    const item = (await (await fetch(`${web.url}/api/items/${itemId}`)).json()) as { available: number; held: number; sold: number; refunded: number; restocked: number };
    expect(item).toMatchObject({ restocked: holdCount, sold: confirmed, held: 0, refunded: 0, available: holdCount - confirmed });

    // The auditor replays the topics: every hold has exactly one final state, nothing oversold.
    await pollUntil(
      () => getPrisma().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
        WHERE o.id > COALESCE(p.sent_up_to, 0) AND o.key = ${itemId}`,
      (pending) => pending[0]?.count === 0n,
      30_000,
    );
    const audit = await runAudit({ itemIds: [itemId] });
    expect(audit.violations).toEqual([]);
  });
});
