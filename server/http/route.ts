// The one wrapper of every API route handler that Next serves. From the route's contract (server/contract.ts)
// it checks the seller, parses path parameters, query and body (400/413/415 naming the field), and maps what
// escapes the handler: an adapter's DependencyUnavailableError is 503 with Retry-After, anything else is a
// bug, logged with a request id and answered as a JSON 500. No route answers a bare 500.
import type { z } from 'zod';
import type { RouteContract } from '../contract';
import { webServices } from '../web-services';
import { answer, answerForError, errorAnswer, sellerRequiredAnswer, toResponse, type Answer } from './answer';
import { parseJsonBody, parseQuery, validate } from './json';

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
      if (contract.seller && !webServices().isSeller(request)) return toResponse(sellerRequiredAnswer());
      const input = await parseInput(contract, request, context);
      return toResponse(input.ok ? await handle(input.value) : input.answer);
    } catch (error) {
      return toResponse(answerForError(error, { method: request.method, route: contract.path }));
    }
  };
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
