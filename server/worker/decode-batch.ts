// Decodes one kafkajs batch of an input topic into validated records with their offsets; malformed messages are
// returned as dead letters (written and skipped by the caller), never thrown, so one bad message cannot stall
// its partition. The contract's schemas are the API's own field rules, control characters included.
import type { Batch } from 'kafkajs';
import type { z } from 'zod';
import { itemsAddedMessageSchema, purchaseCreatedMessageSchema, restockIdOf } from '../contract';
import { decodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import type { DeadLetter } from '../db/stock-store';
import type { InputBatch } from './plan-batch';

export type DecodedBatch = {
  input: InputBatch;
  // Every item, purchaseId and restockId the records name: the stored state the batch is decided against.
  itemIds: string[];
  purchaseIds: string[];
  restockIds: string[];
  malformed: DeadLetter[];
};

export function decodeInputBatch(batch: Pick<Batch, 'topic' | 'partition' | 'messages'>): DecodedBatch {
  const malformed: DeadLetter[] = [];
  if (batch.topic === topics.itemsAdded) {
    const records = decodeAll(itemsAddedMessageSchema, batch.messages, malformed);
    return {
      input: { kind: 'restocks', partition: batch.partition, records },
      itemIds: distinct(records.map((record) => record.message.itemId)),
      purchaseIds: [],
      restockIds: distinct(records.flatMap((record) => restockIdOf(record.message) ?? [])),
      malformed,
    };
  }
  if (batch.topic === topics.purchaseCreated) {
    const records = decodeAll(purchaseCreatedMessageSchema, batch.messages, malformed);
    return {
      input: { kind: 'purchases', partition: batch.partition, records },
      itemIds: distinct(records.map((record) => record.message.itemId)),
      purchaseIds: distinct(records.map((record) => record.message.purchaseId)),
      restockIds: [],
      malformed,
    };
  }
  throw new Error(`the worker is not subscribed to ${batch.topic}`);
}

function decodeAll<T>(schema: z.ZodType<T>, messages: Batch['messages'], malformed: DeadLetter[]) {
  return messages.flatMap((message) => {
    const decoded = decodeMessage(schema, message.value);
    if (decoded.ok) return [{ offset: BigInt(message.offset), message: decoded.value }];
    malformed.push({ offset: BigInt(message.offset), reason: `malformed: ${decoded.error}`, value: message.value, key: message.key });
    return [];
  });
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}
