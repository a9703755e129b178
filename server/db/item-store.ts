// The web process's Postgres adapter for the items (the stock view the worker keeps): pages of them searched,
// sorted and filtered (./item-query.ts builds the SQL), and one item.
import type { Item } from '../contract';
import { databaseCall } from './errors';
import { encodeCursor, itemsQuery, type ItemsPlan } from './item-query';
import { getPool } from './pool';
import { toItemStock, type ItemRow } from './stock-store';

type PgItemRow = ItemRow & { version: number };

// nextCursor is there only when more items follow.
export type ItemsPageRead = { items: Item[]; nextCursor: string | undefined };

// The worker's mapping of an items row, plus the version a page merges by.
function toItem(row: PgItemRow): Item {
  return { ...toItemStock(row), version: row.version };
}

export async function readItemsPage(plan: ItemsPlan): Promise<ItemsPageRead> {
  return databaseCall(async () => {
    const { text, values } = itemsQuery(plan);
    const { rows } = await getPool().query<PgItemRow & { sort_key: string | number | null }>(text, values);
    const shown = rows.slice(0, plan.limit);
    const last = shown.at(-1);
    const more = rows.length > plan.limit && last !== undefined;
    return { items: shown.map(toItem), nextCursor: more ? encodeCursor(plan.filters, { key: last.sort_key, itemId: last.item_id }) : undefined };
  });
}

export async function findItem(itemId: string): Promise<Item | undefined> {
  return databaseCall(async () => {
    const { rows } = await getPool().query<PgItemRow>(
      'SELECT item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived, version FROM items WHERE item_id = $1',
      [itemId],
    );
    return rows[0] ? toItem(rows[0]) : undefined;
  });
}
