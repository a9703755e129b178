// The browser's one door to the REST API, for the shop, the feed and the seller alike. Every call goes to a
// route of the contract, every answer is parsed with the contract's schema for its status, and every expected
// failure (a refusal, a 503, a timeout, a dropped connection) comes back as a value of one shape, so no
// component deals with status codes or trusts an unchecked body.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { z } from 'zod';
import {
  apiRoutes,
  auditJobSchema,
  confirmResultSchema,
  deadLettersSchema,
  errorBodySchema,
  holdPendingSchema,
  holdResultSchema,
  holdViewSchema,
  itemEditAcceptedSchema,
  purchaseLookupSchema,
  itemSchema,
  itemsPageSchema,
  purchasePendingSchema,
  purchaseResultSchema,
  purchaseViewSchema,
  refundPendingSchema,
  restockAcceptedSchema,
  salesSchema,
  salesSummarySchema,
  shopSchema,
  statsSchema,
  storedAuditSchema,
  type AuditJob,
  type ConfirmResult,
  type DeadLetter,
  type HoldBody,
  type HoldPending,
  type HoldResult,
  type HoldView,
  type Item,
  type ItemEditBody,
  type PurchaseLookup,
  type PurchaseBody,
  type PurchasePending,
  type PurchaseResult,
  type PurchaseView,
  type RestockAccepted,
  type RestockBody,
  type RouteContract,
  type Shop,
  type Stats,
  type StatsRange,
  type StoredAudit,
} from '../../server/contract';
import { limits } from '../../server/limits';
import { nextCursorOf } from '../shop/shop-view';

export type ApiFailure =
  // The request itself was refused (400, 409, 413, 415): sent again unchanged, it would be refused again.
  | { kind: 'invalid'; message: string; fields: Readonly<Record<string, string>> }
  | { kind: 'unauthorised'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'rate-limited'; message: string; retryAfterSeconds: number }
  // A 5xx, a timeout or a dropped connection: whether the request took effect is unknown, and the only safe
  // next step is to send the same request again (with the same id, where it has one).
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number }
  // An answer the contract does not describe: an unexpected status, or a body of the wrong shape.
  | { kind: 'failed'; message: string };

export type ApiResult<Value> = { ok: true; value: Value } | { ok: false; failure: ApiFailure };

export const purchaseWaitMs = limits.browserPurchaseWaitMs;
const requestTimeoutMs = limits.browserRequestTimeoutMs;
const purchaseTimeoutMs = purchaseWaitMs + requestTimeoutMs;

// The API caps a page at this many items; pages come in itemId order.
export const itemsPageSize = limits.itemsPageSizeMax;

// A 429 without Retry-After: the sign-in limit's whole window is the safe wait.
const rateLimitedWaitSecondsDefault = limits.signInWindowMs / 1000;

// ── The calls ─────────────────────────────────────────────────────────────────────────────────────────────

export type ItemsPage = { items: Item[]; full: boolean };

// One page of items after the given itemId; full says more may follow.
export async function fetchItemsPage(after: string | undefined): Promise<ApiResult<ItemsPage>> {
  const answer = await call(apiRoutes.listItems, { 200: itemsPageSchema }, { query: { limit: String(itemsPageSize), after } });
  if (!answer.ok) return answer;
  return { ok: true, value: { items: answer.value, full: answer.value.length >= itemsPageSize } };
}

// Up to pagesMax pages from the start, in itemId order; full says more items follow the last one read.
export async function fetchItemPages(pagesMax: number): Promise<ApiResult<ItemsPage>> {
  const items: Item[] = [];
  for (let page = 0; page < pagesMax; page += 1) {
    const answer = await fetchItemsPage(items.at(-1)?.itemId);
    if (!answer.ok) return answer;
    items.push(...answer.value.items);
    if (!answer.value.full) return { ok: true, value: { items, full: false } };
  }
  return { ok: true, value: { items, full: true } };
}

export function fetchItem(itemId: string): Promise<ApiResult<Item>> {
  return call(apiRoutes.getItem, { 200: itemSchema }, { params: { itemId } });
}

// The shop always names its purchase: the purchaseId is what makes sending it again safe.
export type PurchaseRequest = PurchaseBody & { purchaseId: string };

// The decision when it comes within the wait (200), else the acceptance (202, status PENDING).
export function postPurchase(request: PurchaseRequest): Promise<ApiResult<PurchaseResult | PurchasePending>> {
  return callWaiting<PurchaseResult | PurchasePending>(apiRoutes.purchase, { 200: purchaseResultSchema, 202: purchasePendingSchema }, { body: request });
}

// A purchase the server has accepted: its result once decided, else the request with status PENDING.
export function fetchPurchase(purchaseId: string): Promise<ApiResult<PurchaseView>> {
  return call(apiRoutes.getPurchase, { 200: purchaseViewSchema }, { params: { purchaseId } });
}

// The shop always names its hold, as it names its purchases: the holdId makes sending it again safe, and
// whoever knows it can pay for or cancel the hold, so it is a random UUID (request-id.ts).
export type HoldRequest = HoldBody & { holdId: string };

// HELD or FAILED when decided within the wait (200), else the acceptance (202, status PENDING). A 429 means
// this address already has its most active holds or held units.
export function placeHold(request: HoldRequest): Promise<ApiResult<HoldResult | HoldPending>> {
  return callWaiting<HoldResult | HoldPending>(apiRoutes.placeHold, { 200: holdResultSchema, 202: holdPendingSchema }, { body: request });
}

export function fetchHold(holdId: string): Promise<ApiResult<HoldView>> {
  return call(apiRoutes.getHold, { 200: holdViewSchema }, { params: { holdId } });
}

// Pay: CONFIRMED with the purchase, or FAILED with why (HOLD_EXPIRED when the clock won). Idempotent, so
// sending it again after a dropped answer is safe.
export function confirmHold(holdId: string): Promise<ApiResult<ConfirmResult | HoldPending>> {
  return callWaiting<ConfirmResult | HoldPending>(apiRoutes.confirmHold, { 200: confirmResultSchema, 202: holdPendingSchema }, { params: { holdId } });
}

// The hold after the cancel: CANCELLED, or the final state it already had (EXPIRED, CONFIRMED).
export function cancelHold(holdId: string): Promise<ApiResult<HoldResult | HoldPending>> {
  return callWaiting<HoldResult | HoldPending>(apiRoutes.cancelHold, { 200: holdResultSchema, 202: holdPendingSchema }, { params: { holdId } });
}

export type RefundPending = z.infer<typeof refundPendingSchema>;

// Seller only: the purchase as REFUNDED (a repeat answers the same), or the acceptance while it is applied.
export function refundPurchase(purchaseId: string): Promise<ApiResult<PurchaseResult | RefundPending>> {
  return callWaiting<PurchaseResult | RefundPending>(apiRoutes.refundPurchase, { 200: purchaseResultSchema, 202: refundPendingSchema }, { params: { purchaseId } });
}

// Seller only: the newest succeeded or refunded purchases, newest decision first.
export function fetchSales(): Promise<ApiResult<PurchaseResult[]>> {
  return call(apiRoutes.sales, { 200: salesSchema });
}

export function restock(body: RestockBody): Promise<ApiResult<RestockAccepted>> {
  return call(apiRoutes.restock, { 202: restockAcceptedSchema }, { body });
}

// Seller only: decided purchases per bucket over one of the chart's ranges, with the window's start.
export function fetchStats(range: StatsRange): Promise<ApiResult<Stats>> {
  return call(apiRoutes.stats, { 200: statsSchema }, { query: { range } });
}

// 204: no body, so the only answer that counts as success is an empty one.
const noContentSchema = z.undefined();

export function fetchDeadLetters(): Promise<ApiResult<DeadLetter[]>> {
  return call(apiRoutes.deadLetters, { 200: deadLettersSchema });
}

export function signIn(password: string): Promise<ApiResult<undefined>> {
  return call(apiRoutes.signIn, { 204: noContentSchema }, { body: { password } });
}

export function signOut(): Promise<ApiResult<undefined>> {
  return call(apiRoutes.signOut, { 204: noContentSchema });
}

export function fetchStoredAudit(): Promise<ApiResult<StoredAudit>> {
  return call(apiRoutes.getAudit, { 200: storedAuditSchema });
}

// Answers the queued or running job instead when there is one.
export function startFullAudit(): Promise<ApiResult<AuditJob>> {
  return call(apiRoutes.startAudit, { 202: auditJobSchema });
}

export function fetchAuditJob(jobId: string): Promise<ApiResult<AuditJob>> {
  return call(apiRoutes.getAuditJob, { 200: auditJobSchema }, { params: { jobId } });
}

// ── Seller: the whole catalogue, item edits, revenue ──────────────────────────────────────────────────────

export type SalesSummary = z.infer<typeof salesSummarySchema>;
export type ItemEditAccepted = z.infer<typeof itemEditAcceptedSchema>;

// Seller only: one page of every item, archived ones included, after the given itemId.
export async function fetchSellerItemsPage(after: string | undefined): Promise<ApiResult<ItemsPage>> {
  const answer = await call(apiRoutes.listItems, { 200: itemsPageSchema }, { query: { limit: String(itemsPageSize), after, archived: 'include' } });
  if (!answer.ok) return answer;
  return { ok: true, value: { items: answer.value, full: answer.value.length >= itemsPageSize } };
}

// Seller only: up to pagesMax pages of every item, archived ones included, in itemId order.
export async function fetchSellerItemPages(pagesMax: number): Promise<ApiResult<ItemsPage>> {
  const items: Item[] = [];
  for (let page = 0; page < pagesMax; page += 1) {
    const answer = await fetchSellerItemsPage(items.at(-1)?.itemId);
    if (!answer.ok) return answer;
    items.push(...answer.value.items);
    if (!answer.value.full) return { ok: true, value: { items, full: false } };
  }
  return { ok: true, value: { items, full: true } };
}

// Seller only: 202 once the edit is appended; the item itself arrives later as stock.changed.
export function editItem(itemId: string, changes: ItemEditBody): Promise<ApiResult<ItemEditAccepted>> {
  return call(apiRoutes.editItem, { 202: itemEditAcceptedSchema }, { params: { itemId }, body: changes });
}

// Seller only: revenue and units, net of refunds, from the prices recorded at each decision.
export function fetchSalesSummary(): Promise<ApiResult<SalesSummary>> {
  return call(apiRoutes.salesSummary, { 200: salesSummarySchema });
}

// The shop's currency, for showing and reading prices.
export function fetchShopCurrency(): Promise<ApiResult<Shop>> {
  return call(apiRoutes.shop, { 200: shopSchema });
}

// The feed's item search: a few items whose title contains the text, archived ones left out.
export function searchItemTitles(text: string, limit: number): Promise<ApiResult<Item[]>> {
  return call(apiRoutes.listItems, { 200: itemsPageSchema }, { query: { q: text, sort: 'title', limit: String(limit) } });
}

// ── Buyer: the shop's search, "My purchases" ─────────────────────────────────────────────────────────────

export type ShopItemsPage = { items: Item[]; nextCursor: string | undefined };

// One page of the shop's view (search, order, in-stock only: components/shop/shop-view.ts builds the query).
// The body is the items; the next page's cursor comes in the Link header (rel="next"), absent on the last page.
export async function fetchShopItemsPage(query: Readonly<Record<string, string | undefined>>): Promise<ApiResult<ShopItemsPage>> {
  const route = apiRoutes.listItems;
  const sent = await send(urlOf(route, {}, query), { method: route.method, timeoutMs: requestTimeoutMs });
  if (sent.kind !== 'answered') return { ok: false, failure: notAnswered(sent) };
  const answer = await readAnswer(sent.response, { 200: itemsPageSchema });
  if (!answer.ok) return answer;
  return { ok: true, value: { items: answer.value, nextCursor: nextCursorOf(sent.response.headers.get('Link')) } };
}

// This browser's own purchases and holds, by the ids it kept, in one request (at most purchaseLookupIdsMax).
// Ids the server does not know (never sent, or lost with a dropped request) are left out of the answer.
export function fetchMyPurchases(ids: readonly string[]): Promise<ApiResult<PurchaseLookup>> {
  return call(apiRoutes.lookupPurchases, { 200: purchaseLookupSchema }, { query: { ids: ids.slice(0, limits.purchaseLookupIdsMax).join(',') } });
}

// ── Reading answers ───────────────────────────────────────────────────────────────────────────────────────

// Every failure of the API has the contract's error shape; anything else (a proxy's HTML page) still gets words.
export function failureOf(status: number, body: unknown, retryAfterHeader: string | null): ApiFailure {
  const parsed = errorBodySchema.safeParse(body);
  const error = parsed.success ? parsed.data : undefined;
  const said = error?.error ?? `the server answered HTTP ${status}`;
  // The request id of a 500 is what the server logged: worth quoting when reporting the problem.
  const message = error?.requestId === undefined ? said : `${said} (request ${error.requestId})`;
  if (status === 400 || status === 409 || status === 413 || status === 415) return { kind: 'invalid', message, fields: error?.fields ?? {} };
  if (status === 401) return { kind: 'unauthorised', message };
  if (status === 404) return { kind: 'not-found', message };
  if (status === 429) return { kind: 'rate-limited', message, retryAfterSeconds: secondsOf(retryAfterHeader) ?? rateLimitedWaitSecondsDefault };
  // A server error says nothing about whether the request took effect.
  if (status >= 500) return unavailable(message, secondsOf(retryAfterHeader) ?? limits.retryAfterSeconds);
  return { kind: 'failed', message: `unexpected answer: ${message}` };
}

// Retry-After as the API sends it: whole seconds.
function secondsOf(header: string | null): number | undefined {
  const trimmed = header?.trim() ?? '';
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : undefined;
}

function unavailable(message: string, retryAfterSeconds: number): ApiFailure {
  return { kind: 'unavailable', message, retryAfterSeconds };
}

type Answers<Value> = Readonly<Partial<Record<number, z.ZodType<Value>>>>;

async function readAnswer<Value>(response: Response, answers: Answers<Value>): Promise<ApiResult<Value>> {
  const body = await readJson(response);
  const schema = answers[response.status];
  if (schema === undefined) return { ok: false, failure: failureOf(response.status, body, response.headers.get('Retry-After')) };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, failure: { kind: 'failed', message: `the server's answer (HTTP ${response.status}) was not understood` } };
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

// ── Sending ───────────────────────────────────────────────────────────────────────────────────────────────

type Sent = { kind: 'answered'; response: Response } | { kind: 'timed out'; timeoutMs: number } | { kind: 'dropped' };
type Sending = { method: RouteContract['method']; body?: unknown; timeoutMs: number };

async function send(url: string, { method, body, timeoutMs }: Sending): Promise<Sent> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { kind: 'answered', response };
  } catch (error) {
    return error instanceof DOMException && error.name === 'TimeoutError' ? { kind: 'timed out', timeoutMs } : { kind: 'dropped' };
  }
}

function notAnswered(sent: Exclude<Sent, { kind: 'answered' }>): ApiFailure {
  const message = sent.kind === 'timed out' ? `no answer within ${sent.timeoutMs / 1000} s` : 'the server could not be reached';
  return unavailable(message, limits.retryAfterSeconds);
}

type CallOptions = { params?: Readonly<Record<string, string>>; query?: Readonly<Record<string, string | undefined>>; body?: unknown };

// A write that waits up to purchaseWaitMs for its decision. A browser does not resend a POST whose kept-alive
// connection the server had just closed; every such write names its id (purchaseId, holdId, or the path's
// id), which makes resending safe, so one such drop is retried at once instead of shown to the person.
async function callWaiting<Value>(route: RouteContract, answers: Answers<Value>, options: Omit<CallOptions, 'query'>): Promise<ApiResult<Value>> {
  const url = urlOf(route, options.params, { wait: String(purchaseWaitMs) });
  const sending = { method: route.method, body: options.body, timeoutMs: purchaseTimeoutMs };
  let sent = await send(url, sending);
  if (sent.kind === 'dropped') sent = await send(url, sending);
  if (sent.kind !== 'answered') return { ok: false, failure: notAnswered(sent) };
  const answer = await readAnswer(sent.response, answers);
  // A decision or an acceptance that cannot be read may still mean it took effect: only the same id again is safe.
  if (!answer.ok && answer.failure.kind === 'failed' && sent.response.ok) {
    return { ok: false, failure: unavailable('the answer could not be read', limits.retryAfterSeconds) };
  }
  return answer;
}

async function call<Value>(route: RouteContract, answers: Answers<Value>, options: CallOptions = {}): Promise<ApiResult<Value>> {
  const sent = await send(urlOf(route, options.params, options.query), { method: route.method, body: options.body, timeoutMs: requestTimeoutMs });
  if (sent.kind !== 'answered') return { ok: false, failure: notAnswered(sent) };
  return readAnswer(sent.response, answers);
}

// The contract's path template with its {names} filled in; a missing one is a bug in this module.
function urlOf(route: RouteContract, params: Readonly<Record<string, string>> = {}, query: Readonly<Record<string, string | undefined>> = {}): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
  const searchText = search.toString();
  return searchText === '' ? path : `${path}?${searchText}`;
}
