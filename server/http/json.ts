// Reading and answering JSON over HTTP for the route handlers: size and type limits first, then JSON,
// then the zod schema, and every refusal names the field it is about.
import { z } from 'zod';
import { limits } from '../limits';

export type ErrorBody = { error: string; fields?: Record<string, string> };
export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

export function errorResponse(status: number, error: string, fields?: Record<string, string>, headers?: HeadersInit): Response {
  const body: ErrorBody = fields ? { error, fields } : { error };
  return Response.json(body, { status, headers });
}

const unavailableMessages = {
  // A produce that timed out may still be appended later: the purchaseId makes a retry safe.
  kafka: 'Kafka did not acknowledge the event in time; it may still be appended. Retry later (with the same purchaseId for a purchase).',
  database: 'the database is not available; nothing was recorded. Retry later.',
} as const;

export function unavailableResponse(dependency: keyof typeof unavailableMessages): Response {
  return errorResponse(503, unavailableMessages[dependency], undefined, { 'Retry-After': String(limits.retryAfterSeconds) });
}

// Reads that fail because a dependency is down answer 503 rather than an unexplained 500.
export async function orUnavailable(read: () => Promise<Response>): Promise<Response> {
  try {
    return await read();
  } catch {
    return unavailableResponse('database');
  }
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  // Gathered in a Map: assigning a client's key such as "__proto__" to a plain object would set its
  // prototype instead of naming the field, and the answer would be 400 with no field at all.
  const fields = new Map<string, string>();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.set([...issue.path, key].join('.'), 'unknown field');
      continue;
    }
    const name = issue.path.join('.') || 'body';
    if (!fields.has(name)) fields.set(name, issue.message);
  }
  return Object.fromEntries(fields);
}

// A schema error as 400. `field` names a value that is not an object's property (a path parameter, say).
export function invalid(error: z.ZodError, field?: string): Response {
  const fields = field ? { [field]: error.issues[0]?.message ?? 'invalid' } : fieldErrors(error);
  return errorResponse(400, `invalid ${Object.keys(fields).join(', ')}`, fields);
}

async function readLimited(request: Request, bytesMax: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > bytesMax) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return { ok: false, response: errorResponse(415, 'the body must be JSON', { 'content-type': 'must be application/json' }) };
  }
  const tooLarge = () => ({
    ok: false as const,
    response: errorResponse(413, `the body is larger than ${limits.requestBodyBytesMax} bytes`, { body: `at most ${limits.requestBodyBytesMax} bytes` }),
  });
  if (Number(request.headers.get('content-length') ?? 0) > limits.requestBodyBytesMax) return tooLarge();
  const text = await readLimited(request, limits.requestBodyBytesMax);
  if (text === undefined) return tooLarge();
  if (text.trim() === '') return { ok: false, response: errorResponse(400, 'the body is empty', { body: 'required' }) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: errorResponse(400, 'the body is not valid JSON', { body: 'not valid JSON' }) };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalid(parsed.error) };
}

export function parseQuery<T>(url: string, schema: z.ZodType<T>): Parsed<T> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(url).searchParams));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalid(parsed.error) };
}
