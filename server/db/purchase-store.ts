// The web process's Postgres adapter for purchases and the stock view: intake rows, stored results, items.
import { purchaseFinishedMessageSchema, toFinishedResult, type PurchaseResult, type ResultPosition, type StatsBucket } from '../contract';
import type { FailureReason } from '../domain/purchase';
import { decodeMessage } from '../kafka/messages';
import { limits } from '../limits';
import { purchaseResultOf } from '../purchases/stored-purchase';
import { getPrisma } from './client';
import { databaseCall } from './errors';
import { Prisma } from './generated/client';
import { getPool } from './pool';
import { fromPgPurchaseRow, toStoredPurchase } from './stock-store';

// Holds and purchases share one namespace of ids, recorded in one intake table: kind says which a request is.
export type RequestKind = 'PURCHASE' | 'HOLD';

export type PurchaseRequestRow = { purchaseId: string; itemId: string; quantity: number; purchasedBy: string; createdAt: string };

// stored.kind is the stored request's: HOLD means the purchaseId is already a hold's (409 for a purchase).
export type IntakeRow = { inserted: boolean; stored: PurchaseRequestRow & { kind: RequestKind }; result: PurchaseResult | undefined };

export const purchaseColumns = `p.purchase_id, p.item_id, p.quantity, p.purchased_by, p.created_at, p.status::text AS status,
  p.reason::text AS reason, p.remaining, p.unit_price, p.total, p.result_message, p.decided_at, p.refunded_at`;

// A purchases row as pg returns the columns above (purchase_id is null when a LEFT JOIN found none).
export type PgPurchaseRow = {
  purchase_id: string | null;
  item_id: string;
  quantity: number;
  purchased_by: string;
  created_at: Date;
  status: 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  reason: FailureReason | null;
  remaining: number;
  unit_price: number | null;
  // bigint: pg answers it as a decimal string.
  total: string | null;
  result_message: string;
  decided_at: Date;
  refunded_at: Date | null;
};

// One statement for a whole batch of distinct purchaseIds: inserts the new ones (kind PURCHASE) and returns,
// for those that existed, the stored request (of either kind) and its result if decided.
export async function insertPurchaseRequests(requests: readonly PurchaseRequestRow[]): Promise<Map<string, IntakeRow>> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<PgPurchaseRow & { request_id: string; inserted: boolean; r_kind: RequestKind; r_item_id: string; r_quantity: number; r_purchased_by: string; r_created_at: Date }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[])
           AS t(purchase_id, item_id, quantity, purchased_by, created_at)),
       inserted AS (
         INSERT INTO purchase_requests (purchase_id, kind, item_id, quantity, purchased_by, created_at)
         SELECT purchase_id, 'PURCHASE', item_id, quantity, purchased_by, created_at FROM input
         ON CONFLICT (purchase_id) DO NOTHING RETURNING purchase_id)
       SELECT i.purchase_id AS request_id, (n.purchase_id IS NOT NULL) AS inserted, COALESCE(r.kind::text, 'PURCHASE') AS r_kind,
              COALESCE(r.item_id, i.item_id) AS r_item_id, COALESCE(r.quantity, i.quantity) AS r_quantity,
              COALESCE(r.purchased_by, i.purchased_by) AS r_purchased_by, COALESCE(r.created_at, i.created_at) AS r_created_at,
              ${purchaseColumns}
       FROM input i
       LEFT JOIN inserted n ON n.purchase_id = i.purchase_id
       LEFT JOIN purchase_requests r ON r.purchase_id = i.purchase_id AND n.purchase_id IS NULL
       LEFT JOIN purchases p ON p.purchase_id = i.purchase_id AND n.purchase_id IS NULL`,
      [
        requests.map((request) => request.purchaseId),
        requests.map((request) => request.itemId),
        requests.map((request) => request.quantity),
        requests.map((request) => request.purchasedBy),
        requests.map((request) => request.createdAt),
      ],
    );
    return new Map(
      rows.map((row) => [
        row.request_id,
        {
          inserted: row.inserted,
          stored: {
            kind: row.r_kind,
            purchaseId: row.request_id,
            itemId: row.r_item_id,
            quantity: row.r_quantity,
            purchasedBy: row.r_purchased_by,
            createdAt: row.r_created_at.toISOString(),
          },
          result: toResult(row),
        },
      ]),
    );
  });
}

// The result as the API answers it, built where the worker builds its messages (stored-purchase.ts), so a
// stored result and a published one are identical. Undefined for a LEFT JOIN that found no purchase.
export function toResult(row: PgPurchaseRow): PurchaseResult | undefined {
  if (row.purchase_id === null) return undefined;
  // Where it came from does not show in a result.
  return purchaseResultOf(toStoredPurchase(fromPgPurchaseRow({ ...row, purchase_id: row.purchase_id, source_partition: 0, source_offset: '0' })));
}

export async function findPurchaseResults(purchaseIds: readonly string[]): Promise<PurchaseResult[]> {
  return databaseCall(async () => {
    if (purchaseIds.length === 0) return [];
    const { rows } = await getPool().query<PgPurchaseRow>(`SELECT ${purchaseColumns} FROM purchases p WHERE p.purchase_id = ANY($1::text[])`, [[...purchaseIds]]);
    return rows.flatMap((row) => toResult(row) ?? []);
  });
}

// A purchase's intake row. A hold's is not a purchase request: its purchase exists once it is confirmed.
export async function findPurchaseRequest(purchaseId: string): Promise<PurchaseRequestRow | undefined> {
  return databaseCall(async () => {
    const row = await getPrisma().purchaseRequest.findUnique({ where: { purchaseId } });
    if (!row || row.kind !== 'PURCHASE') return undefined;
    return { purchaseId: row.purchaseId, itemId: row.itemId, quantity: row.quantity, purchasedBy: row.purchasedBy, createdAt: row.createdAt.toISOString() };
  });
}

// The seller's list of sales to refund from: the newest decisions first. decided_at is indexed.
export async function listSales(limit: number): Promise<PurchaseResult[]> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<PgPurchaseRow>(
      `SELECT ${purchaseColumns} FROM purchases p WHERE p.status IN ('SUCCEEDED', 'REFUNDED') ORDER BY p.decided_at DESC, p.purchase_id LIMIT $1`,
      [limit],
    );
    return rows.flatMap((row) => toResult(row) ?? []);
  });
}

// Undoes the intake row of a purchase whose event could not be appended (the client got 503 and may retry
// with the same purchaseId), so that no request is left PENDING for ever. If the event was appended after
// all and the worker decided it, the purchases row answers GET without this one.
export async function forgetPurchaseRequest(purchaseId: string): Promise<void> {
  return databaseCall(async () => {
    await getPrisma().$executeRaw`
      DELETE FROM purchase_requests r WHERE r.purchase_id = ${purchaseId} AND r.kind = 'PURCHASE'
      AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.purchase_id = r.purchase_id)`;
  });
}

export type PositionedResult = { result: PurchaseResult; position: ResultPosition };

// Where a partition's outbox stands: everything up to prunedUpTo is deleted, everything above it is kept, and
// head is its newest sequence (prunedUpTo when all that was there is pruned, 0 when it never had a result).
export type OutboxMark = { prunedUpTo: number; head: number };

export type FeedResumeRead = { results: PositionedResult[]; marks: Map<number, OutboxMark> };

// What a resuming live feed needs, read in one repeatable-read snapshot so the results and the prune horizons
// agree (a prune committing in between cannot make a replay look whole). Results: per partition everything
// after the client's last sequence (from the newest for a partition it did not name), newest first, at most
// `limit` in all. Each partition is read through its (partition, id) index, so an up-to-date client costs
// nothing however long the outbox grows.
export async function readFeedResume(positions: ReadonlyMap<number, number>, partitionCount: number, limit: number): Promise<FeedResumeRead> {
  return databaseCall(async () => {
    const partitions = Array.from({ length: partitionCount }, (_, partition) => partition);
    const [rows, marks] = await getPrisma().$transaction(
      async (transaction) => [
        await transaction.$queryRaw<{ id: bigint; partition: number; payload: string }[]>`
          SELECT r.id, r.partition, r.payload
          FROM unnest(${partitions}::int[], ${partitions.map((partition) => positions.get(partition) ?? 0)}::bigint[]) AS seen(partition, sequence)
          CROSS JOIN LATERAL (
            SELECT o.id, o.partition, o.payload::text AS payload FROM outbox o
            WHERE o.partition = seen.partition AND o.id > seen.sequence
            ORDER BY o.id DESC LIMIT ${limit}) AS r
          ORDER BY r.id DESC LIMIT ${limit}`,
        await transaction.$queryRaw<{ partition: number; pruned_up_to: bigint; head: bigint }[]>`
          SELECT s.partition, COALESCE(p.pruned_up_to, 0) AS pruned_up_to,
                 GREATEST(COALESCE(p.pruned_up_to, 0),
                          COALESCE((SELECT o.id FROM outbox o WHERE o.partition = s.partition ORDER BY o.id DESC LIMIT 1), 0)) AS head
          FROM unnest(${partitions}::int[]) AS s(partition) LEFT JOIN outbox_positions p ON p.partition = s.partition`,
      ] as const,
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: limits.connectTimeoutMs, maxWait: limits.connectTimeoutMs },
    );
    // The feed shows purchase results (refunds included: a REFUNDED result); hold results are left out, since
    // feed.resume's answer carries purchase results only. Their sequences are simply skipped: the positions
    // answered still come from the marks, so no gap is reported for them.
    const results = rows.flatMap((row) => {
      const decoded = decodeMessage(purchaseFinishedMessageSchema, Buffer.from(row.payload));
      if (!decoded.ok) return [];
      const finished = toFinishedResult(decoded.value);
      return finished.kind === 'purchase' ? [{ result: finished.result, position: { partition: row.partition, sequence: Number(row.id) } }] : [];
    });
    return {
      results,
      marks: new Map(marks.map((mark) => [mark.partition, { prunedUpTo: Number(mark.pruned_up_to), head: Number(mark.head) }])),
    };
  });
}

// Decided purchases per time bucket since `from`, for the seller dashboard's chart. A refunded purchase
// counts as succeeded: it was, when decided. decided_at is indexed.
export async function purchaseStats(from: Date, bucketSeconds: number): Promise<StatsBucket[]> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<{ bucket: Date; succeeded: string; failed: string }>(
      `SELECT date_bin(make_interval(secs => $1), decided_at, TIMESTAMPTZ 'epoch') AS bucket,
              count(*) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED')) AS succeeded,
              count(*) FILTER (WHERE status = 'FAILED') AS failed
       FROM purchases WHERE decided_at >= $2
       GROUP BY bucket ORDER BY bucket`,
      [bucketSeconds, from],
    );
    return rows.map((row) => ({ startsAt: row.bucket.toISOString(), succeeded: Number(row.succeeded), failed: Number(row.failed) }));
  });
}

export type SalesFigures = { grossRevenue: number; refundedRevenue: number; soldUnits: number; refundedUnits: number; unpricedSales: number };

// Revenue from the totals recorded at each decision, so a later price change alters no past sale. A refunded
// purchase was sold: it counts in the gross and the units sold, and again in the refunded figures.
export async function salesFigures(): Promise<SalesFigures> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<Record<keyof SalesFigures, string>>(
      `SELECT COALESCE(sum(total) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED')), 0) AS "grossRevenue",
              COALESCE(sum(total) FILTER (WHERE status = 'REFUNDED'), 0) AS "refundedRevenue",
              COALESCE(sum(quantity) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED')), 0) AS "soldUnits",
              COALESCE(sum(quantity) FILTER (WHERE status = 'REFUNDED'), 0) AS "refundedUnits",
              count(*) FILTER (WHERE status IN ('SUCCEEDED', 'REFUNDED') AND total IS NULL) AS "unpricedSales"
       FROM purchases`,
    );
    const row = rows[0];
    // An aggregate without GROUP BY answers exactly one row.
    if (!row) throw new Error('the sales aggregate answered no row');
    return {
      grossRevenue: Number(row.grossRevenue),
      refundedRevenue: Number(row.refundedRevenue),
      soldUnits: Number(row.soldUnits),
      refundedUnits: Number(row.refundedUnits),
      unpricedSales: Number(row.unpricedSales),
    };
  });
}

export type RestockRequestRow = { restockId: string; itemId: string; itemIdGenerated: boolean; description: string; quantity: number; unitPrice: number | null; createdAt: string };

// Inserts a restock request unless its restockId is taken, and answers the stored one either way. Two
// statements on purpose: when a concurrent request inserts the same id first, ON CONFLICT waits for its
// commit, and only a statement started after that sees the row.
export async function insertRestockRequest(request: RestockRequestRow): Promise<{ inserted: boolean; stored: RestockRequestRow }> {
  return databaseCall(async () => {
    const inserted = await getPool().query(
      `INSERT INTO restock_requests (restock_id, item_id, item_id_generated, description, quantity, unit_price, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (restock_id) DO NOTHING`,
      [request.restockId, request.itemId, request.itemIdGenerated, request.description, request.quantity, request.unitPrice, request.createdAt],
    );
    if (inserted.rowCount === 1) return { inserted: true, stored: request };
    const row = await getPrisma().restockRequest.findUnique({ where: { restockId: request.restockId } });
    // The row conflicted, and restock requests are only deleted by forgetRestockRequest after a failed append.
    if (!row) throw new Error(`restock request ${request.restockId} conflicted but is gone`);
    return { inserted: false, stored: { ...row, createdAt: row.createdAt.toISOString() } };
  });
}

// Undoes the request row of a restock whose event could not be appended, so that the client, told 503, may
// retry with another body. Kept if the worker applied the restockId after all (the append reached the broker).
export async function forgetRestockRequest(restockId: string): Promise<void> {
  return databaseCall(async () => {
    await getPrisma().$executeRaw`
      DELETE FROM restock_requests r WHERE r.restock_id = ${restockId}
      AND NOT EXISTS (SELECT 1 FROM restocks d WHERE d.restock_id = r.restock_id)`;
  });
}
