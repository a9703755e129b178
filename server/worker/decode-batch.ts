// Decodes one kafkajs batch of an input topic into validated records with their offsets; malformed messages are
// returned as dead letters (written and skipped by the caller), never thrown, so one bad message cannot stall
// its partition. The contract's schemas are the API's own field rules, control characters included.
import type { Batch } from 'kafkajs';
import type { z } from 'zod';
import { itemsAddedMessageSchema, purchaseCreatedMessageSchema, type PurchaseCreatedMessage } from '../contract';
import type { Command } from '../domain/purchase';
import { decodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import type { DeadLetter } from '../db/stock-store';
import { itemCommandOf } from './item-command';
import type { InputBatch } from './plan-batch';

export type DecodedBatch = {
  input: InputBatch;
  // Every item, purchaseId, holdId and restockId the records name: the stored state the batch is decided against.
  itemIds: string[];
  purchaseIds: string[];
  holdIds: string[];
  restockIds: string[];
  malformed: DeadLetter[];
};

export function decodeInputBatch(batch: Pick<Batch, 'topic' | 'partition' | 'messages'>): DecodedBatch {
  const malformed: DeadLetter[] = [];
  if (batch.topic === topics.itemsAdded) {
    // Restocks and edits, in log order: an edit decides against the restocks before it and the reverse.
    const records = decodeAll(itemsAddedMessageSchema, batch.messages, malformed);
    const commands = records.map((record) => itemCommandOf(record.message));
    return {
      input: { kind: 'items', partition: batch.partition, records },
      itemIds: distinct(records.map((record) => record.message.itemId)),
      purchaseIds: [],
      holdIds: [],
      restockIds: distinct(commands.flatMap((command) => (command.type === 'RestockItem' && command.restockId !== undefined ? [command.restockId] : []))),
      malformed,
    };
  }
  if (batch.topic === topics.purchaseCreated) {
    const records = decodeAll(purchaseCreatedMessageSchema, batch.messages, malformed);
    const commands = records.map((record) => commandOf(record.message));
    return {
      input: { kind: 'purchases', partition: batch.partition, records },
      itemIds: distinct(records.map((record) => record.message.itemId)),
      ...idsToLoad(commands),
      restockIds: [],
      malformed,
    };
  }
  throw new Error(`the worker is not subscribed to ${batch.topic}`);
}

// The domain command of a bps-purchase-created record of either version. A confirm is stamped with the API's
// time of the confirm request: that stamp, not the worker's clock, is compared with the hold's expiresAt.
export function commandOf(message: PurchaseCreatedMessage): Command {
  if (message.schemaVersion === 1) return purchaseCommand(message);
  switch (message.kind) {
    case 'purchase':
      return purchaseCommand(message);
    case 'hold':
      return { type: 'PlaceHold', holdId: message.holdId, itemId: message.itemId, quantity: message.quantity, heldBy: message.heldBy, expiresAt: message.expiresAt };
    case 'confirm':
      return { type: 'ConfirmHold', holdId: message.holdId, itemId: message.itemId, confirmedAt: message.requestedAt };
    case 'cancel':
      return { type: 'CancelHold', holdId: message.holdId, itemId: message.itemId };
    case 'expire':
      return { type: 'ExpireHold', holdId: message.holdId, itemId: message.itemId };
    case 'refund':
      return { type: 'RefundPurchase', purchaseId: message.purchaseId, itemId: message.itemId };
    default: {
      const unreachable: never = message;
      throw new Error(`unknown command kind in ${JSON.stringify(unreachable)}`);
    }
  }
}

function purchaseCommand(message: { purchaseId: string; itemId: string; quantity: number; purchasedBy: string }): Command {
  return { type: 'PurchaseItem', purchaseId: message.purchaseId, itemId: message.itemId, quantity: message.quantity, purchasedBy: message.purchasedBy };
}

// Holds and purchases share one namespace of ids, and a confirmed hold is the purchase holdId: a hold command
// needs the purchase of its id (taken, or its own confirmed purchase), and a purchase the hold of its id.
export function idsToLoad(commands: readonly Command[]): { purchaseIds: string[]; holdIds: string[] } {
  const purchaseIds: string[] = [];
  const holdIds: string[] = [];
  for (const command of commands) {
    switch (command.type) {
      case 'PurchaseItem':
        purchaseIds.push(command.purchaseId);
        holdIds.push(command.purchaseId);
        break;
      case 'RefundPurchase':
        purchaseIds.push(command.purchaseId);
        break;
      case 'PlaceHold':
      case 'ConfirmHold':
      case 'CancelHold':
      case 'ExpireHold':
        purchaseIds.push(command.holdId);
        holdIds.push(command.holdId);
        break;
      case 'RestockItem':
      case 'EditItem':
        break;
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { purchaseIds: distinct(purchaseIds), holdIds: distinct(holdIds) };
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
