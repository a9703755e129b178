// The three topics' message formats: JSON with a schema version, validated with zod when produced and
// again when consumed (a bad message on a topic is logged, counted and skipped, never a crash loop).
import { z } from 'zod';
import { limits } from '../limits';

export const schemaVersion = 1 as const;

export const itemIdSchema = z
  .string()
  .min(1)
  .max(limits.itemIdLengthMax)
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and hyphen');
export const purchaseIdSchema = z
  .string()
  .min(1)
  .max(limits.purchaseIdLengthMax)
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and hyphen');
export const quantitySchema = z.number().int().min(1).max(limits.quantityMax);
export const descriptionSchema = z.string().trim().min(1).max(limits.descriptionLengthMax);
export const purchasedBySchema = z.string().trim().min(1).max(limits.purchasedByLengthMax);
const timestampSchema = z.iso.datetime();

export const itemsAddedSchema = z.strictObject({
  schemaVersion: z.literal(schemaVersion),
  itemId: itemIdSchema,
  description: descriptionSchema,
  quantity: quantitySchema,
  addedAt: timestampSchema,
});
export type ItemsAddedMessage = z.infer<typeof itemsAddedSchema>;

export const purchaseCreatedSchema = z.strictObject({
  schemaVersion: z.literal(schemaVersion),
  purchaseId: purchaseIdSchema,
  itemId: itemIdSchema,
  quantity: quantitySchema,
  purchasedBy: purchasedBySchema,
  createdAt: timestampSchema,
});
export type PurchaseCreatedMessage = z.infer<typeof purchaseCreatedSchema>;

const purchaseResultFields = {
  purchaseId: purchaseIdSchema,
  itemId: itemIdSchema,
  quantity: quantitySchema,
  purchasedBy: purchasedBySchema,
  remaining: z.number().int().min(0),
  resultMessage: z.string(),
  createdAt: timestampSchema,
  decidedAt: timestampSchema,
};
function resultBranches<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.discriminatedUnion('status', [
    z.strictObject({ ...extra, ...purchaseResultFields, status: z.literal('SUCCEEDED'), reason: z.null() }),
    z.strictObject({ ...extra, ...purchaseResultFields, status: z.literal('FAILED'), reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_ITEM']) }),
  ]);
}
// What the API answers and socket.io emits: the finished event without its envelope.
export const purchaseResultSchema = resultBranches({});
export type PurchaseResult = z.infer<typeof purchaseResultSchema>;

export const purchaseFinishedSchema = resultBranches({ schemaVersion: z.literal(schemaVersion) });
export type PurchaseFinishedMessage = z.infer<typeof purchaseFinishedSchema>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

export function encodeMessage<T>(schema: z.ZodType<T>, value: T): Buffer {
  // Checking before producing keeps a bad message from ever reaching a topic that others replay.
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

export function toPurchaseResult({ schemaVersion: _envelope, ...result }: PurchaseFinishedMessage): PurchaseResult {
  return result;
}

// Where a result stands in the outbox of its partition. Sequences grow in commit order within a partition
// (its batches are serialised by the owner lock), so "everything after sequence S" is a gap-free replay.
export type ResultPosition = { partition: number; sequence: number };

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
