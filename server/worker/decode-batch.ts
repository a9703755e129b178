// Decodes one kafkajs batch of an input topic into validated records; malformed messages are reported
// (and skipped by the caller), never thrown, so one bad message cannot stall its partition.
import type { Batch } from 'kafkajs';
import type { z } from 'zod';
import { decodeMessage, itemsAddedSchema, purchaseCreatedSchema } from '../kafka/messages';
import { topics } from '../kafka/topics';
import type { InputBatch } from './plan-batch';

export type Malformed = { offset: string; error: string };

export type DecodedBatch = {
  itemIds: string[];
  purchaseIds: string[];
  malformed: Malformed[];
  // The records at or after the first offset not yet applied (undefined: none applied yet).
  from(appliedUpTo: bigint | undefined): InputBatch;
};

function decodeAll<T>(schema: z.ZodType<T>, messages: Batch['messages'], malformed: Malformed[]) {
  return messages.flatMap((message) => {
    const decoded = decodeMessage(schema, message.value);
    if (decoded.ok) return [{ offset: BigInt(message.offset), message: decoded.value }];
    malformed.push({ offset: message.offset, error: decoded.error });
    return [];
  });
}

export function decodeInputBatch(batch: Pick<Batch, 'topic' | 'partition' | 'messages'>): DecodedBatch {
  const malformed: Malformed[] = [];
  const keep = (appliedUpTo: bigint | undefined) => (record: { offset: bigint }) =>
    appliedUpTo === undefined || record.offset >= appliedUpTo;

  if (batch.topic === topics.itemsAdded) {
    const records = decodeAll(itemsAddedSchema, batch.messages, malformed);
    return {
      itemIds: [...new Set(records.map((record) => record.message.itemId))],
      purchaseIds: [],
      malformed,
      from: (appliedUpTo) => ({ kind: 'restocks', partition: batch.partition, records: records.filter(keep(appliedUpTo)) }),
    };
  }
  if (batch.topic === topics.purchaseCreated) {
    const records = decodeAll(purchaseCreatedSchema, batch.messages, malformed);
    return {
      itemIds: [...new Set(records.map((record) => record.message.itemId))],
      purchaseIds: [...new Set(records.map((record) => record.message.purchaseId))],
      malformed,
      from: (appliedUpTo) => ({ kind: 'purchases', partition: batch.partition, records: records.filter(keep(appliedUpTo)) }),
    };
  }
  throw new Error(`the worker is not subscribed to ${batch.topic}`);
}
