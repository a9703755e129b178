// Goal: the API side of holds and refunds against the real web process, Kafka and Postgres, without a worker: holds are recorded and appended, ids are idempotent and shared with purchases (409), the per-address bounds answer 429 with nothing recorded or appended (also under a burst), and confirm, cancel and refund on final or undecided states answer without appending.
import { randomInt, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { createKafka } from '../kafka/client';
import { ensureTopics, topics } from '../kafka/topics';
import { sleep, startWebProcess, type WebProcess } from '../testing/processes';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> | undefined };

const runId = randomUUID().slice(0, 8);
const holdsMax = 3;
const heldUnitsMax = 5;
const ttlSecondsDefault = 45;
const sellerAuthorization = `Bearer ${config.SELLER_TOKEN}`;
// Each test takes client addresses of its own (127.0.0.0/8 is all loopback on Linux), so the bounds of one
// test, or of an earlier run on the same database, never count against another. Random per run, and printed.
const addressBase = randomInt(2, 200);
let addressesTaken = 0;
function nextAddress(): string {
  addressesTaken += 1;
  return `127.0.${addressBase}.${addressesTaken}`;
}
console.log(`hold-intake: run ${runId}, client addresses 127.0.${addressBase}.x`);

let web: WebProcess;
const admin = createKafka(`bps-hold-intake-test-${runId}`).admin();
const database = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });

// node:http rather than fetch: it can bind the client's source address, which the bounds count by.
function send(method: string, path: string, options: { body?: unknown; from?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const text = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, web.url),
      { method, localAddress: options.from, headers: { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const raw = Buffer.concat(chunks).toString();
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: raw === '' ? undefined : (JSON.parse(raw) as Record<string, unknown>) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

const holdBody = (overrides: Record<string, unknown> = {}) => ({ holdId: `hold-${runId}-${randomUUID()}`, itemId: `hold-intake-${runId}`, quantity: 1, heldBy: 'Ann', ...overrides });

// Records on bps-purchase-created so far: no worker runs here and integration test files run one at a time, so
// every new record was appended by this file.
async function appendedCount(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topics.purchaseCreated);
  return offsets.reduce((total, partition) => total + Number(partition.high), 0);
}

// What the request appended: the record count after minus before.
async function appendedBy(work: () => Promise<Reply>): Promise<{ reply: Reply; appended: number }> {
  const before = await appendedCount();
  const reply = await work();
  return { reply, appended: (await appendedCount()) - before };
}

async function intakeRows(ids: readonly string[]) {
  const { rows } = await database.query<{ purchase_id: string; kind: string; client_address: string | null; created_at: Date; expires_at: Date | null }>(
    'SELECT purchase_id, kind::text AS kind, client_address, created_at, expires_at FROM purchase_requests WHERE purchase_id = ANY($1::text[])',
    [[...ids]],
  );
  return rows;
}

// A hold decided as the worker stores it, for the answers that depend only on the stored state.
async function storeHold(holdId: string, status: 'CANCELLED' | 'EXPIRED' | 'FAILED') {
  await database.query(
    `INSERT INTO holds (hold_id, item_id, quantity, held_by, status, reason, remaining, result_message, created_at, expires_at, decided_at, updated_at, source_partition, source_offset)
     SELECT purchase_id, item_id, quantity, purchased_by, $2::hold_status, CASE WHEN $2 = 'FAILED' THEN 'OUT_OF_STOCK'::failure_reason END, 0, 'stored by the test',
            created_at, expires_at, now(), now(), 0, 0 FROM purchase_requests WHERE purchase_id = $1`,
    [holdId, status],
  );
}

async function storePurchase(purchaseId: string, status: 'FAILED' | 'REFUNDED') {
  await database.query(
    `INSERT INTO purchases (purchase_id, item_id, quantity, purchased_by, created_at, status, reason, remaining, result_message, decided_at, refunded_at, source_partition, source_offset)
     SELECT purchase_id, item_id, quantity, purchased_by, created_at, $2::purchase_status, CASE WHEN $2 = 'FAILED' THEN 'UNKNOWN_ITEM'::failure_reason END, 0,
            'stored by the test', now(), CASE WHEN $2 = 'REFUNDED' THEN now() END, 0, 0 FROM purchase_requests WHERE purchase_id = $1`,
    [purchaseId, status],
  );
}

beforeAll(async () => {
  await admin.connect();
  await ensureTopics(admin);
  web = await startWebProcess(3202, {
    HOLDS_PER_CLIENT_MAX: String(holdsMax),
    HELD_UNITS_PER_CLIENT_MAX: String(heldUnitsMax),
    HOLD_TTL_SECONDS: String(ttlSecondsDefault),
  });
});

afterAll(async () => {
  await web?.stop();
  await admin.disconnect();
  await database.end();
});

describe('placing a hold', () => {
  it('records it with its address and expiry, appends it once, and answers 202 PENDING with Location; GET shows it PENDING', async () => {
    const from = nextAddress();
    const body = holdBody({ ttlSeconds: 120, quantity: 2 });
    const { reply, appended } = await appendedBy(() => send('POST', '/api/holds', { body, from }));
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    expect(reply.body).toEqual({ holdId: body.holdId, status: 'PENDING' });
    expect(reply.headers.location).toBe(`/api/holds/${body.holdId}`);
    expect(appended).toBe(1);
    const [row] = await intakeRows([body.holdId]);
    expect(row?.kind).toBe('HOLD');
    expect(row?.client_address).toBe(from);
    expect((row?.expires_at?.getTime() ?? 0) - (row?.created_at.getTime() ?? 0)).toBe(120_000);
    const view = await send('GET', `/api/holds/${body.holdId}`);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      holdId: body.holdId,
      itemId: body.itemId,
      quantity: 2,
      heldBy: 'Ann',
      createdAt: row?.created_at.toISOString(),
      expiresAt: row?.expires_at?.toISOString(),
      status: 'PENDING',
    });
  });

  it('lasts HOLD_TTL_SECONDS without ttlSeconds, and generates a holdId without one', async () => {
    const { holdId: _none, ...body } = holdBody();
    const reply = await send('POST', '/api/holds', { body, from: nextAddress() });
    expect(reply.status).toBe(202);
    const holdId = String(reply.body?.holdId);
    expect(holdId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await intakeRows([holdId]);
    expect((row?.expires_at?.getTime() ?? 0) - (row?.created_at.getTime() ?? 0)).toBe(ttlSecondsDefault * 1000);
  });

  it('answers the same body again as the first and appends it again (the first append may have failed); keeps the first stamps', async () => {
    const from = nextAddress();
    const body = holdBody({ ttlSeconds: 60 });
    expect((await send('POST', '/api/holds', { body, from })).status).toBe(202);
    const [first] = await intakeRows([body.holdId]);
    await sleep(20);
    const { reply, appended } = await appendedBy(() => send('POST', '/api/holds', { body, from }));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ holdId: body.holdId, status: 'PENDING' });
    expect(appended).toBe(1);
    expect(await intakeRows([body.holdId])).toEqual([first]);
  });

  it.each([
    ['another quantity', { quantity: 2 }],
    ['another item', { itemId: `hold-intake-other-${runId}` }],
    ['another holder', { heldBy: 'Bob' }],
    ['another ttl', { ttlSeconds: 61 }],
  ])('refuses the same holdId with %s: 409 naming holdId, nothing appended', async (_name, change) => {
    const body = holdBody({ ttlSeconds: 60 });
    expect((await send('POST', '/api/holds', { body, from: nextAddress() })).status).toBe(202);
    const { reply, appended } = await appendedBy(() => send('POST', '/api/holds', { body: { ...body, ...change }, from: nextAddress() }));
    expect(reply.status).toBe(409);
    expect(Object.keys((reply.body?.fields as object | undefined) ?? {})).toEqual(['holdId']);
    expect(appended).toBe(0);
  });
});

describe('one namespace of ids for holds and purchases', () => {
  it("refuses a hold on a purchase's id, and a purchase on a hold's id: 409, nothing appended or recorded", async () => {
    const purchaseId = `purchase-${runId}-${randomUUID()}`;
    const purchase = await send('POST', '/api/purchases', { body: { purchaseId, itemId: `hold-intake-${runId}`, quantity: 1, purchasedBy: 'Ann' } });
    expect(purchase.status).toBe(202);
    const onPurchase = await appendedBy(() => send('POST', '/api/holds', { body: holdBody({ holdId: purchaseId }), from: nextAddress() }));
    expect(onPurchase.reply.status).toBe(409);
    expect(onPurchase.reply.body?.fields).toEqual({ holdId: 'already used by a purchase' });
    expect(onPurchase.appended).toBe(0);
    expect((await intakeRows([purchaseId])).map((row) => row.kind)).toEqual(['PURCHASE']);

    const hold = holdBody();
    expect((await send('POST', '/api/holds', { body: hold, from: nextAddress() })).status).toBe(202);
    const onHold = await appendedBy(() => send('POST', '/api/purchases', { body: { purchaseId: hold.holdId, itemId: hold.itemId, quantity: 1, purchasedBy: 'Ann' } }));
    expect(onHold.reply.status).toBe(409);
    expect(onHold.reply.body?.fields).toEqual({ purchaseId: 'already used by a hold' });
    expect(onHold.appended).toBe(0);
    expect((await intakeRows([hold.holdId])).map((row) => row.kind)).toEqual(['HOLD']);
  });

  it('does not show an undecided hold as a purchase, nor a purchase as a hold', async () => {
    const hold = holdBody();
    expect((await send('POST', '/api/holds', { body: hold, from: nextAddress() })).status).toBe(202);
    expect((await send('GET', `/api/purchases/${hold.holdId}`)).status).toBe(404);
    const purchaseId = `purchase-${runId}-${randomUUID()}`;
    expect((await send('POST', '/api/purchases', { body: { purchaseId, itemId: hold.itemId, quantity: 1, purchasedBy: 'Ann' } })).status).toBe(202);
    expect((await send('GET', `/api/holds/${purchaseId}`)).status).toBe(404);
    const confirm = await appendedBy(() => send('POST', `/api/holds/${purchaseId}/confirm`));
    expect(confirm.reply.status).toBe(404);
    expect(confirm.appended).toBe(0);
  });
});

describe('the bounds per client address', () => {
  it(`answers 429 past ${heldUnitsMax} held units or ${holdsMax} active holds, recording and appending nothing; a repeat and another address still pass`, async () => {
    const from = nextAddress();
    const accepted = [holdBody({ quantity: 2 }), holdBody({ quantity: 2 })];
    for (const body of accepted) expect((await send('POST', '/api/holds', { body, from })).status).toBe(202);

    const tooManyUnits = holdBody({ quantity: 2 });
    const units = await appendedBy(() => send('POST', '/api/holds', { body: tooManyUnits, from }));
    expect(units.reply.status).toBe(429);
    expect(units.reply.headers['retry-after']).toMatch(/^\d+$/);
    expect(Object.keys((units.reply.body?.fields as object | undefined) ?? {})).toEqual(['quantity']);
    expect(units.appended).toBe(0);

    const lastUnit = holdBody({ quantity: 1 });
    expect((await send('POST', '/api/holds', { body: lastUnit, from })).status).toBe(202);
    const tooManyHolds = holdBody({ quantity: 1 });
    const holds = await appendedBy(() => send('POST', '/api/holds', { body: tooManyHolds, from }));
    expect(holds.reply.status).toBe(429);
    expect(holds.reply.headers['retry-after']).toMatch(/^\d+$/);
    expect(String(holds.reply.body?.error)).toMatch(/active holds/);
    expect(holds.appended).toBe(0);
    expect(await intakeRows([tooManyUnits.holdId, tooManyHolds.holdId])).toEqual([]);

    // The same hold again is not another hold.
    expect((await send('POST', '/api/holds', { body: accepted[0], from })).status).toBe(202);
    expect((await send('POST', '/api/holds', { body: holdBody({ quantity: 1 }), from: nextAddress() })).status).toBe(202);
  });

  it('no longer counts expired holds', async () => {
    const from = nextAddress();
    for (let index = 0; index < holdsMax; index += 1) expect((await send('POST', '/api/holds', { body: holdBody({ ttlSeconds: 1 }), from })).status).toBe(202);
    expect((await send('POST', '/api/holds', { body: holdBody(), from })).status).toBe(429);
    await sleep(1_100);
    expect((await send('POST', '/api/holds', { body: holdBody(), from })).status).toBe(202);
  });

  it(`lets exactly ${holdsMax} of a burst of 12 holds from one address through`, async () => {
    const from = nextAddress();
    const bodies = Array.from({ length: 12 }, () => holdBody());
    const before = await appendedCount();
    const statuses = (await Promise.all(bodies.map((body) => send('POST', '/api/holds', { body, from })))).map((reply) => reply.status);
    const appended = (await appendedCount()) - before;
    expect(statuses.filter((status) => status === 202)).toHaveLength(holdsMax);
    expect(statuses.filter((status) => status === 429)).toHaveLength(bodies.length - holdsMax);
    expect(appended).toBe(holdsMax);
    expect(await intakeRows(bodies.map((body) => body.holdId))).toHaveLength(holdsMax);
  });
});

describe('confirm and cancel', () => {
  it('append a stamped command for a hold not decided yet and answer 202 PENDING with Location', async () => {
    const hold = holdBody();
    expect((await send('POST', '/api/holds', { body: hold, from: nextAddress() })).status).toBe(202);
    for (const step of ['confirm', 'cancel']) {
      const { reply, appended } = await appendedBy(() => send('POST', `/api/holds/${hold.holdId}/${step}`));
      expect(reply.status, step).toBe(202);
      expect(reply.body).toEqual({ holdId: hold.holdId, status: 'PENDING' });
      expect(reply.headers.location).toBe(`/api/holds/${hold.holdId}`);
      expect(appended).toBe(1);
    }
  });

  it.each([
    ['CANCELLED', 'HOLD_CANCELLED'],
    ['EXPIRED', 'HOLD_EXPIRED'],
    ['FAILED', 'HOLD_FAILED'],
  ] as const)('answer a %s hold from its state without appending: confirm FAILED %s, cancel the hold as it is', async (status, reason) => {
    const hold = holdBody();
    expect((await send('POST', '/api/holds', { body: hold, from: nextAddress() })).status).toBe(202);
    await storeHold(hold.holdId, status);
    const confirm = await appendedBy(() => send('POST', `/api/holds/${hold.holdId}/confirm?wait=1000`));
    expect(confirm.reply.status).toBe(200);
    expect(confirm.reply.body).toMatchObject({ holdId: hold.holdId, status: 'FAILED', reason, hold: { holdId: hold.holdId, status } });
    expect(confirm.appended).toBe(0);
    const cancel = await appendedBy(() => send('POST', `/api/holds/${hold.holdId}/cancel?wait=1000`));
    expect(cancel.reply.status).toBe(200);
    expect(cancel.reply.body).toMatchObject({ holdId: hold.holdId, status });
    expect(cancel.appended).toBe(0);
    expect((await send('GET', `/api/holds/${hold.holdId}`)).body).toMatchObject({ status });
  });
});

describe('refund', () => {
  const seller = { authorization: sellerAuthorization };

  it('is 409 for a purchase not decided yet and for a FAILED one, 200 unchanged for a REFUNDED one; nothing is appended', async () => {
    const purchaseId = `purchase-${runId}-${randomUUID()}`;
    expect((await send('POST', '/api/purchases', { body: { purchaseId, itemId: `hold-intake-${runId}`, quantity: 1, purchasedBy: 'Ann' } })).status).toBe(202);
    const pending = await appendedBy(() => send('POST', `/api/purchases/${purchaseId}/refund?wait=500`, { headers: seller }));
    expect(pending.reply.status).toBe(409);
    expect(pending.appended).toBe(0);

    await storePurchase(purchaseId, 'FAILED');
    const failed = await appendedBy(() => send('POST', `/api/purchases/${purchaseId}/refund`, { headers: seller }));
    expect(failed.reply.status).toBe(409);
    expect(String(failed.reply.body?.error)).toMatch(/failed/);
    expect(failed.appended).toBe(0);

    const refundedId = `purchase-${runId}-${randomUUID()}`;
    expect((await send('POST', '/api/purchases', { body: { purchaseId: refundedId, itemId: `hold-intake-${runId}`, quantity: 1, purchasedBy: 'Ann' } })).status).toBe(202);
    await storePurchase(refundedId, 'REFUNDED');
    const refunded = await appendedBy(() => send('POST', `/api/purchases/${refundedId}/refund?wait=500`, { headers: seller }));
    expect(refunded.reply.status).toBe(200);
    expect(refunded.reply.body).toMatchObject({ purchaseId: refundedId, status: 'REFUNDED', reason: null });
    expect(typeof refunded.reply.body?.refundedAt).toBe('string');
    expect(refunded.appended).toBe(0);
    expect((await send('GET', `/api/purchases/${refundedId}`)).body).toEqual(refunded.reply.body);
    const sales = await send('GET', '/api/sales?limit=100', { headers: seller });
    expect(sales.status).toBe(200);
    expect(sales.body).toEqual(expect.arrayContaining([refunded.reply.body]));
  });

  it('is for the seller only: a buyer without a session or token gets 401 and nothing is appended', async () => {
    const { reply, appended } = await appendedBy(() => send('POST', `/api/purchases/purchase-${runId}/refund`));
    expect(reply.status).toBe(401);
    expect(appended).toBe(0);
  });
});
