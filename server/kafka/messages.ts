// Encoding and decoding of the topics' messages. Their shapes are the contract's (server/contract.ts); this
// adapter checks them on both sides of the hop: before producing, so a bad message never reaches a topic
// that others replay, and after consuming, so a bad one is reported and skipped, never a crash loop.
import type { z } from 'zod';
import type { ResultPosition } from '../contract';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

export function encodeMessage<T>(schema: z.ZodType<T>, value: T): Buffer {
  return Buffer.from(JSON.stringify(schema.parse(value)));
}

export function decodeMessage<T>(schema: z.ZodType<T>, value: Buffer | null): Decoded<T> {
  if (value === null) return { ok: false, error: 'empty message (tombstone)' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ') };
}

// A result's outbox position travels in the record's headers, so the payload stays the decision alone.
export function resultPositionHeaders(position: ResultPosition): Record<string, string> {
  return { 'bps-partition': String(position.partition), 'bps-sequence': String(position.sequence) };
}

export function readResultPosition(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): ResultPosition | undefined {
  const read = (name: string) => {
    const value = headers?.[name];
    const text = Array.isArray(value) ? value[0]?.toString() : value?.toString();
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const partition = read('bps-partition');
  const sequence = read('bps-sequence');
  return partition === undefined || sequence === undefined ? undefined : { partition, sequence };
}
