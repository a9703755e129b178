// The one wrapper of every API route handler. From the route's contract (server/contract.ts) it checks the
// seller, parses path parameters, query and body (400/413/415 naming the field), and maps what escapes the
// handler: an adapter's DependencyUnavailableError is 503 with Retry-After, anything else is a bug, logged
// with a request id and answered as a JSON 500. No route answers a bare 500.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DependencyName, RouteContract } from '../contract';
import { isDependencyUnavailable } from '../errors';
import { limits } from '../limits';
import { componentLogger } from '../logger';
import { webServices } from '../web-services';
import { errorResponse, invalid, jsonResponse, parseJsonBody, parseQuery } from './json';

const log = componentLogger('http');

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export type RouteInput<Contract extends RouteContract> = {
  params: Output<Contract['params']>;
  query: Output<Contract['query']>;
  body: Output<Contract['body']>;
  request: Request;
};

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

const unavailableMessages: Record<DependencyName, string> = {
  // A produce that timed out may still be appended later: the idempotency key makes a retry safe.
  kafka: 'Kafka did not acknowledge the event in time; it may still be appended. Retry later (with the same purchaseId for a purchase).',
  database: 'the database is not available; nothing was recorded. Retry later.',
};

export function unavailableResponse(dependency: DependencyName): Response {
  return errorResponse(503, unavailableMessages[dependency], undefined, { 'Retry-After': String(limits.retryAfterSeconds) });
}

export function sellerRequiredResponse(): Response {
  return errorResponse(
    401,
    'seller authorisation required',
    { authorization: 'sign in as the seller, or send Authorization: Bearer <seller token>' },
    { 'WWW-Authenticate': 'Bearer' },
  );
}

export { errorResponse, jsonResponse };

export function route<Contract extends RouteContract>(contract: Contract, handle: (input: RouteInput<Contract>) => Promise<Response>) {
  return async (request: Request, context?: NextContext): Promise<Response> => {
    try {
      if (contract.seller && !webServices().isSeller(request)) return sellerRequiredResponse();
      const input = await parseInput(contract, request, context);
      return input instanceof Response ? input : await handle(input);
    } catch (error) {
      if (isDependencyUnavailable(error)) {
        log.warn({ err: error.cause, dependency: error.dependency, route: contract.path }, 'dependency unavailable');
        return unavailableResponse(error.dependency);
      }
      const requestId = randomUUID();
      log.error({ err: error, requestId, method: request.method, route: contract.path }, 'unexpected error in a route handler');
      return jsonResponse({ error: 'an unexpected error occurred; it was logged', requestId }, 500);
    }
  };
}

async function parseInput<Contract extends RouteContract>(
  contract: Contract,
  request: Request,
  context: NextContext | undefined,
): Promise<RouteInput<Contract> | Response> {
  let params: unknown;
  if (contract.params) {
    const parsed = contract.params.safeParse((await context?.params) ?? {});
    if (!parsed.success) return invalid(parsed.error);
    params = parsed.data;
  }
  let query: unknown;
  if (contract.query) {
    const parsed = parseQuery(request.url, contract.query);
    if (!parsed.ok) return parsed.response;
    query = parsed.value;
  }
  let body: unknown;
  if (contract.body) {
    const parsed = await parseJsonBody(request, contract.body);
    if (!parsed.ok) return parsed.response;
    body = parsed.value;
  }
  // The schemas above are the contract's own, so what they parsed has the contract's types.
  return { params, query, body, request } as RouteInput<Contract>;
}
