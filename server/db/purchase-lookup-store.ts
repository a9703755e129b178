// "My purchases": a browser's own purchases and holds, by the ids it kept, read in one statement. Each id is
// answered from where it stands: a hold (decided, or its request while PENDING), or a purchase (its result,
// or its request while PENDING). A confirmed hold is answered as the hold: its CONFIRMED state names the
// purchase it became, under the same id.
import type { PurchaseLookup } from '../contract';
import { databaseCall } from './errors';
import { toHoldRequest, toHoldResult, type PgHoldRow, type PgRequestRow } from './hold-store';
import { purchaseColumns, toResult, type PgPurchaseRow } from './purchase-store';
import { getPool } from './pool';

const holdColumns = `h.hold_id AS h_hold_id, h.item_id AS h_item_id, h.quantity AS h_quantity, h.held_by AS h_held_by,
  h.status::text AS h_status, h.reason::text AS h_reason, h.remaining AS h_remaining, h.result_message AS h_result_message,
  h.created_at AS h_created_at, h.expires_at AS h_expires_at, h.unit_price AS h_unit_price, h.decided_at AS h_decided_at,
  h.updated_at AS h_updated_at`;
const requestColumns = `r.purchase_id AS r_purchase_id, r.kind::text AS r_kind, r.item_id AS r_item_id, r.quantity AS r_quantity,
  r.purchased_by AS r_purchased_by, r.created_at AS r_created_at, r.expires_at AS r_expires_at`;

type Prefixed<Row, Prefix extends string> = { [Key in keyof Row as `${Prefix}${Key & string}`]: Row[Key] | null };
type LookupRow = PgPurchaseRow & Prefixed<PgHoldRow, 'h_'> & Prefixed<PgRequestRow, 'r_'>;

// ids: distinct, at most limits.purchaseLookupIdsMax (the contract's bound). Answered in their order; unknown
// ids are left out.
export async function lookupPurchases(ids: readonly string[]): Promise<PurchaseLookup> {
  return databaseCall(async () => {
    if (ids.length === 0) return [];
    const { rows } = await getPool().query<LookupRow>(
      `SELECT ${requestColumns}, ${holdColumns}, ${purchaseColumns}
       FROM unnest($1::text[]) WITH ORDINALITY AS asked(id, position)
       LEFT JOIN purchase_requests r ON r.purchase_id = asked.id
       LEFT JOIN holds h ON h.hold_id = asked.id
       LEFT JOIN purchases p ON p.purchase_id = asked.id
       WHERE r.purchase_id IS NOT NULL OR h.hold_id IS NOT NULL OR p.purchase_id IS NOT NULL
       ORDER BY asked.position`,
      [[...ids]],
    );
    return rows.map(toLookupEntry);
  });
}

function toLookupEntry(row: LookupRow): PurchaseLookup[number] {
  const hold = holdOf(row);
  if (hold) return { kind: 'hold', hold: toHoldResult(hold) };
  const request = requestOf(row);
  const holdRequest = request ? toHoldRequest(request) : undefined;
  if (holdRequest) return { kind: 'hold', hold: { ...holdRequest, status: 'PENDING' } };
  const result = toResult(row);
  if (result) return { kind: 'purchase', purchase: result };
  // The WHERE clause keeps only rows with a request, a hold or a purchase; here only the request is left.
  if (!request) throw new Error('a looked-up row has neither request, hold nor purchase');
  return {
    kind: 'purchase',
    purchase: { purchaseId: request.purchase_id, itemId: request.item_id, quantity: request.quantity, purchasedBy: request.purchased_by, createdAt: request.created_at.toISOString(), status: 'PENDING' },
  };
}

function holdOf(row: LookupRow): PgHoldRow | undefined {
  if (row.h_hold_id === null) return undefined;
  // A holds row has every column NOT NULL but reason and unit_price.
  return {
    hold_id: row.h_hold_id,
    item_id: row.h_item_id as string,
    quantity: row.h_quantity as number,
    held_by: row.h_held_by as string,
    status: row.h_status as PgHoldRow['status'],
    reason: row.h_reason,
    remaining: row.h_remaining as number,
    result_message: row.h_result_message as string,
    created_at: row.h_created_at as Date,
    expires_at: row.h_expires_at as Date,
    unit_price: row.h_unit_price,
    decided_at: row.h_decided_at as Date,
    updated_at: row.h_updated_at as Date,
  };
}

function requestOf(row: LookupRow): PgRequestRow | undefined {
  if (row.r_purchase_id === null) return undefined;
  // A purchase_requests row has every column NOT NULL but expires_at (set for holds only).
  return {
    purchase_id: row.r_purchase_id,
    kind: row.r_kind as PgRequestRow['kind'],
    item_id: row.r_item_id as string,
    quantity: row.r_quantity as number,
    purchased_by: row.r_purchased_by as string,
    created_at: row.r_created_at as Date,
    expires_at: row.r_expires_at,
  };
}
