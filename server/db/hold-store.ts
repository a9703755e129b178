// The web process's Postgres adapter for holds: their intake rows (kind HOLD in purchase_requests, the one
// namespace of ids shared with purchases), the per-address bounds against scalping, and the holds the worker
// decided (table holds).
import type pg from 'pg';
import type { HoldResult } from '../contract';
import { holdResultOf } from '../purchases/stored-purchase';
import { databaseCall } from './errors';
import { getPool } from './pool';
import { toStoredHold, type PgHoldRow as StoredHoldRow } from './stock-store';
import type { RequestKind } from './purchase-store';

export type HoldRequestRow = { holdId: string; itemId: string; quantity: number; heldBy: string; createdAt: string; expiresAt: string };

// What the bounds allow one client address: active holds (placed or pending, not expired, not final) and the
// units they hold in all.
export type HoldBounds = { holdsMax: number; heldUnitsMax: number };

export type HoldIntake =
  | { kind: 'recorded'; inserted: boolean; stored: HoldRequestRow }
  // The id is a purchase's: nothing was recorded.
  | { kind: 'taken-by-purchase' }
  // Over a bound: nothing was recorded. active: the address's active holds and units before this request.
  | { kind: 'over-bound'; bound: 'holds' | 'units'; active: { holds: number; units: number } };

export type PgRequestRow = {
  purchase_id: string;
  kind: RequestKind;
  item_id: string;
  quantity: number;
  purchased_by: string;
  created_at: Date;
  expires_at: Date | null;
};

const requestColumns = 'purchase_id, kind::text AS kind, item_id, quantity, purchased_by, created_at, expires_at';

// Records a hold request, unless its holdId is taken (answered as stored) or the client address is over a
// bound. One transaction per address at a time (an advisory lock on the address), so two requests of one
// client cannot both pass the count; other addresses are not held up. A repeated holdId skips the bounds: it
// is the same hold, counted already.
export async function insertHoldRequest(request: HoldRequestRow, clientAddress: string, bounds: HoldBounds): Promise<HoldIntake> {
  return databaseCall(async () => {
    const client = await getPool().connect();
    try {
      await client.query('BEGIN');
      const intake = await recordHold(client, request, clientAddress, bounds);
      await client.query('COMMIT');
      return intake;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}

async function recordHold(client: pg.PoolClient, request: HoldRequestRow, clientAddress: string, bounds: HoldBounds): Promise<HoldIntake> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('bps-hold-client:' || $1, 0))`, [clientAddress]);
  const existing = await readRequest(client, request.holdId);
  if (existing) return answerStored(existing);
  const { rows } = await client.query<{ holds: string; units: string }>(
    `SELECT count(*) AS holds, COALESCE(sum(r.quantity), 0) AS units
     FROM purchase_requests r LEFT JOIN holds h ON h.hold_id = r.purchase_id
     WHERE r.client_address = $1 AND r.kind = 'HOLD' AND r.expires_at > $2::timestamptz AND (h.hold_id IS NULL OR h.status = 'HELD')`,
    [clientAddress, request.createdAt],
  );
  const active = { holds: Number(rows[0]?.holds ?? 0), units: Number(rows[0]?.units ?? 0) };
  if (active.holds + 1 > bounds.holdsMax) return { kind: 'over-bound', bound: 'holds', active };
  if (active.units + request.quantity > bounds.heldUnitsMax) return { kind: 'over-bound', bound: 'units', active };
  const inserted = await client.query(
    `INSERT INTO purchase_requests (purchase_id, kind, item_id, quantity, purchased_by, created_at, expires_at, client_address)
     VALUES ($1, 'HOLD', $2, $3, $4, $5, $6, $7) ON CONFLICT (purchase_id) DO NOTHING`,
    [request.holdId, request.itemId, request.quantity, request.heldBy, request.createdAt, request.expiresAt, clientAddress],
  );
  if (inserted.rowCount === 1) return { kind: 'recorded', inserted: true, stored: request };
  // Another address recorded the id meanwhile: ON CONFLICT waited for its commit, so this statement sees it.
  const raced = await readRequest(client, request.holdId);
  // Intake rows are deleted only after a failed append, by the request that inserted them.
  if (!raced) throw new Error(`hold request ${request.holdId} conflicted but is gone`);
  return answerStored(raced);
}

async function readRequest(client: pg.PoolClient, id: string): Promise<PgRequestRow | undefined> {
  const { rows } = await client.query<PgRequestRow>(`SELECT ${requestColumns} FROM purchase_requests WHERE purchase_id = $1`, [id]);
  return rows[0];
}

function answerStored(row: PgRequestRow): HoldIntake {
  const stored = toHoldRequest(row);
  return stored ? { kind: 'recorded', inserted: false, stored } : { kind: 'taken-by-purchase' };
}

// Undefined for a purchase's row.
export function toHoldRequest(row: PgRequestRow): HoldRequestRow | undefined {
  if (row.kind !== 'HOLD') return undefined;
  // Every HOLD row is written with its expiry (above); one without is corrupted.
  if (!row.expires_at) throw new Error(`hold request ${row.purchase_id} has no expires_at`);
  return {
    holdId: row.purchase_id,
    itemId: row.item_id,
    quantity: row.quantity,
    heldBy: row.purchased_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}

export async function findHoldRequest(holdId: string): Promise<HoldRequestRow | undefined> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<PgRequestRow>(`SELECT ${requestColumns} FROM purchase_requests WHERE purchase_id = $1 AND kind = 'HOLD'`, [holdId]);
    return rows[0] ? toHoldRequest(rows[0]) : undefined;
  });
}

// Undoes the intake row of a hold whose command could not be appended (the client got 503 and may retry), so
// that no hold is left PENDING for ever and the address's bounds do not count it. Kept if the worker decided
// the hold after all (the append reached the broker).
export async function forgetHoldRequest(holdId: string): Promise<void> {
  return databaseCall(async () => {
    await getPool().query(
      `DELETE FROM purchase_requests r WHERE r.purchase_id = $1 AND r.kind = 'HOLD'
       AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.hold_id = r.purchase_id)`,
      [holdId],
    );
  });
}

// A holds row as read here: the worker's row without where the hold came from, which no result shows.
export type PgHoldRow = Omit<StoredHoldRow, 'source_partition' | 'source_offset'>;

export const holdColumns = `hold_id, item_id, quantity, held_by, status::text AS status, reason::text AS reason, remaining, result_message,
  created_at, expires_at, unit_price, decided_at, updated_at`;

// The decided holds among these ids, as the worker publishes them (stored-purchase.ts builds both).
export async function findHoldResults(holdIds: readonly string[]): Promise<HoldResult[]> {
  return databaseCall(async () => {
    if (holdIds.length === 0) return [];
    const { rows } = await getPool().query<PgHoldRow>(`SELECT ${holdColumns} FROM holds WHERE hold_id = ANY($1::text[])`, [[...holdIds]]);
    return rows.map(toHoldResult);
  });
}

// Mapped as the worker maps it (stock-store.ts), so a stored hold and a published one are identical.
export function toHoldResult(row: PgHoldRow): HoldResult {
  return holdResultOf(toStoredHold({ ...row, source_partition: 0, source_offset: '0' }));
}
