// Goal: every answer of the API, good, refused, malformed or missing, becomes the one result shape, checked against the contract.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cancelHold,
  confirmHold,
  failureOf,
  fetchHold,
  fetchItem,
  fetchItemPages,
  fetchItemsPage,
  fetchSales,
  placeHold,
  postPurchase,
  purchaseWaitMs,
  refundPurchase,
  signIn,
  type HoldRequest,
  type PurchaseRequest,
} from './api-client';
import { describeFailure } from './describe-failure';

const request: PurchaseRequest = { purchaseId: 'p-1', itemId: 'dune', quantity: 2, purchasedBy: 'Ann' };
const decided = {
  purchaseId: 'p-1',
  itemId: 'dune',
  quantity: 2,
  purchasedBy: 'Ann',
  remaining: 3,
  resultMessage: 'Ann bought 2 × dune; 3 left.',
  createdAt: '2026-11-26T10:00:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  status: 'SUCCEEDED',
  reason: null,
  unitPrice: 1_250,
  total: 2_500,
};
const dune = { itemId: 'dune', description: 'Dune', restocked: 5, sold: 2, available: 3, held: 0, refunded: 0, unitPrice: 1_250, lowStockThreshold: null, archived: false, version: 4 };
const holdRequest: HoldRequest = { holdId: 'h-1', itemId: 'dune', quantity: 1, heldBy: 'Ann' };
const held = {
  holdId: 'h-1',
  itemId: 'dune',
  quantity: 1,
  heldBy: 'Ann',
  status: 'HELD',
  reason: null,
  remaining: 2,
  createdAt: '2026-11-26T10:00:00.000Z',
  expiresAt: '2026-11-26T10:10:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  resultMessage: 'Ann holds 1 × dune.',
  unitPrice: 1_250,
};
const refunded = { ...decided, status: 'REFUNDED', refundedAt: '2026-11-26T10:05:00.000Z' };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

// Stubs fetch with one answer per call, in order: a Response, or an error to throw.
function answering(...answers: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const answer = answers[calls.length - 1];
    if (answer === undefined) throw new Error(`unexpected call ${calls.length} to ${url}`);
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return calls;
}

const dropped = () => new TypeError('fetch failed');
const timedOut = () => new DOMException('The operation timed out.', 'TimeoutError');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('failureOf', () => {
  it('given a 400 with fields, is invalid and keeps the fields', () => {
    expect(failureOf(400, { error: 'invalid quantity', fields: { quantity: 'too big' } }, null)).toEqual({
      kind: 'invalid',
      message: 'invalid quantity',
      fields: { quantity: 'too big' },
    });
  });

  it('given a 409, is invalid without fields', () => {
    expect(failureOf(409, { error: 'purchaseId already used' }, null)).toEqual({ kind: 'invalid', message: 'purchaseId already used', fields: {} });
  });

  it('given a 401 or a 404, says so', () => {
    expect(failureOf(401, { error: 'seller authorisation required' }, null).kind).toBe('unauthorised');
    expect(failureOf(404, { error: 'no item dune' }, null)).toEqual({ kind: 'not-found', message: 'no item dune' });
  });

  it('given a 429, reads Retry-After, else waits the whole sign-in window', () => {
    expect(failureOf(429, { error: 'too many' }, '17')).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 17 });
    expect(failureOf(429, { error: 'too many' }, null)).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 60 });
    expect(failureOf(429, { error: 'too many' }, 'Wed, 21 Oct 2026 07:28:00 GMT')).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('given a 503 or a 500, is unavailable: unknown whether it took effect', () => {
    expect(failureOf(503, { error: 'the database is not available' }, '5')).toEqual({
      kind: 'unavailable',
      message: 'the database is not available',
      retryAfterSeconds: 5,
    });
    expect(failureOf(500, { error: 'an unexpected error occurred', requestId: 'r-9' }, null)).toEqual({
      kind: 'unavailable',
      message: 'an unexpected error occurred (request r-9)',
      retryAfterSeconds: 2,
    });
  });

  it('given a body that is not the error shape, still has words and no invented fields', () => {
    expect(failureOf(502, '<html>Bad gateway</html>', null)).toMatchObject({ kind: 'unavailable', message: 'the server answered HTTP 502' });
    expect(failureOf(400, { error: 'x', fields: { quantity: 3 } }, null)).toEqual({ kind: 'invalid', message: 'the server answered HTTP 400', fields: {} });
    expect(failureOf(418, undefined, null)).toEqual({ kind: 'failed', message: 'unexpected answer: the server answered HTTP 418' });
  });

  it('is described in one sentence', () => {
    expect(describeFailure(failureOf(503, { error: 'the database is not available' }, '2'))).toBe('The database is not available. Try again in 2 s.');
    expect(describeFailure(failureOf(401, { error: 'seller authorisation required' }, null))).toBe('Your session has ended. Sign in again.');
  });
});

describe('postPurchase', () => {
  it('given a decision within the wait, returns it, having asked the server to wait', async () => {
    const calls = answering(json(decided));
    expect(await postPurchase(request)).toEqual({ ok: true, value: decided });
    expect(calls[0]?.url).toBe(`/api/purchases?wait=${purchaseWaitMs}`);
    expect(calls[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(request);
  });

  it('given a 202, returns the pending acceptance', async () => {
    answering(json({ purchaseId: 'p-1', status: 'PENDING' }, 202));
    expect(await postPurchase(request)).toEqual({ ok: true, value: { purchaseId: 'p-1', status: 'PENDING' } });
  });

  it('given a dropped connection, re-sends once with the same purchaseId', async () => {
    const calls = answering(dropped(), json(decided));
    expect(await postPurchase(request)).toEqual({ ok: true, value: decided });
    expect(calls.map((call) => call.init?.body)).toEqual([JSON.stringify(request), JSON.stringify(request)]);
  });

  it('given two drops in a row, is unavailable', async () => {
    answering(dropped(), dropped());
    expect(await postPurchase(request)).toEqual({ ok: false, failure: { kind: 'unavailable', message: 'the server could not be reached', retryAfterSeconds: 2 } });
  });

  it('given a timeout, is unavailable and does not re-send', async () => {
    const calls = answering(timedOut());
    expect(await postPurchase(request)).toMatchObject({ ok: false, failure: { kind: 'unavailable', message: 'no answer within 13 s' } });
    expect(calls).toHaveLength(1);
  });

  it('given a 200 it cannot read, is unavailable rather than failed: the purchase may have been made', async () => {
    answering(json({ ...decided, status: 'MAYBE' }));
    expect(await postPurchase(request)).toMatchObject({ ok: false, failure: { kind: 'unavailable', message: 'the answer could not be read' } });
  });

  it('given a 503, is unavailable with the server’s words and Retry-After', async () => {
    answering(json({ error: 'the event could not be appended' }, 503, { 'Retry-After': '4' }));
    expect(await postPurchase(request)).toEqual({
      ok: false,
      failure: { kind: 'unavailable', message: 'the event could not be appended', retryAfterSeconds: 4 },
    });
  });

  it('given a refusal, is invalid with its fields', async () => {
    answering(json({ error: 'invalid quantity', fields: { quantity: 'too big' } }, 400));
    expect(await postPurchase(request)).toEqual({ ok: false, failure: { kind: 'invalid', message: 'invalid quantity', fields: { quantity: 'too big' } } });
  });
});

describe('holds', () => {
  it('given a hold decided within the wait, returns it, having sent the holdId and asked the server to wait', async () => {
    const calls = answering(json(held));
    expect(await placeHold(holdRequest)).toEqual({ ok: true, value: held });
    expect(calls[0]?.url).toBe(`/api/holds?wait=${purchaseWaitMs}`);
    expect(calls[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(holdRequest);
  });

  it('given a dropped connection, re-sends the same hold once', async () => {
    const calls = answering(dropped(), json({ holdId: 'h-1', status: 'PENDING' }, 202));
    expect(await placeHold(holdRequest)).toEqual({ ok: true, value: { holdId: 'h-1', status: 'PENDING' } });
    expect(calls.map((call) => call.init?.body)).toEqual([JSON.stringify(holdRequest), JSON.stringify(holdRequest)]);
  });

  it('given a 429, is rate-limited with Retry-After', async () => {
    answering(json({ error: 'too many active holds from this address' }, 429, { 'Retry-After': '30' }));
    expect(await placeHold(holdRequest)).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', message: 'too many active holds from this address', retryAfterSeconds: 30 },
    });
  });

  it('given a 200 hold it cannot read, is unavailable: the hold may have been placed', async () => {
    answering(json({ ...held, status: 'MAYBE' }));
    expect(await placeHold(holdRequest)).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });

  it('pays at the hold\'s own path and reads a confirmation or a failure', async () => {
    const purchase = { ...decided, purchaseId: 'h-1', quantity: 1 };
    const calls = answering(
      json({ holdId: 'h-1', status: 'CONFIRMED', hold: { ...held, status: 'CONFIRMED' }, purchase }),
      json({ holdId: 'h-1', status: 'FAILED', reason: 'HOLD_EXPIRED', hold: { ...held, status: 'EXPIRED' } }),
    );
    expect(await confirmHold('h-1')).toMatchObject({ ok: true, value: { status: 'CONFIRMED', purchase } });
    expect(await confirmHold('h-1')).toMatchObject({ ok: true, value: { status: 'FAILED', reason: 'HOLD_EXPIRED' } });
    expect(calls[0]?.url).toBe(`/api/holds/h-1/confirm?wait=${purchaseWaitMs}`);
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.body).toBeUndefined();
  });

  it('cancels at the hold\'s own path, and reads a hold or a pending one', async () => {
    const calls = answering(json({ ...held, status: 'CANCELLED' }), json({ holdId: 'h-1', status: 'PENDING' }));
    expect(await cancelHold('h-1')).toMatchObject({ ok: true, value: { status: 'CANCELLED' } });
    expect(calls[0]?.url).toBe(`/api/holds/h-1/cancel?wait=${purchaseWaitMs}`);
    expect(await fetchHold('h-1')).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });

  it('reads a pending hold and refuses one of the wrong shape', async () => {
    const pending = { holdId: 'h-1', itemId: 'dune', quantity: 1, heldBy: 'Ann', createdAt: held.createdAt, expiresAt: held.expiresAt, status: 'PENDING' };
    const calls = answering(json(pending), json({ ...held, quantity: 0 }), json({ error: 'no hold h-2' }, 404));
    expect(await fetchHold('h-1')).toEqual({ ok: true, value: pending });
    expect(calls[0]?.url).toBe('/api/holds/h-1');
    expect(await fetchHold('h-1')).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(await fetchHold('h-2')).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
  });
});

describe('refunds and sales', () => {
  it('refunds at the purchase\'s own path: REFUNDED, pending, or refused', async () => {
    const calls = answering(
      json(refunded),
      json({ purchaseId: 'p-1', status: 'REFUND_PENDING' }, 202),
      json({ error: 'purchase p-1 failed: nothing to refund' }, 409),
    );
    expect(await refundPurchase('p-1')).toEqual({ ok: true, value: refunded });
    expect(calls[0]?.url).toBe(`/api/purchases/p-1/refund?wait=${purchaseWaitMs}`);
    expect(await refundPurchase('p-1')).toEqual({ ok: true, value: { purchaseId: 'p-1', status: 'REFUND_PENDING' } });
    expect(await refundPurchase('p-1')).toMatchObject({ ok: false, failure: { kind: 'invalid', message: 'purchase p-1 failed: nothing to refund' } });
  });

  it('reads the sales list, and refuses a list with a row of the wrong shape', async () => {
    const calls = answering(json([refunded, decided]), json([{ ...decided, status: 'PENDING' }]));
    expect(await fetchSales()).toEqual({ ok: true, value: [refunded, decided] });
    expect(calls[0]?.url).toBe('/api/sales');
    expect(await fetchSales()).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });
});

describe('reading items', () => {
  it('given a valid item, returns it, the id escaped in the path', async () => {
    const calls = answering(json({ ...dune, itemId: 'a.b_c' }));
    expect(await fetchItem('a.b_c')).toEqual({ ok: true, value: { ...dune, itemId: 'a.b_c' } });
    expect(calls[0]?.url).toBe('/api/items/a.b_c');
  });

  it('given an item of the wrong shape, fails instead of passing it on', async () => {
    answering(json({ ...dune, sold: '2' }));
    expect(await fetchItem('dune')).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    answering(json({ ...dune, extra: true }));
    expect(await fetchItem('dune')).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });

  it('given a page, says whether it was full and asks for the page after the given id', async () => {
    const calls = answering(json([dune]));
    expect(await fetchItemsPage('cat')).toEqual({ ok: true, value: { items: [dune], full: false } });
    expect(calls[0]?.url).toBe('/api/items?limit=1000&after=cat');
  });

  it('given full pages, reads on from the last id, up to the page limit', async () => {
    const page = (prefix: string) => Array.from({ length: 1000 }, (_, index) => ({ ...dune, itemId: `${prefix}${String(index).padStart(4, '0')}` }));
    const calls = answering(json(page('a')), json(page('b')));
    const answer = await fetchItemPages(2);
    expect(answer.ok && answer.value.items.length).toBe(2000);
    expect(answer.ok && answer.value.full).toBe(true);
    expect(calls[1]?.url).toBe('/api/items?limit=1000&after=a0999');
  });
});

describe('signIn', () => {
  it('given 204, succeeds; given 401, is unauthorised', async () => {
    answering(new Response(null, { status: 204 }), json({ error: 'wrong password' }, 401));
    expect(await signIn('secret')).toEqual({ ok: true, value: undefined });
    expect(await signIn('wrong')).toEqual({ ok: false, failure: { kind: 'unauthorised', message: 'wrong password' } });
  });
});
