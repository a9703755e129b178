// The buy path outside Next's router. Next's route layer costs about 1 ms of CPU per request here whatever
// the handler does (docs/ARCHITECTURE.md has the measured ceilings), which alone would cap the intake far below
// what the worker decides. So exactly POST /api/purchases, POST /api/holds (a hold is the first half of a buy)
// and POST /api/baseline/purchases are answered here, straight on node:http, with the same contract, limits,
// errors and OpenAPI description as every other route; every other method and path, /api/purchases/... and
// /api/holds/... included, goes on to Next. GET /metrics is answered here
// too: an operational endpoint in Prometheus's text format, outside the JSON API and its contract.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiRoutes, type BaselineResult, type RouteContract } from '../contract';
import { limits } from '../limits';
import type { HoldOutcome, HoldService } from '../purchases/hold-service';
import type { PurchaseOutcome, PurchaseService } from '../purchases/service';
import { httpRequestDuration } from '../metrics';
import { answer, answerForError, errorAnswer, writeAnswer, type Answer } from './answer';
import { checkBodyHeaders, parseBodyText, parseQuery } from './json';
import { answerMetrics, isMetricsRequest, metricsPath, type MetricsSource } from './metrics-endpoint';

export type LeanServices = {
  purchases: PurchaseService;
  holds: HoldService;
  // Only when BASELINE_ENABLED: the benchmark's row-lock baseline.
  baselinePurchase: ((purchaseId: string, itemId: string, quantity: number) => Promise<BaselineResult>) | undefined;
  metrics: MetricsSource;
  // METRICS_TOKEN (see ./metrics-endpoint.ts for who may read /metrics).
  metricsToken: string | undefined;
};

// The routes served here; the OpenAPI test checks that they and app/api together serve every contract route.
export const leanRoutes = [apiRoutes.purchase, apiRoutes.placeHold, apiRoutes.baselinePurchase] as const satisfies readonly RouteContract[];

type Handler = (request: IncomingMessage, search: URLSearchParams) => Promise<Answer>;

export function createLeanRouter(services: LeanServices, extraHeaders: Readonly<Record<string, string>>) {
  const handlers = new Map<string, Handler>([
    [apiRoutes.purchase.path, (request, search) => purchase(services.purchases, request, search)],
    [apiRoutes.placeHold.path, (request, search) => placeHold(services.holds, request, search)],
    [apiRoutes.baselinePurchase.path, (request) => baseline(services.baselinePurchase, request)],
  ]);

  // True when the request is one of ours (it is then answered); false leaves it to Next.
  return function handle(request: IncomingMessage, response: ServerResponse): boolean {
    const startedAt = performance.now();
    if (isMetricsRequest(request)) {
      answerMetrics(request, response, services.metrics, services.metricsToken, extraHeaders)
        .then((status) => observeDuration('GET', metricsPath, status, startedAt))
        .catch(() => response.destroy());
      return true;
    }
    if (request.method !== 'POST') return false;
    const url = request.url ?? '';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const handler = handlers.get(path);
    if (!handler) return false;
    const search = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
    handler(request, search)
      .catch((error: unknown) => answerForError(error, { method: request.method, route: path }))
      .then((result) => {
        writeAnswer(response, result, extraHeaders);
        observeDuration('POST', path, result.status, startedAt);
      })
      .catch(() => response.destroy());
    return true;
  };
}

// Only a histogram observation per request: the buy path allocates nothing else for its metrics.
export function observeDuration(method: string, route: string, status: number, startedAt: number): void {
  httpRequestDuration.observe({ method, route, status }, (performance.now() - startedAt) / 1000);
}

async function purchase(purchases: PurchaseService, request: IncomingMessage, search: URLSearchParams): Promise<Answer> {
  const query = parseQuery(search, apiRoutes.purchase.query);
  if (!query.ok) return drained(request, query.answer);
  const body = await readJson(request, apiRoutes.purchase.body);
  if (!body.ok) return body.answer;
  return purchaseAnswer(await purchases.purchase(body.value, query.value.wait ?? 0, request.socket.remoteAddress ?? 'unknown'));
}

// 200 with the result when it is decided (within ?wait=ms), else 202 PENDING with the place to ask later.
function purchaseAnswer(outcome: PurchaseOutcome): Answer {
  switch (outcome.kind) {
    case 'finished':
      return answer(outcome.result, 200);
    case 'pending':
      return answer({ purchaseId: outcome.purchaseId, status: 'PENDING' }, 202, { Location: `/api/purchases/${encodeURIComponent(outcome.purchaseId)}` });
    case 'conflict':
      return outcome.takenBy === 'hold'
        ? errorAnswer(409, `${outcome.purchaseId} is already a hold's id; purchases and holds share one namespace of ids`, { purchaseId: 'already used by a hold' })
        : errorAnswer(409, `purchase ${outcome.purchaseId} already exists with another body`, { purchaseId: 'already used for a different purchase' });
    case 'too-many-waiters':
      return errorAnswer(429, `this client already waits for ${outcome.waitersMax} purchases; wait for those, or purchase without ?wait=`, { wait: 'too many blocking waits from this client' }, {
        'Retry-After': String(limits.retryAfterSeconds),
      });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

async function placeHold(holds: HoldService, request: IncomingMessage, search: URLSearchParams): Promise<Answer> {
  const query = parseQuery(search, apiRoutes.placeHold.query);
  if (!query.ok) return drained(request, query.answer);
  const body = await readJson(request, apiRoutes.placeHold.body);
  if (!body.ok) return body.answer;
  return holdAnswer(await holds.placeHold(body.value, query.value.wait ?? 0, request.socket.remoteAddress ?? 'unknown'));
}

// As for purchases; over a bound against scalping is 429 too, since waiting for one's holds to end frees it.
function holdAnswer(outcome: HoldOutcome): Answer {
  const retryAfter = { 'Retry-After': String(limits.retryAfterSeconds) };
  switch (outcome.kind) {
    case 'decided':
      return answer(outcome.result, 200);
    case 'pending':
      return answer({ holdId: outcome.holdId, status: 'PENDING' }, 202, { Location: `/api/holds/${encodeURIComponent(outcome.holdId)}` });
    case 'conflict':
      return outcome.takenBy === 'purchase'
        ? errorAnswer(409, `${outcome.holdId} is already a purchase's id; purchases and holds share one namespace of ids`, { holdId: 'already used by a purchase' })
        : errorAnswer(409, `hold ${outcome.holdId} already exists with another body`, { holdId: 'already used for a different hold' });
    case 'over-bound':
      return outcome.bound === 'holds'
        ? errorAnswer(429, `this client address already has ${outcome.max} active holds; confirm, cancel or let one expire first`, undefined, retryAfter)
        : errorAnswer(429, `this hold would take this client address over ${outcome.max} held units; confirm, cancel or let a hold expire first`, { quantity: `at most ${outcome.max} held units per client address` }, retryAfter);
    case 'too-many-waiters':
      return errorAnswer(429, `this client already waits for ${outcome.waitersMax} decisions; wait for those, or hold without ?wait=`, { wait: 'too many blocking waits from this client' }, retryAfter);
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

async function baseline(decide: LeanServices['baselinePurchase'], request: IncomingMessage): Promise<Answer> {
  if (!decide) return drained(request, errorAnswer(404, 'the row-lock baseline is not enabled (BASELINE_ENABLED=true)'));
  const body = await readJson(request, apiRoutes.baselinePurchase.body);
  if (!body.ok) return body.answer;
  if (!body.value.purchaseId) return errorAnswer(400, 'invalid purchaseId', { purchaseId: 'required by the baseline' });
  return answer(await decide(body.value.purchaseId, body.value.itemId, body.value.quantity));
}

async function readJson<T>(request: IncomingMessage, schema: import('zod').ZodType<T>) {
  const headers = checkBodyHeaders(request.headers['content-type'], request.headers['content-length']);
  if (!headers.ok) return { ok: false as const, answer: await drained(request, headers.answer) };
  return parseBodyText(await readBody(request, limits.requestBodyBytesMax), schema);
}

// The body as text, or undefined once it grows past bytesMax (the rest is then read and dropped, so the
// connection stays usable for the answer).
function readBody(request: IncomingMessage, bytesMax: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    request.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= bytesMax) chunks.push(chunk);
    });
    request.on('end', () => resolve(total > bytesMax ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

// An answer given before the body was read: the body is still consumed, or a kept-alive connection would
// read it as the next request.
async function drained(request: IncomingMessage, result: Answer): Promise<Answer> {
  if (!request.readableEnded) {
    request.resume();
    await new Promise<void>((resolve) => {
      request.once('end', resolve);
      request.once('error', () => resolve());
    });
  }
  return result;
}
