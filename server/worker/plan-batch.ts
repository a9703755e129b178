// The worker's pure steps, without I/O or clock: leave out the records a partition batch already applied, then
// turn the rest, plus the stored state they touch, into what must be written (items with their stock and
// settings, decisions, holds, refunds, results to publish, in log order).
import {
  decideBatch,
  describeDecision,
  type Command,
  type Event,
  type Hold,
  type ItemStock,
  type PurchaseDecided,
  type RestockRejected,
  type State,
} from '../domain/purchase';
import type { ItemsAddedMessage, PurchaseCreatedMessage, PurchaseFinishedMessage } from '../contract';
import {
  finishedMessage,
  holdMessage,
  storedHoldAfter,
  type StoredHold,
  type StoredPurchase,
  type StoredRestock,
} from '../purchases/stored-purchase';
import { commandOf } from './decode-batch';
import { itemCommandOf } from './item-command';

export type LoadedState = {
  items: ReadonlyMap<string, ItemStock>;
  purchases: ReadonlyMap<string, StoredPurchase>;
  holds: ReadonlyMap<string, StoredHold>;
  // The batch's restockIds that an earlier batch decided.
  restocks: ReadonlySet<string>;
};

export type InputBatch =
  // bps-items-added: restocks and seller's edits.
  | { kind: 'items'; partition: number; records: { offset: bigint; message: ItemsAddedMessage }[] }
  | { kind: 'purchases'; partition: number; records: { offset: bigint; message: PurchaseCreatedMessage }[] };

export type Refund = { purchaseId: string; refundedAt: string };

export type BatchPlan = {
  items: ItemStock[];
  // Purchases decided in this batch (a refund in the same batch is already in them).
  newPurchases: StoredPurchase[];
  // Purchases of earlier batches refunded in this one.
  refunds: Refund[];
  // Holds placed or changed in this batch, each once, in its latest state.
  holds: StoredHold[];
  results: PurchaseFinishedMessage[];
  rejectedRestocks: RestockRejected[];
  newRestocks: StoredRestock[];
  repeatedRestocks: number;
  // Edits of items never restocked: nothing to change.
  editsRejected: number;
  // Records whose id belongs to a hold when they are a purchase, or to a purchase when they are a hold.
  idsTaken: number;
};

type PurchaseRecord = { offset: bigint; message: PurchaseCreatedMessage };

// storedOffset is the first offset not yet applied (undefined: nothing applied yet). Kafka redelivers after a
// crash; the offset check makes the replay a no-op.
export function skipAppliedRecords(input: InputBatch, storedOffset: bigint | undefined): InputBatch {
  if (storedOffset === undefined) return input;
  const notApplied = (record: { offset: bigint }) => record.offset >= storedOffset;
  return input.kind === 'items'
    ? { ...input, records: input.records.filter(notApplied) }
    : { ...input, records: input.records.filter(notApplied) };
}

export function planBatch(batch: InputBatch, loaded: LoadedState, decidedAt: string): BatchPlan {
  const state: State = {
    items: loaded.items,
    decisions: new Map([...loaded.purchases].map(([purchaseId, stored]) => [purchaseId, stored.decision])),
    refunds: new Set([...loaded.purchases].filter(([, stored]) => stored.refundedAt !== undefined).map(([purchaseId]) => purchaseId)),
    holds: new Map([...loaded.holds].map(([holdId, stored]) => [holdId, stored.hold])),
    restocks: loaded.restocks,
  };
  const commands: Command[] = batch.kind === 'items' ? batch.records.map(({ message }) => itemCommandOf(message)) : batch.records.map(({ message }) => commandOf(message));
  const { events, state: after } = decideBatch(commands, state);
  const writes = new PlanWriter(loaded, batch.partition, decidedAt);
  events.forEach((event, index) => {
    if (batch.kind === 'items') writes.itemEvent(event, batch.records[index]?.offset);
    else writes.purchaseEvent(event, batch.records[index]);
  });
  return writes.plan(after);
}

// Collects a batch's writes event by event. Stored purchases and holds are kept up to date as the batch goes,
// so that a later event of the same batch (a repeat, a refund of a purchase decided just before) sees them.
class PlanWriter {
  private readonly purchases: Map<string, StoredPurchase>;
  private readonly holds: Map<string, StoredHold>;
  private readonly newPurchases = new Map<string, StoredPurchase>();
  private readonly refunds = new Map<string, Refund>();
  private readonly changedHolds = new Map<string, StoredHold>();
  private readonly touchedItems = new Set<string>();
  private readonly results: PurchaseFinishedMessage[] = [];
  private readonly rejectedRestocks: RestockRejected[] = [];
  private readonly newRestocks: StoredRestock[] = [];
  private repeatedRestocks = 0;
  private editsRejected = 0;
  private idsTaken = 0;

  constructor(
    loaded: LoadedState,
    private readonly partition: number,
    private readonly decidedAt: string,
  ) {
    this.purchases = new Map(loaded.purchases);
    this.holds = new Map(loaded.holds);
  }

  itemEvent(event: Event, offset: bigint | undefined): void {
    // Events of an items batch come from its commands, which were built from these records one to one.
    if (offset === undefined) throw new Error(`no input record for item event ${event.type}`);
    switch (event.type) {
      case 'ItemRestocked':
        this.touchedItems.add(event.itemId);
        this.storeRestock(event, true, offset);
        return;
      case 'ItemEdited':
        // The item row is rewritten from the state after the batch, settings included.
        this.touchedItems.add(event.itemId);
        return;
      case 'EditRejected':
        this.editsRejected += 1;
        return;
      case 'RestockRejected':
        this.rejectedRestocks.push(event);
        this.storeRestock(event, false, offset);
        return;
      case 'RestockRepeated':
        this.repeatedRestocks += 1;
        return;
      default:
        throw new Error(`an items record gave the event ${event.type}`);
    }
  }

  purchaseEvent(event: Event, record: PurchaseRecord | undefined): void {
    // Events of a purchases batch come from its commands, which were built from these records one to one.
    if (!record) throw new Error(`no input record for event ${event.type}`);
    switch (event.type) {
      case 'PurchaseSucceeded':
      case 'PurchaseFailed':
        this.decidePurchase(event, createdAtOf(record), record.offset);
        return;
      case 'PurchaseRepeated':
        // The stored original's current result is published again, identical (REFUNDED once refunded), so a
        // buyer who retried is answered too.
        this.results.push(finishedMessage(this.storedPurchase(event.original.purchaseId)));
        return;
      case 'HoldPlaced':
      case 'HoldFailed':
        this.changeHold(event.hold, event.remaining, { createdAt: createdAtOf(record), sourcePartition: this.partition, sourceOffset: record.offset });
        return;
      case 'HoldConfirmed':
        // The purchase is created by the confirm: its request time is the confirm's.
        this.changeHold(event.hold, event.purchase.remaining, this.storedHold(event.hold.holdId));
        this.decidePurchase(event.purchase, createdAtOf(record), record.offset);
        return;
      case 'HoldReleased':
        this.changeHold(event.hold, event.remaining, this.storedHold(event.hold.holdId));
        return;
      case 'HoldUnchanged':
        if (event.current !== undefined) this.results.push(holdMessage(this.storedHold(event.holdId)));
        return;
      case 'PurchaseRefunded':
        this.refund(event.purchase.purchaseId);
        this.touchedItems.add(event.purchase.itemId);
        return;
      case 'RefundUnchanged':
        if (event.reason === 'ALREADY_REFUNDED') this.results.push(finishedMessage(this.storedPurchase(event.purchaseId)));
        return;
      case 'IdTaken':
        this.idsTaken += 1;
        return;
      case 'ItemRestocked':
      case 'ItemEdited':
      case 'EditRejected':
      case 'RestockRejected':
      case 'RestockRepeated':
        throw new Error(`a purchases record gave the event ${event.type}`);
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  plan(after: State): BatchPlan {
    const items = [...this.touchedItems].flatMap((itemId) => after.items.get(itemId) ?? []);
    return {
      items,
      newPurchases: [...this.newPurchases.values()],
      refunds: [...this.refunds.values()],
      holds: [...this.changedHolds.values()],
      results: this.results,
      rejectedRestocks: this.rejectedRestocks,
      newRestocks: this.newRestocks,
      repeatedRestocks: this.repeatedRestocks,
      editsRejected: this.editsRejected,
      idsTaken: this.idsTaken,
    };
  }

  private storeRestock(event: { restockId?: string; itemId: string; quantity: number }, applied: boolean, offset: bigint): void {
    if (event.restockId === undefined) return;
    const { restockId, itemId, quantity } = event;
    this.newRestocks.push({ restockId, itemId, quantity, applied, decidedAt: this.decidedAt, sourcePartition: this.partition, sourceOffset: offset });
  }

  private decidePurchase(decision: PurchaseDecided, createdAt: string, offset: bigint): void {
    const stored: StoredPurchase = {
      decision,
      createdAt,
      decidedAt: this.decidedAt,
      resultMessage: describeDecision(decision),
      sourcePartition: this.partition,
      sourceOffset: offset,
    };
    this.purchases.set(decision.purchaseId, stored);
    this.newPurchases.set(decision.purchaseId, stored);
    this.results.push(finishedMessage(stored));
    if (decision.type === 'PurchaseSucceeded') this.touchedItems.add(decision.itemId);
  }

  // A purchase decided in this same batch is inserted already refunded; one decided before is updated.
  private refund(purchaseId: string): void {
    const refunded: StoredPurchase = { ...this.storedPurchase(purchaseId), refundedAt: this.decidedAt };
    this.purchases.set(purchaseId, refunded);
    if (this.newPurchases.has(purchaseId)) this.newPurchases.set(purchaseId, refunded);
    else this.refunds.set(purchaseId, { purchaseId, refundedAt: this.decidedAt });
    this.results.push(finishedMessage(refunded));
  }

  private changeHold(hold: Hold, remaining: number, first: { createdAt: string; sourcePartition: number; sourceOffset: bigint; decidedAt?: string }): void {
    const stored = storedHoldAfter(hold, remaining, this.decidedAt, first);
    this.holds.set(hold.holdId, stored);
    this.changedHolds.set(hold.holdId, stored);
    this.results.push(holdMessage(stored));
    if (hold.status !== 'FAILED') this.touchedItems.add(hold.itemId);
  }

  // The domain decided on a purchase or hold it found in the state, which was built from these maps.
  private storedPurchase(purchaseId: string): StoredPurchase {
    const stored = this.purchases.get(purchaseId);
    if (!stored) throw new Error(`purchase ${purchaseId} was decided on but is not stored`);
    return stored;
  }

  private storedHold(holdId: string): StoredHold {
    const stored = this.holds.get(holdId);
    if (!stored) throw new Error(`hold ${holdId} was decided on but is not stored`);
    return stored;
  }
}

// When the API took the request: a purchase's and a hold's createdAt, a confirm's requestedAt (the purchase a
// confirm creates was requested by it).
function createdAtOf(record: PurchaseRecord): string {
  const { message } = record;
  if (message.schemaVersion === 1) return message.createdAt;
  switch (message.kind) {
    case 'purchase':
    case 'hold':
      return message.createdAt;
    case 'confirm':
    case 'cancel':
    case 'expire':
    case 'refund':
      return message.requestedAt;
    default: {
      const unreachable: never = message;
      throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}
