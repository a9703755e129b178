// The browser's side of the REST API: every call the shop and the feed make, each answer checked before the
// UI sees it, and every expected failure (a refusal, a 503, a dropped connection) returned as a value.
import type { ItemStock } from '@/server/domain/purchase';
import type { PurchaseResult } from '@/server/kafka/messages';
import { limits } from '@/server/limits';
import { isItem, isPurchaseResult, isRecord } from './api-guards';

export type Item = ItemStock;

export type PurchaseRequest = { purchaseId: string; itemId: string; quantity: number; purchasedBy: string };

export type ApiRefusal = { status: number; error: string; fields: Record<string, string> };

export type PurchaseOutcome =
  | { kind: 'decided'; result: PurchaseResult }
  | { kind: 'pending' }
  // The request itself was wrong (4xx): sending it again would be refused again.
  | { kind: 'refused'; refusal: ApiRefusal }
  // 503, a timeout or a dropped connection: the purchase may or may not be appended, so the only safe next
  // step is to send the same purchaseId again.
  | { kind: 'unavailable'; message: string };

export type Fetched<T> = { ok: true; value: T } | { ok: false; message: string };

// How long the page waits for the server to decide, and how long any request may take in all. The server
// holds a purchase for the wait, so the request bound leaves room for it.
export const purchaseWaitMs = 3_000;
const requestTimeoutMs = purchaseWaitMs + 10_000;

// The API caps a page at this many items; the shop shows them in itemId order, a page at a time.
export const itemsPageSize = limits.itemsPageSizeMax;

export async function fetchItemsPage(after: string | undefined): Promise<Fetched<{ items: Item[]; full: boolean }>> {
  const query = new URLSearchParams({ limit: String(itemsPageSize) });
  if (after !== undefined) query.set('after', after);
  const answer = await getJson(`/api/items?${query}`);
  if (!answer.ok) return answer;
  if (!Array.isArray(answer.value)) return { ok: false, message: 'the item list has an unexpected shape' };
  const items = answer.value.filter(isItem);
  return { ok: true, value: { items, full: answer.value.length >= itemsPageSize } };
}

export async function fetchItem(itemId: string): Promise<Fetched<Item>> {
  const answer = await getJson(`/api/items/${encodeURIComponent(itemId)}`);
  if (!answer.ok) return answer;
  return isItem(answer.value) ? { ok: true, value: answer.value } : { ok: false, message: 'the item has an unexpected shape' };
}

export async function postPurchase(request: PurchaseRequest): Promise<PurchaseOutcome> {
  let response = await sendPurchase(request);
  // A browser does not resend a POST whose kept-alive connection the server had just closed; the
  // purchaseId makes resending safe, so one such drop is retried at once instead of shown to the buyer.
  if (response === 'dropped') response = await sendPurchase(request);
  if (response === 'dropped') return { kind: 'unavailable', message: 'the connection dropped before the shop answered' };
  if (response === 'timed out') return { kind: 'unavailable', message: `no answer within ${requestTimeoutMs / 1000} s` };
  const body = await readJson(response);
  if (response.status === 202) return { kind: 'pending' };
  if (response.status === 200) {
    return isPurchaseResult(body) ? { kind: 'decided', result: body } : { kind: 'unavailable', message: 'the answer could not be read' };
  }
  // A server error says nothing about whether the purchase was appended: only a retry with the same id is safe.
  if (response.status >= 500) return { kind: 'unavailable', message: readRefusal(response.status, body).error };
  return { kind: 'refused', refusal: readRefusal(response.status, body) };
}

async function sendPurchase(request: PurchaseRequest): Promise<Response | 'dropped' | 'timed out'> {
  try {
    return await fetch(`/api/purchases?wait=${purchaseWaitMs}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    return error instanceof DOMException && error.name === 'TimeoutError' ? 'timed out' : 'dropped';
  }
}

// A purchase the server has accepted: its result once decided, undefined while it is still pending.
export async function fetchPurchaseResult(purchaseId: string): Promise<Fetched<PurchaseResult | undefined>> {
  const answer = await getJson(`/api/purchases/${encodeURIComponent(purchaseId)}`);
  if (!answer.ok) return answer;
  if (isPurchaseResult(answer.value)) return { ok: true, value: answer.value };
  if (isRecord(answer.value) && answer.value.status === 'PENDING') return { ok: true, value: undefined };
  return { ok: false, message: 'the purchase has an unexpected shape' };
}

async function getJson(url: string): Promise<Fetched<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch {
    return { ok: false, message: 'the shop could not be reached' };
  }
  const body = await readJson(response);
  if (!response.ok) return { ok: false, message: readRefusal(response.status, body).error };
  return { ok: true, value: body };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

// Every refusal of the API has the shape {error, fields}; anything else (a proxy's HTML page) still gets words.
function readRefusal(status: number, body: unknown): ApiRefusal {
  const fields: Record<string, string> = {};
  if (isRecord(body) && isRecord(body.fields)) {
    for (const [name, message] of Object.entries(body.fields)) if (typeof message === 'string') fields[name] = message;
  }
  const error = isRecord(body) && typeof body.error === 'string' ? body.error : `the server answered ${status}`;
  return { status, error, fields };
}
