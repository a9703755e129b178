// The one wrapper of every API route handler that Next serves. From the route's contract (server/contract.ts)
// it checks the seller and, for writes that a cookie authenticates (or that set the cookie), the origin (CSRF,
// 403), so no route can forget either; it parses path parameters, query and body (400/413/415 naming the field), and maps what
// escapes the handler: an adapter's DependencyUnavailableError is 503 with Retry-After, anything else is a
// bug, logged with a request id and answered as a JSON 500. No route answers a bare 500.
import type { z } from 'zod';
import { config } from '../config';
import type { RouteContract } from '../contract';
import { webServices } from '../web-services';
import { answer, answerForError, crossOriginAnswer, errorAnswer, sellerRequiredAnswer, toResponse, type Answer } from './answer';
import { parseJsonBody, parseQuery, validate } from './json';
import { expectedOrigin, isSameOrigin } from './same-origin';

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export type RouteInput<Contract extends RouteContract> = {
  params: Output<Contract['params']>;
  query: Output<Contract['query']>;
  body: Output<Contract['body']>;
  request: Request;
};

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

export { answer, errorAnswer, type Answer };

export function route<Contract extends RouteContract>(contract: Contract, handle: (input: RouteInput<Contract>) => Promise<Answer>) {
  return async (request: Request, context?: NextContext): Promise<Response> => {
    try {
      const refusal = await accessRefusal(contract, request);
      if (refusal) return toResponse(refusal);
      const input = await parseInput(contract, request, context);
      return toResponse(input.ok ? await handle(input.value) : input.answer);
    } catch (error) {
      return toResponse(answerForError(error, { method: request.method, route: contract.path }));
    }
  };
}

// A bearer token is a credential the browser never sends by itself, so it needs no origin check; a cookie is
// sent by the browser whichever site asks, so a write it authenticates must come from the app's own origin.
// GET routes change nothing, so only writes are checked.
async function accessRefusal(contract: RouteContract, request: Request): Promise<Answer | undefined> {
  const authentication = contract.seller ? await webServices().authenticateSeller(request.headers) : 'none';
  if (contract.seller && authentication === 'none') return sellerRequiredAnswer();
  const cookieWrite = contract.method !== 'GET' && (contract.session === true || authentication === 'session');
  if (cookieWrite && !isSameOrigin(request.headers, config.PUBLIC_URL)) return crossOriginAnswer(expectedOrigin(request.headers, config.PUBLIC_URL));
  return undefined;
}

async function parseInput<Contract extends RouteContract>(
  contract: Contract,
  request: Request,
  context: NextContext | undefined,
): Promise<{ ok: true; value: RouteInput<Contract> } | { ok: false; answer: Answer }> {
  let params: unknown;
  if (contract.params) {
    const parsed = validate(contract.params, (await context?.params) ?? {});
    if (!parsed.ok) return parsed;
    params = parsed.value;
  }
  let query: unknown;
  if (contract.query) {
    const parsed = parseQuery(new URL(request.url).searchParams, contract.query);
    if (!parsed.ok) return parsed;
    query = parsed.value;
  }
  let body: unknown;
  if (contract.body) {
    const parsed = await parseJsonBody(request, contract.body);
    if (!parsed.ok) return parsed;
    body = parsed.value;
  }
  // The schemas above are the contract's own, so what they parsed has the contract's types.
  return { ok: true, value: { params, query, body, request } as RouteInput<Contract> };
}
