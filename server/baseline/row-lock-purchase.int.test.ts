// Goal: the row-lock baseline's one statement never oversells under concurrent buyers, answers a retry with its first answer, and decrements once for concurrent requests with the same new purchaseId (real Postgres).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { limits } from '../limits';
import { baselinePurchase, endBaselinePool } from './row-lock-purchase';

const prefix = `baseline-test-${randomUUID().slice(0, 8)}`;
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: limits.connectTimeoutMs });
  await client.connect();
});

afterAll(async () => {
  await client?.query('DELETE FROM baseline_purchases WHERE item_id LIKE $1', [`${prefix}%`]);
  await client?.query('DELETE FROM baseline_items WHERE item_id LIKE $1', [`${prefix}%`]);
  await client?.end();
  await endBaselinePool();
});

async function createItem(available: number): Promise<string> {
  const itemId = `${prefix}-${randomUUID().slice(0, 8)}`;
  await client.query('INSERT INTO baseline_items (item_id, available) VALUES ($1, $2)', [itemId, available]);
  return itemId;
}

async function readItem(itemId: string) {
  const item = await client.query<{ available: number }>('SELECT available FROM baseline_items WHERE item_id = $1', [itemId]);
  const purchases = await client.query<{ count: string; sold: string | null }>(
    `SELECT count(*) AS count, sum(quantity) FILTER (WHERE status = 'SUCCEEDED') AS sold FROM baseline_purchases WHERE item_id = $1`,
    [itemId],
  );
  return { available: item.rows[0]?.available, purchases: Number(purchases.rows[0]?.count), sold: Number(purchases.rows[0]?.sold ?? 0) };
}

describe('row-lock baseline', () => {
  it('sells exactly the stock to concurrent buyers, each unit once', async () => {
    const itemId = await createItem(20);
    const answers = await Promise.all(Array.from({ length: 50 }, () => baselinePurchase(randomUUID(), itemId, 1)));
    const succeeded = answers.filter((answer) => answer.status === 'SUCCEEDED');
    expect(succeeded).toHaveLength(20);
    expect(new Set(succeeded.map((answer) => answer.remaining))).toEqual(new Set(Array.from({ length: 20 }, (_, index) => index)));
    expect(await readItem(itemId)).toEqual({ available: 0, purchases: 50, sold: 20 });
  });

  it('fails a purchase larger than the stock and leaves the stock alone', async () => {
    const itemId = await createItem(3);
    const answer = await baselinePurchase(randomUUID(), itemId, 4);
    expect(answer).toMatchObject({ status: 'FAILED', remaining: 3 });
    expect(await readItem(itemId)).toEqual({ available: 3, purchases: 1, sold: 0 });
  });

  it('fails an unknown item with nothing remaining', async () => {
    const purchaseId = randomUUID();
    expect(await baselinePurchase(purchaseId, `${prefix}-unknown`, 1)).toEqual({ purchaseId, status: 'FAILED', remaining: 0 });
  });

  it('answers a retry with the first answer and sells nothing more', async () => {
    const itemId = await createItem(5);
    const purchaseId = randomUUID();
    const first = await baselinePurchase(purchaseId, itemId, 2);
    expect(first).toEqual({ purchaseId, status: 'SUCCEEDED', remaining: 3 });
    expect(await baselinePurchase(purchaseId, itemId, 2)).toEqual(first);
    // Another body under the same purchaseId still gets the first answer, not a second sale.
    expect(await baselinePurchase(purchaseId, itemId, 1)).toEqual(first);
    expect(await readItem(itemId)).toEqual({ available: 3, purchases: 1, sold: 2 });
  });

  it('decrements once for concurrent requests with the same new purchaseId', async () => {
    const itemId = await createItem(10);
    const purchaseId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => baselinePurchase(purchaseId, itemId, 1)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ purchaseId, status: 'SUCCEEDED', remaining: 9 })]));
    expect(await readItem(itemId)).toEqual({ available: 9, purchases: 1, sold: 1 });
  });
});
