// The worker's pure steps, without I/O or clock: leave out the records a partition batch already applied, then
// turn the rest, plus the stored state they touch, into what must be written (stock, decisions, results to publish).
import {
  decideBatch,
  describeDecision,
  type Command,
  type ItemStock,
  type RestockRejected,
  type State,
} from '../domain/purchase';
import { restockIdOf, type ItemsAddedMessage, type PurchaseCreatedMessage, type PurchaseFinishedMessage } from '../contract';
import { finishedMessage, type StoredPurchase, type StoredRestock } from '../purchases/stored-purchase';

export type LoadedState = {
  items: ReadonlyMap<string, ItemStock>;
  purchases: ReadonlyMap<string, StoredPurchase>;
  // The batch's restockIds that an earlier batch decided.
  restocks: ReadonlySet<string>;
};

export type InputBatch =
  | { kind: 'restocks'; partition: number; records: { offset: bigint; message: ItemsAddedMessage }[] }
  | { kind: 'purchases'; partition: number; records: { offset: bigint; message: PurchaseCreatedMessage }[] };

export type BatchPlan = {
  items: ItemStock[];
  newPurchases: StoredPurchase[];
  results: PurchaseFinishedMessage[];
  rejectedRestocks: RestockRejected[];
  newRestocks: StoredRestock[];
  repeatedRestocks: number;
};

// storedOffset is the first offset not yet applied (undefined: nothing applied yet). Kafka redelivers after a
// crash; the offset check makes the replay a no-op.
export function skipAppliedRecords(input: InputBatch, storedOffset: bigint | undefined): InputBatch {
  if (storedOffset === undefined) return input;
  const notApplied = (record: { offset: bigint }) => record.offset >= storedOffset;
  return input.kind === 'restocks'
    ? { ...input, records: input.records.filter(notApplied) }
    : { ...input, records: input.records.filter(notApplied) };
}

export function planBatch(batch: InputBatch, loaded: LoadedState, decidedAt: string): BatchPlan {
  const state: State = {
    items: loaded.items,
    decisions: new Map([...loaded.purchases].map(([purchaseId, stored]) => [purchaseId, stored.decision])),
    restocks: loaded.restocks,
  };
  const commands: Command[] =
    batch.kind === 'restocks'
      ? batch.records.map(({ message }) => {
          const restockId = restockIdOf(message);
          const command: Command = { type: 'RestockItem', itemId: message.itemId, description: message.description, quantity: message.quantity };
          return restockId === undefined ? command : { ...command, restockId };
        })
      : batch.records.map(({ message }) => ({
          type: 'PurchaseItem',
          purchaseId: message.purchaseId,
          itemId: message.itemId,
          quantity: message.quantity,
          purchasedBy: message.purchasedBy,
        }));
  const { events, state: after } = decideBatch(commands, state);

  const stored = new Map(loaded.purchases);
  const plan: BatchPlan = { items: [], newPurchases: [], results: [], rejectedRestocks: [], newRestocks: [], repeatedRestocks: 0 };
  const storeRestock = (event: { restockId?: string; itemId: string; quantity: number }, applied: boolean, index: number) => {
    if (event.restockId === undefined) return;
    const record = batch.records[index];
    // Restock events only come from restock commands, which were built from these records one to one.
    if (!record) throw new Error(`no input record for restock ${index}`);
    plan.newRestocks.push({
      restockId: event.restockId,
      itemId: event.itemId,
      quantity: event.quantity,
      applied,
      decidedAt,
      sourcePartition: batch.partition,
      sourceOffset: record.offset,
    });
  };
  const touchedItems = new Set<string>();
  events.forEach((event, index) => {
    switch (event.type) {
      case 'ItemRestocked':
        touchedItems.add(event.itemId);
        storeRestock(event, true, index);
        return;
      case 'RestockRejected':
        plan.rejectedRestocks.push(event);
        storeRestock(event, false, index);
        return;
      case 'RestockRepeated':
        plan.repeatedRestocks += 1;
        return;
      case 'PurchaseSucceeded':
      case 'PurchaseFailed': {
        const record = batch.kind === 'purchases' ? batch.records[index] : undefined;
        // Purchase events only come from purchase commands, which were built from these records one to one.
        if (!record) throw new Error(`no input record for decision ${index}`);
        const decision: StoredPurchase = {
          decision: event,
          createdAt: record.message.createdAt,
          decidedAt,
          resultMessage: describeDecision(event),
          sourcePartition: batch.partition,
          sourceOffset: record.offset,
        };
        stored.set(event.purchaseId, decision);
        plan.newPurchases.push(decision);
        plan.results.push(finishedMessage(decision));
        if (event.type === 'PurchaseSucceeded') touchedItems.add(event.itemId);
        return;
      }
      case 'PurchaseRepeated': {
        // The original result is published again, identical, so a buyer who retried is answered too.
        const original = stored.get(event.original.purchaseId);
        if (!original) throw new Error(`repeated purchase ${event.original.purchaseId} has no stored original`);
        plan.results.push(finishedMessage(original));
        return;
      }
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  });
  for (const itemId of touchedItems) {
    const item = after.items.get(itemId);
    if (item) plan.items.push(item);
  }
  return plan;
}
