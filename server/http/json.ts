// Reading and answering JSON over HTTP: size and type limits first, then JSON, then the zod schema, and
// every refusal names the field it is about, in the contract's one error shape.
import type { z } from 'zod';
import type { ErrorBody } from '../contract';
import { limits } from '../limits';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const answer = Response.json(body, { status, headers });
  // API answers describe the present; no cache may keep them.
  answer.headers.set('Cache-Control', 'no-store');
  return answer;
}

export function errorResponse(status: number, error: string, fields?: Record<string, string>, headers?: HeadersInit): Response {
  const body: ErrorBody = fields ? { error, fields } : { error };
  return jsonResponse(body, status, headers);
}

export function fieldErrors(error: z.ZodError, prefix: readonly string[] = []): Record<string, string> {
  // Gathered in a Map: assigning a client's key such as "__proto__" to a plain object would set its
  // prototype instead of naming the field, and the answer would be 400 with no field at all.
  const fields = new Map<string, string>();
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.set([...path, key].join('.'), 'unknown field');
      continue;
    }
    const name = path.join('.') || 'body';
    if (!fields.has(name)) fields.set(name, issue.message);
  }
  return Object.fromEntries(fields);
}

export function invalid(error: z.ZodError): Response {
  const fields = fieldErrors(error);
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

// A parameter given twice is ambiguous (which one counts differs between servers and proxies): refused.
export function parseQuery<T>(url: string, schema: z.ZodType<T>): Parsed<T> {
  const entries = [...new URL(url).searchParams];
  const names = entries.map(([name]) => name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    return { ok: false, response: errorResponse(400, `invalid ${repeated}`, { [repeated]: 'given more than once' }) };
  }
  const parsed = schema.safeParse(Object.fromEntries(entries));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalid(parsed.error) };
}
