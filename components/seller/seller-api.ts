// The seller dashboard's one door to the REST API. Every answer is checked here and translated into an
// outcome, so the components deal with "accepted", "invalid", "signed out"… and never with status codes.
import { z } from 'zod';
import type { AuditReport, AuditTotals, ItemAudit } from '@/server/audit/audit';
import type { ItemStock } from '@/server/domain/purchase';
import type { StatsBucket } from '@/server/db/purchase-store';
import { limits } from '@/server/limits';

// A request that hangs must not leave a form spinning for ever. The audit replays both topics, which the
// server bounds by auditReadTimeoutMs; the margin covers the database snapshot and the answer itself.
const requestTimeoutMs = 15_000;
const auditTimeoutMs = limits.auditReadTimeoutMs + 15_000;
// GET /api/items pages through the items; the dashboard shows at most this many pages of them.
const itemPagesMax = 5;

export type Refusal =
  | { kind: 'invalid'; message: string; fields: Record<string, string> }
  | { kind: 'unauthorised'; message: string; fields: Record<string, string> }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'unavailable'; retryAfterSeconds: number; message: string }
  | { kind: 'failed'; message: string };

export type Outcome<Value> = { kind: 'ok'; value: Value } | Refusal;

const errorBodySchema = z.object({ error: z.string(), fields: z.record(z.string(), z.string()).optional() });
const countSchema = z.number().int().min(0);
const timestampSchema = z.string().refine((value) => Number.isFinite(Date.parse(value)), 'not a timestamp');

// available is not bounded below: were an item ever oversold, the table must show it rather than fail to load.
const itemStockSchema: z.ZodType<ItemStock> = z.object({
  itemId: z.string().min(1),
  description: z.string(),
  restocked: countSchema,
  sold: countSchema,
  available: z.number().int(),
});
const statsSchema: z.ZodType<StatsBucket[]> = z.array(z.object({ startsAt: timestampSchema, succeeded: countSchema, failed: countSchema }));
const restockAcceptedSchema = z.object({ itemId: z.string().min(1), quantity: countSchema });

// The part of the auditor's report the dashboard shows. Derived from the server's types, so the schema below
// cannot drift from them without the compiler noticing.
export type AuditItemView = Pick<
  ItemAudit,
  'itemId' | 'restocked' | 'succeededQuantity' | 'succeededCount' | 'failedCount' | 'duplicates' | 'violations' | 'notes'
>;
export type AuditView = Pick<AuditReport, 'clean' | 'violations' | 'notes'> & {
  items: AuditItemView[];
  totals: Pick<AuditTotals, 'items' | 'itemsWithViolations' | 'restocked' | 'succeededQuantity' | 'succeededCount' | 'failedCount' | 'duplicates'>;
};
const auditSchema: z.ZodType<AuditView> = z.object({
  clean: z.boolean(),
  violations: z.array(z.string()),
  notes: z.array(z.string()),
  items: z.array(
    z.object({
      itemId: z.string(),
      restocked: countSchema,
      succeededQuantity: countSchema,
      succeededCount: countSchema,
      failedCount: countSchema,
      duplicates: countSchema,
      violations: z.array(z.string()),
      notes: z.array(z.string()),
    }),
  ),
  totals: z.object({
    items: countSchema,
    itemsWithViolations: countSchema,
    restocked: countSchema,
    succeededQuantity: countSchema,
    succeededCount: countSchema,
    failedCount: countSchema,
    duplicates: countSchema,
  }),
});

// What socket.io pushes, checked on arrival like any other answer (only the fields the dashboard reads).
export const stockChangedSchema = z.object({ itemId: z.string().min(1), restocked: countSchema, sold: countSchema, available: z.number().int() });
export const purchaseFinishedSchema = z.object({
  purchaseId: z.string().min(1),
  status: z.enum(['SUCCEEDED', 'FAILED']),
  decidedAt: timestampSchema,
});
export type StockChange = z.infer<typeof stockChangedSchema>;
export type FinishedPurchase = z.infer<typeof purchaseFinishedSchema>;

type ApiCall = { url: string; method?: 'GET' | 'POST' | 'DELETE'; body?: unknown; timeoutMs?: number };

async function call<Value>(request: ApiCall, read: (body: unknown) => Value): Promise<Outcome<Value>> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: 'no-store',
      signal: AbortSignal.timeout(request.timeoutMs ?? requestTimeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { kind: 'failed', message: timedOut ? 'The server did not answer in time.' : 'Could not reach the server. Check your connection.' };
  }
  if (!response.ok) return refusal(response);
  try {
    return { kind: 'ok', value: read(response.status === 204 ? undefined : await response.json()) };
  } catch {
    return { kind: 'failed', message: `The server's answer was not understood (HTTP ${response.status}).` };
  }
}

async function refusal(response: Response): Promise<Refusal> {
  const parsed = errorBodySchema.safeParse(await response.json().catch(() => null));
  const message = parsed.success ? parsed.data.error : `HTTP ${response.status}`;
  const fields = parsed.success ? (parsed.data.fields ?? {}) : {};
  const retryAfterSeconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  switch (response.status) {
    case 400:
    case 409:
    case 413:
      return { kind: 'invalid', message, fields };
    case 401:
      return { kind: 'unauthorised', message, fields };
    case 429:
      return { kind: 'rate-limited', retryAfterSeconds: Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : limits.signInWindowMs / 1000 };
    case 503:
      return { kind: 'unavailable', message, retryAfterSeconds: Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : limits.retryAfterSeconds };
    default:
      return { kind: 'failed', message: `The server answered HTTP ${response.status}: ${message}` };
  }
}

export function signIn(password: string): Promise<Outcome<void>> {
  return call({ url: '/api/session', method: 'POST', body: { password } }, () => undefined);
}

export function signOut(): Promise<Outcome<void>> {
  return call({ url: '/api/session', method: 'DELETE' }, () => undefined);
}

export type RestockRequest = { itemId?: string; description: string; quantity: number };

export function restock(request: RestockRequest): Promise<Outcome<{ itemId: string; quantity: number }>> {
  return call({ url: '/api/items', method: 'POST', body: request }, (body) => restockAcceptedSchema.parse(body));
}

export async function fetchItems(): Promise<Outcome<ItemStock[]>> {
  const items: ItemStock[] = [];
  for (let page = 0; page < itemPagesMax; page += 1) {
    const after = items.at(-1)?.itemId;
    const url = `/api/items?limit=${limits.itemsPageSizeMax}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`;
    const outcome = await call({ url }, (body) => z.array(itemStockSchema).max(limits.itemsPageSizeMax).parse(body));
    if (outcome.kind !== 'ok') return outcome;
    items.push(...outcome.value);
    if (outcome.value.length < limits.itemsPageSizeMax) break;
  }
  return { kind: 'ok', value: items };
}

export function fetchItem(itemId: string): Promise<Outcome<ItemStock>> {
  return call({ url: `/api/items/${encodeURIComponent(itemId)}` }, (body) => itemStockSchema.parse(body));
}

export function fetchStats(minutes: number): Promise<Outcome<StatsBucket[]>> {
  return call({ url: `/api/stats?minutes=${minutes}` }, (body) => statsSchema.parse(body));
}

export function fetchAudit(): Promise<Outcome<AuditView>> {
  return call({ url: '/api/audit', timeoutMs: auditTimeoutMs }, (body) => auditSchema.parse(body));
}

// One sentence for a refusal that no form field explains.
export function refusalMessage(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'invalid':
      return `The server refused the request: ${refusal.message}.`;
    case 'unauthorised':
      return 'Your session has ended. Sign in again.';
    case 'rate-limited':
      return `Too many attempts. Try again in ${refusal.retryAfterSeconds} s.`;
    case 'unavailable':
      return `The service is temporarily unavailable. Try again in ${refusal.retryAfterSeconds} s.`;
    case 'failed':
      return refusal.message;
    default: {
      const unreachable: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(unreachable)}`);
    }
  }
}
