// Reading JSON requests: size and type limits first, then JSON, then the contract's zod schema. Every
// refusal is an Answer in the one error shape that names the field it is about. Shared by Next's route
// handlers and the lean buy path, which read bodies in their own ways and parse them here.
import type { z } from 'zod';
import { limits } from '../limits';
import { errorAnswer, type Answer } from './answer';

export type Parsed<T> = { ok: true; value: T } | { ok: false; answer: Answer };

export function fieldErrors(error: z.ZodError): Record<string, string> {
  // Gathered in a Map: assigning a client's key such as "__proto__" to a plain object would set its
  // prototype instead of naming the field, and the answer would be 400 with no field at all.
  const fields = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.set([...path, key].join('.'), 'unknown field');
      continue;
    }
    const name = path.join('.') || 'body';
    if (!fields.has(name)) fields.set(name, issue.message);
  }
  return Object.fromEntries(fields);
}

export function invalid(error: z.ZodError): Answer {
  const fields = fieldErrors(error);
  return errorAnswer(400, `invalid ${Object.keys(fields).join(', ')}`, fields);
}

export function validate<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, answer: invalid(parsed.error) };
}

const tooLarge: Parsed<never> = {
  ok: false,
  answer: errorAnswer(413, `the body is larger than ${limits.requestBodyBytesMax} bytes`, { body: `at most ${limits.requestBodyBytesMax} bytes` }),
};

// Checked before a byte of the body is read: the type, and the size the client declares.
export function checkBodyHeaders(contentType: string | null | undefined, contentLength: string | null | undefined): Parsed<void> {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    return { ok: false, answer: errorAnswer(415, 'the body must be JSON', { 'content-type': 'must be application/json' }) };
  }
  if (Number(contentLength ?? 0) > limits.requestBodyBytesMax) return tooLarge;
  return { ok: true, value: undefined };
}

// text is undefined when the body grew past the limit while it was read.
export function parseBodyText<T>(text: string | undefined, schema: z.ZodType<T>): Parsed<T> {
  if (text === undefined) return tooLarge;
  if (text.trim() === '') return { ok: false, answer: errorAnswer(400, 'the body is empty', { body: 'required' }) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, answer: errorAnswer(400, 'the body is not valid JSON', { body: 'not valid JSON' }) };
  }
  return validate(schema, json);
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
  const headers = checkBodyHeaders(request.headers.get('content-type'), request.headers.get('content-length'));
  if (!headers.ok) return headers;
  return parseBodyText(await readLimited(request, limits.requestBodyBytesMax), schema);
}

// A parameter given twice is ambiguous (which one counts differs between servers and proxies): refused.
export function parseQuery<T>(search: URLSearchParams, schema: z.ZodType<T>): Parsed<T> {
  const entries = [...search];
  const names = entries.map(([name]) => name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) return { ok: false, answer: errorAnswer(400, `invalid ${repeated}`, { [repeated]: 'given more than once' }) };
  return validate(schema, Object.fromEntries(entries));
}
