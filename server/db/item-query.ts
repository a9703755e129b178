// GET /api/items as SQL: search, sort, filters and keyset paging, with no I/O. The cursor is an opaque
// base64url token of the sort, the last row's sort key and itemId, and a check over those and the filters, so
// the next page continues exactly after the last row shown (no OFFSET: rows inserted or changed meanwhile never
// make a page repeat or skip a row that stayed where it was), and a cursor altered, or used with other filters,
// is refused rather than silently paging something else.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ItemSort } from '../contract';

export type ArchivedFilter = 'exclude' | 'include' | 'only';
export type ItemFilters = { q: string | undefined; sort: ItemSort; inStock: boolean; archived: ArchivedFilter };
export type ItemsRequest = { filters: ItemFilters; cursor: string | undefined; after: string | undefined; limit: number };

// The last row of a page: its sort key (null for an item without a price) and its id, the tie-breaker.
type SortKey = string | number | null;
export type PagePosition = { key: SortKey; itemId: string };

export type ItemsPlan = { filters: ItemFilters; position: PagePosition | undefined; after: string | undefined; limit: number };
export type Refusal = { field: 'cursor' | 'after'; message: string };

type SortColumn = { expression: string; nullable: boolean; descending: boolean };

// title sorts case-insensitively; the same expression orders, compares and is read back as the key.
function sortColumn(sort: ItemSort): SortColumn | undefined {
  const descending = sort.startsWith('-');
  switch (sort) {
    case 'id':
      return undefined;
    case 'title':
    case '-title':
      return { expression: 'lower(description)', nullable: false, descending };
    case 'price':
    case '-price':
      return { expression: 'unit_price', nullable: true, descending };
    case 'available':
    case '-available':
      return { expression: 'available', nullable: false, descending };
    default: {
      const unreachable: never = sort;
      throw new Error(`unknown sort ${String(unreachable)}`);
    }
  }
}

// ── The cursor ────────────────────────────────────────────────────────────────────────────────────────────

const cursorVersion = 1;
const cursorPayloadSchema = z.strictObject({
  v: z.literal(cursorVersion),
  s: z.string(),
  k: z.union([z.string(), z.number().int(), z.null()]),
  i: z.string().min(1),
  h: z.string(),
});

// Not a signature (nothing secret is in it, and a forged cursor only pages what anyone may read), but any
// changed byte, or other filters, fail it.
function checkOf(filters: ItemFilters, position: PagePosition): string {
  const covered = JSON.stringify([filters.q ?? null, filters.sort, filters.inStock, filters.archived, position.key, position.itemId]);
  return createHash('sha256').update(covered).digest('base64url').slice(0, 22);
}

export function encodeCursor(filters: ItemFilters, position: PagePosition): string {
  const payload: z.infer<typeof cursorPayloadSchema> = { v: cursorVersion, s: filters.sort, k: position.key, i: position.itemId, h: checkOf(filters, position) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function keyFits(sort: ItemSort, key: SortKey): boolean {
  const column = sortColumn(sort);
  if (!column) return key === null;
  if (column.expression === 'lower(description)') return typeof key === 'string';
  return typeof key === 'number' || (column.nullable && key === null);
}

export function decodeCursor(cursor: string, filters: ItemFilters): { ok: true; position: PagePosition } | { ok: false; message: string } {
  const malformed = { ok: false as const, message: 'not a cursor this API gave out' };
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return malformed;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return malformed;
  }
  const parsed = cursorPayloadSchema.safeParse(json);
  if (!parsed.success) return malformed;
  const { s, k, i, h } = parsed.data;
  if (s !== filters.sort) return { ok: false, message: `made for sort=${s}; page it with the same q, sort, inStock and archived` };
  const position = { key: k, itemId: i };
  if (!keyFits(filters.sort, k) || h !== checkOf(filters, position)) {
    return { ok: false, message: 'made for other q, inStock or archived, or altered; page it with the filters it came with' };
  }
  return { ok: true, position };
}

// ── The plan and its SQL ──────────────────────────────────────────────────────────────────────────────────

export function planItemsPage(request: ItemsRequest): { ok: true; plan: ItemsPlan } | { ok: false; refusal: Refusal } {
  const { filters, cursor, after, limit } = request;
  if (after !== undefined && cursor !== undefined) return { ok: false, refusal: { field: 'after', message: 'not with cursor: the cursor already says where the page starts' } };
  if (after !== undefined && filters.sort !== 'id') return { ok: false, refusal: { field: 'after', message: 'pages id order only; follow the Link rel="next" cursor for other orders' } };
  if (cursor === undefined) return { ok: true, plan: { filters, position: undefined, after, limit } };
  const decoded = decodeCursor(cursor, filters);
  if (!decoded.ok) return { ok: false, refusal: { field: 'cursor', message: decoded.message } };
  return { ok: true, plan: { filters, position: decoded.position, after: undefined, limit } };
}

// LIKE's own wildcards (and its escape character) in the search text match themselves.
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

const itemColumns = 'item_id, description, restocked, sold, available, held, refunded, unit_price, low_stock_threshold, archived, version';

// One statement; it asks for limit + 1 rows, so the caller knows whether another page follows.
export function itemsQuery(plan: ItemsPlan): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const { filters } = plan;
  const column = sortColumn(filters.sort);
  const conditions: string[] = [];
  if (filters.q !== undefined) conditions.push(`description ILIKE ${parameter(likePattern(filters.q))} ESCAPE '\\'`);
  if (filters.inStock) conditions.push('available > 0');
  if (filters.archived === 'exclude') conditions.push('NOT archived');
  if (filters.archived === 'only') conditions.push('archived');
  if (plan.after !== undefined) conditions.push(`item_id > ${parameter(plan.after)}`);
  if (plan.position) conditions.push(afterPosition(column, plan.position, parameter));
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const order = column
    ? `${column.nullable ? `(${column.expression} IS NULL), ` : ''}${column.expression} ${column.descending ? 'DESC' : 'ASC'}, item_id ASC`
    : 'item_id ASC';
  const key = column ? `${column.expression} AS sort_key` : 'NULL AS sort_key';
  return { text: `SELECT ${itemColumns}, ${key} FROM items ${where} ORDER BY ${order} LIMIT ${parameter(plan.limit + 1)}`, values };
}

// The rows after the position in the page's order: a greater (or, descending, smaller) key, or the same key
// and a greater itemId; rows without a key (no price) come after every row with one, in either direction.
function afterPosition(column: SortColumn | undefined, position: PagePosition, parameter: (value: unknown) => string): string {
  const itemId = parameter(position.itemId);
  if (!column) return `item_id > ${itemId}`;
  if (position.key === null) return `(${column.expression} IS NULL AND item_id > ${itemId})`;
  const key = parameter(position.key);
  const beyond = `${column.expression} ${column.descending ? '<' : '>'} ${key} OR (${column.expression} = ${key} AND item_id > ${itemId})`;
  return column.nullable ? `(${column.expression} IS NULL OR ${beyond})` : `(${beyond})`;
}
