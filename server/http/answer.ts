// What an API request is answered with, apart from how it is written: Next's route handlers turn an Answer
// into a Web Response, the lean buy path (./lean-routes.ts) writes it to node's ServerResponse. Both share
// the one error shape of the contract, the 503 for an outage and the logged 500 for a bug.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DependencyName, ErrorBody } from '../contract';
import { isDependencyUnavailable } from '../errors';
import { limits } from '../limits';
import { componentLogger } from '../logger';

export type Answer = { status: number; body?: unknown; headers?: Readonly<Record<string, string>> };

const log = componentLogger('http');

export function answer(body: unknown, status = 200, headers?: Readonly<Record<string, string>>): Answer {
  return { status, body, headers };
}

export function errorAnswer(status: number, error: string, fields?: Record<string, string>, headers?: Readonly<Record<string, string>>): Answer {
  const body: ErrorBody = fields ? { error, fields } : { error };
  return { status, body, headers };
}

const unavailableMessages: Record<DependencyName, string> = {
  // A produce that timed out may still be appended later: the idempotency key makes a retry safe.
  kafka: 'Kafka did not acknowledge the event in time; it may still be appended. Retry later (with the same purchaseId for a purchase).',
  database: 'the database is not available; nothing was recorded. Retry later.',
};

export function unavailableAnswer(dependency: DependencyName): Answer {
  return errorAnswer(503, unavailableMessages[dependency], undefined, { 'Retry-After': String(limits.retryAfterSeconds) });
}

export function sellerRequiredAnswer(): Answer {
  return errorAnswer(
    401,
    'seller authorisation required',
    { authorization: 'sign in as the seller, or send Authorization: Bearer <seller token>' },
    { 'WWW-Authenticate': 'Bearer' },
  );
}

export function crossOriginAnswer(expected: string): Answer {
  return errorAnswer(403, 'cross-origin request refused: a write with the seller session cookie must come from the app itself', {
    origin: `must be ${expected} (or Sec-Fetch-Site: same-origin); API clients send Authorization: Bearer <seller token> instead`,
  });
}

// An outage is a 503 the client can retry; anything else that escapes a handler is a bug, logged with an id
// the client can quote.
export function answerForError(error: unknown, request: { method: string | undefined; route: string }): Answer {
  if (isDependencyUnavailable(error)) {
    log.warn({ err: error.cause, dependency: error.dependency, route: request.route }, 'dependency unavailable');
    return unavailableAnswer(error.dependency);
  }
  const requestId = randomUUID();
  log.error({ err: error, requestId, method: request.method, route: request.route }, 'unexpected error in a route handler');
  return answer({ error: 'an unexpected error occurred; it was logged', requestId } satisfies ErrorBody, 500);
}

// API answers describe the present; no cache may keep them.
const noStore = { 'Cache-Control': 'no-store' };

export function toResponse({ status, body, headers }: Answer): Response {
  if (body === undefined) return new Response(null, { status, headers: { ...noStore, ...headers } });
  return Response.json(body, { status, headers: { ...noStore, ...headers } });
}

export function writeAnswer(response: ServerResponse, { status, body, headers }: Answer, extraHeaders?: Readonly<Record<string, string>>): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...noStore,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    'Content-Length': Buffer.byteLength(text),
    ...headers,
    ...extraHeaders,
  });
  response.end(text);
}
