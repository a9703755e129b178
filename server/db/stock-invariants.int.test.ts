// Goal: PostgreSQL itself refuses any items row that loses or invents a unit (CHECK items_stock_invariant: available + held + sold − refunded = restocked, every term ≥ 0, refunded ≤ sold; SQLSTATE 23514), whoever writes it, and accepts every row that adds up.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { config } from '../config';
import { limits } from '../limits';
import { newItem } from '../domain/purchase';
import { disconnectPrisma } from './client';
import { inBatchTransaction, writeItems } from './stock-store';

const checkViolation = '23514';
const constraint = 'items_stock_invariant';
const itemId = `invariant-${randomUUID()}`;
const start = { restocked: 5, sold: 2, available: 2, held: 1, refunded: 0 };

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: limits.connectTimeoutMs });
  await client.connect();
});

afterAll(async () => {
  await client?.query('DELETE FROM items WHERE item_id = $1', [itemId]);
  await client?.end();
  await disconnectPrisma();
});

beforeEach(async () => {
  await client.query(
    `INSERT INTO items (item_id, description, restocked, sold, available, held, refunded, updated_at) VALUES ($1, 'Invariant test', $2, $3, $4, $5, $6, now())
     ON CONFLICT (item_id) DO UPDATE SET restocked = EXCLUDED.restocked, sold = EXCLUDED.sold, available = EXCLUDED.available,
       held = EXCLUDED.held, refunded = EXCLUDED.refunded`,
    [itemId, start.restocked, start.sold, start.available, start.held, start.refunded],
  );
});

async function readStock() {
  const result = await client.query<{ restocked: number; sold: number; available: number; held: number; refunded: number }>(
    'SELECT restocked, sold, available, held, refunded FROM items WHERE item_id = $1',
    [itemId],
  );
  return result.rows[0];
}

async function expectRefused(sql: string, values: unknown[]): Promise<void> {
  const refusal = await client.query(sql, values).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(pg.DatabaseError);
  expect(refusal).toMatchObject({ code: checkViolation, constraint });
  expect(await readStock()).toEqual(start);
}

describe('items stock invariant', () => {
  it('refuses available that breaks the equation (a unit invented)', async () => {
    await expectRefused('UPDATE items SET available = restocked - sold + 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses sold that breaks the equation (a unit lost)', async () => {
    await expectRefused('UPDATE items SET sold = sold + 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses negative available, even when the equation still holds', async () => {
    await expectRefused('UPDATE items SET sold = restocked + 1, available = -1 WHERE item_id = $1', [itemId]);
  });

  it('refuses negative sold, even when the equation still holds', async () => {
    await expectRefused('UPDATE items SET sold = -1, available = restocked + 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses a held unit that left available without leaving the equation (a unit invented)', async () => {
    await expectRefused('UPDATE items SET held = held + 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses negative held, even when the equation still holds', async () => {
    await expectRefused('UPDATE items SET held = -1, available = available + 2 WHERE item_id = $1', [itemId]);
  });

  it('refuses refunded without its units back in available (a unit lost)', async () => {
    await expectRefused('UPDATE items SET refunded = 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses more refunded than sold, even when the equation still holds', async () => {
    await expectRefused('UPDATE items SET refunded = sold + 1, available = available + sold + 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses negative refunded, even when the equation still holds', async () => {
    await expectRefused('UPDATE items SET refunded = -1, available = available - 1 WHERE item_id = $1', [itemId]);
  });

  it('refuses a violating insert as well as an update', async () => {
    const refusal = await client
      .query(`INSERT INTO items (item_id, description, restocked, sold, available, updated_at) VALUES ($1, 'Invented', 0, 0, 1, now())`, [
        `invariant-${randomUUID()}`,
      ])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toMatchObject({ code: checkViolation, constraint });
  });

  it('accepts writes that add up, down to the last unit sold', async () => {
    await client.query('UPDATE items SET restocked = 10, sold = 4, available = 3, held = 3 WHERE item_id = $1', [itemId]);
    expect(await readStock()).toEqual({ restocked: 10, sold: 4, available: 3, held: 3, refunded: 0 });
    await client.query('UPDATE items SET refunded = 4, available = 7 WHERE item_id = $1', [itemId]);
    expect(await readStock()).toEqual({ restocked: 10, sold: 4, available: 7, held: 3, refunded: 4 });
    await client.query('UPDATE items SET sold = 11, held = 0, available = 0, refunded = 1 WHERE item_id = $1', [itemId]);
    expect(await readStock()).toEqual({ restocked: 10, sold: 11, available: 0, held: 0, refunded: 1 });
  });

  it("refuses the worker's own write path too, and rolls its whole batch transaction back", async () => {
    const oversold = { ...newItem(itemId, 'Invariant test'), restocked: 5, sold: 6, available: -1 };
    await expect(inBatchTransaction((transaction) => writeItems(transaction, [oversold]))).rejects.toThrow(constraint);
    expect(await readStock()).toEqual(start);
    const overRefunded = { ...newItem(itemId, 'Invariant test'), restocked: 5, sold: 2, available: 6, refunded: 3 };
    await expect(inBatchTransaction((transaction) => writeItems(transaction, [overRefunded]))).rejects.toThrow(constraint);
    expect(await readStock()).toEqual(start);
  });
});
