// The pure core: restocks, purchases, holds and refunds decided against the stock of one item. No I/O, no
// clock, no imports from adapters. The worker loads the state it needs, calls decide/evolve in offset order,
// and stores the events. Time enters only as the time stamps the commands carry (the API's, written into the
// log), so a replay of the same log decides the same.
import { limits } from '../limits';

// Every unit is in exactly one place: available + held + sold − refunded = restocked (stockBalances checks it).
// sold counts every unit ever sold, refunded the sold units given back, so sold − refunded are with buyers.
export type ItemStock = {
  itemId: string;
  description: string;
  restocked: number;
  sold: number;
  available: number;
  held: number;
  refunded: number;
};

export type FailureReason = 'OUT_OF_STOCK' | 'UNKNOWN_ITEM';

// A hold keeps units aside for one buyer until it is confirmed (paid), cancelled or expired. A hold that could
// not be placed is FAILED. HELD is the only state that changes; the other four are final.
export type HoldStatus = 'HELD' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'FAILED';
export type Hold = {
  holdId: string;
  itemId: string;
  quantity: number;
  heldBy: string;
  // The API's stamp of the hold request plus its ttlSeconds (ISO 8601).
  expiresAt: string;
  status: HoldStatus;
  // Why a FAILED hold could not be placed; null otherwise.
  reason: FailureReason | null;
};

// Commands: what sellers and buyers ask for, and (ExpireHold) what the item's partition owner asks when a hold
// is due. Time stamps are the API's (ISO 8601), carried in the log.
// restockId: the client's optional idempotency key; a restock with one seen before changes nothing.
export type RestockItem = { type: 'RestockItem'; restockId?: string; itemId: string; description: string; quantity: number };
export type PurchaseItem = {
  type: 'PurchaseItem';
  purchaseId: string;
  itemId: string;
  quantity: number;
  purchasedBy: string;
};
export type PlaceHold = { type: 'PlaceHold'; holdId: string; itemId: string; quantity: number; heldBy: string; expiresAt: string };
// confirmedAt: when the API took the confirm request; it wins only if no later than the hold's expiresAt.
export type ConfirmHold = { type: 'ConfirmHold'; holdId: string; itemId: string; confirmedAt: string };
export type CancelHold = { type: 'CancelHold'; holdId: string; itemId: string };
export type ExpireHold = { type: 'ExpireHold'; holdId: string; itemId: string };
export type RefundPurchase = { type: 'RefundPurchase'; purchaseId: string; itemId: string };
export type HoldCommand = PlaceHold | ConfirmHold | CancelHold | ExpireHold;
export type Command = RestockItem | PurchaseItem | HoldCommand | RefundPurchase;

// Events: facts, in the past tense.
export type ItemRestocked = { type: 'ItemRestocked'; restockId?: string; itemId: string; description: string; quantity: number };
// A restock that would push the item's total past limits.stockMax; the stock stays as it was.
export type RestockRejected = { type: 'RestockRejected'; restockId?: string; itemId: string; quantity: number; reason: 'STOCK_LIMIT' };
// A restockId decided before (applied or rejected): nothing changes.
export type RestockRepeated = { type: 'RestockRepeated'; restockId: string; itemId: string };
type PurchaseFacts = { purchaseId: string; itemId: string; quantity: number; purchasedBy: string; remaining: number };
export type PurchaseSucceeded = PurchaseFacts & { type: 'PurchaseSucceeded' };
export type PurchaseFailed = PurchaseFacts & { type: 'PurchaseFailed'; reason: FailureReason };
export type PurchaseDecided = PurchaseSucceeded | PurchaseFailed;
// A purchaseId seen before: the original decision is repeated and nothing changes.
export type PurchaseRepeated = { type: 'PurchaseRepeated'; original: PurchaseDecided };
// A hold's first decision. remaining: the item's available units after it.
export type HoldPlaced = { type: 'HoldPlaced'; hold: Hold; remaining: number };
export type HoldFailed = { type: 'HoldFailed'; hold: Hold; remaining: number };
// A confirmed hold becomes a purchase with purchaseId = holdId: the units move from held to sold.
export type HoldConfirmed = { type: 'HoldConfirmed'; hold: Hold; purchase: PurchaseSucceeded };
// Cancelled by its buyer, expired by its owner's ExpireHold, or expired by a confirm stamped too late: the
// units return to available.
export type HoldReleased = { type: 'HoldReleased'; hold: Hold; remaining: number };
// A command on a hold that is already final, a repeated PlaceHold, or a confirm, cancel or expiry of a hold
// not decided yet (its PlaceHold is not in the log before it): nothing changes, and the hold's current state
// (if any) is published again so that whoever waits on it is answered.
export type HoldUnchanged = { type: 'HoldUnchanged'; holdId: string; itemId: string; current: Hold | undefined };
// A succeeded purchase given back, all its units, once: they return to available.
export type PurchaseRefunded = { type: 'PurchaseRefunded'; purchase: PurchaseSucceeded; remaining: number };
// A refund of a purchase already refunded, failed, or never decided: nothing changes.
export type RefundUnchanged = { type: 'RefundUnchanged'; purchaseId: string; itemId: string; reason: 'ALREADY_REFUNDED' | 'NOT_SUCCEEDED' | 'UNKNOWN_PURCHASE' };
// Holds and purchases share one namespace of ids (a confirmed hold is the purchase holdId). The API refuses a
// taken id with 409 before anything is appended; should a record with one reach the log anyway, it changes nothing.
export type IdTaken = { type: 'IdTaken'; id: string; itemId: string; command: 'PurchaseItem' | 'PlaceHold' };
export type Event =
  | ItemRestocked
  | RestockRejected
  | RestockRepeated
  | PurchaseDecided
  | PurchaseRepeated
  | HoldPlaced
  | HoldFailed
  | HoldConfirmed
  | HoldReleased
  | HoldUnchanged
  | PurchaseRefunded
  | RefundUnchanged
  | IdTaken;

export type State = {
  items: ReadonlyMap<string, ItemStock>;
  decisions: ReadonlyMap<string, PurchaseDecided>;
  // The purchaseIds refunded (each a SUCCEEDED decision).
  refunds: ReadonlySet<string>;
  holds: ReadonlyMap<string, Hold>;
  // The restockIds already decided. The worker loads only those its batch names; the auditor keeps them all.
  restocks: ReadonlySet<string>;
};

export const emptyState: State = { items: new Map(), decisions: new Map(), refunds: new Set(), holds: new Map(), restocks: new Set() };

// The equation every item satisfies after every decision, with every term ≥ 0.
export function stockBalances(item: ItemStock): boolean {
  const terms = [item.restocked, item.sold, item.available, item.held, item.refunded];
  return (
    terms.every((term) => Number.isInteger(term) && term >= 0) &&
    item.refunded <= item.sold &&
    item.available + item.held + item.sold - item.refunded === item.restocked
  );
}

function assertQuantity(quantity: number): void {
  // Both sides of every hop validate quantities, so one out of range here is a bug, not bad input.
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > limits.quantityMax) {
    throw new Error(`quantity ${quantity} outside 1..${limits.quantityMax} reached the domain`);
  }
}

export function decide(command: Command, state: State): Event {
  switch (command.type) {
    case 'RestockItem':
      assertQuantity(command.quantity);
      return decideRestock(command, state);
    case 'PurchaseItem':
      assertQuantity(command.quantity);
      return decidePurchase(command, state);
    case 'PlaceHold':
      assertQuantity(command.quantity);
      return decidePlaceHold(command, state);
    case 'ConfirmHold':
      return decideConfirm(command, state);
    case 'CancelHold':
    case 'ExpireHold':
      return decideRelease(command, state);
    case 'RefundPurchase':
      return decideRefund(command, state);
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}

function decideRestock(command: RestockItem, state: State): ItemRestocked | RestockRejected | RestockRepeated {
  const { restockId } = command;
  if (restockId !== undefined && state.restocks.has(restockId)) return { type: 'RestockRepeated', restockId, itemId: command.itemId };
  const key = restockId === undefined ? {} : { restockId };
  const restocked = state.items.get(command.itemId)?.restocked ?? 0;
  if (restocked + command.quantity > limits.stockMax) {
    return { type: 'RestockRejected', ...key, itemId: command.itemId, quantity: command.quantity, reason: 'STOCK_LIMIT' };
  }
  return { type: 'ItemRestocked', ...key, itemId: command.itemId, description: command.description, quantity: command.quantity };
}

function decidePurchase(command: PurchaseItem, state: State): PurchaseDecided | PurchaseRepeated | IdTaken {
  const original = state.decisions.get(command.purchaseId);
  if (original) return { type: 'PurchaseRepeated', original };
  if (state.holds.has(command.purchaseId)) return { type: 'IdTaken', id: command.purchaseId, itemId: command.itemId, command: 'PurchaseItem' };
  const facts = {
    purchaseId: command.purchaseId,
    itemId: command.itemId,
    quantity: command.quantity,
    purchasedBy: command.purchasedBy,
  };
  const item = state.items.get(command.itemId);
  if (!item) return { type: 'PurchaseFailed', ...facts, reason: 'UNKNOWN_ITEM', remaining: 0 };
  if (item.available < command.quantity) {
    return { type: 'PurchaseFailed', ...facts, reason: 'OUT_OF_STOCK', remaining: item.available };
  }
  return { type: 'PurchaseSucceeded', ...facts, remaining: item.available - command.quantity };
}

function decidePlaceHold(command: PlaceHold, state: State): HoldPlaced | HoldFailed | HoldUnchanged | IdTaken {
  const current = state.holds.get(command.holdId);
  if (current) return { type: 'HoldUnchanged', holdId: command.holdId, itemId: current.itemId, current };
  if (state.decisions.has(command.holdId)) return { type: 'IdTaken', id: command.holdId, itemId: command.itemId, command: 'PlaceHold' };
  const facts = { holdId: command.holdId, itemId: command.itemId, quantity: command.quantity, heldBy: command.heldBy, expiresAt: command.expiresAt };
  const item = state.items.get(command.itemId);
  if (!item) return { type: 'HoldFailed', hold: { ...facts, status: 'FAILED', reason: 'UNKNOWN_ITEM' }, remaining: 0 };
  if (item.available < command.quantity) {
    return { type: 'HoldFailed', hold: { ...facts, status: 'FAILED', reason: 'OUT_OF_STOCK' }, remaining: item.available };
  }
  return { type: 'HoldPlaced', hold: { ...facts, status: 'HELD', reason: null }, remaining: item.available - command.quantity };
}

// A confirm stamped after expiresAt lost the race with the clock: the hold expires here, in log order, whether
// or not its owner's ExpireHold is in the log yet (which then finds it final and changes nothing).
function decideConfirm(command: ConfirmHold, state: State): HoldConfirmed | HoldReleased | HoldUnchanged {
  const hold = state.holds.get(command.holdId);
  if (!hold || hold.status !== 'HELD' || hold.itemId !== command.itemId) return holdUnchanged(command, hold);
  const item = heldItem(hold, state);
  if (Date.parse(command.confirmedAt) > Date.parse(hold.expiresAt)) {
    return { type: 'HoldReleased', hold: { ...hold, status: 'EXPIRED' }, remaining: item.available + hold.quantity };
  }
  const purchase: PurchaseSucceeded = {
    type: 'PurchaseSucceeded',
    purchaseId: hold.holdId,
    itemId: hold.itemId,
    quantity: hold.quantity,
    purchasedBy: hold.heldBy,
    remaining: item.available,
  };
  return { type: 'HoldConfirmed', hold: { ...hold, status: 'CONFIRMED' }, purchase };
}

function decideRelease(command: CancelHold | ExpireHold, state: State): HoldReleased | HoldUnchanged {
  const hold = state.holds.get(command.holdId);
  if (!hold || hold.status !== 'HELD' || hold.itemId !== command.itemId) return holdUnchanged(command, hold);
  const status = command.type === 'CancelHold' ? 'CANCELLED' : 'EXPIRED';
  return { type: 'HoldReleased', hold: { ...hold, status }, remaining: heldItem(hold, state).available + hold.quantity };
}

// A command naming another item than its hold's was keyed to another item's partition, whose owner must not
// write this item (that would make two writers of one item): it changes nothing. The API always names the
// hold's own item; only a record produced by hand can differ.
function holdUnchanged(command: HoldCommand, hold: Hold | undefined): HoldUnchanged {
  const current = hold?.itemId === command.itemId ? hold : undefined;
  return { type: 'HoldUnchanged', holdId: command.holdId, itemId: command.itemId, current };
}

function decideRefund(command: RefundPurchase, state: State): PurchaseRefunded | RefundUnchanged {
  const unchanged = (reason: RefundUnchanged['reason']): RefundUnchanged => ({ type: 'RefundUnchanged', purchaseId: command.purchaseId, itemId: command.itemId, reason });
  const decision = state.decisions.get(command.purchaseId);
  // As for holds: a refund keyed to another item's partition must not write this purchase's item.
  if (!decision || decision.itemId !== command.itemId) return unchanged('UNKNOWN_PURCHASE');
  if (decision.type !== 'PurchaseSucceeded') return unchanged('NOT_SUCCEEDED');
  if (state.refunds.has(command.purchaseId)) return unchanged('ALREADY_REFUNDED');
  const item = state.items.get(decision.itemId);
  // A succeeded purchase always has its item (items are never deleted); without it the state is corrupted.
  if (!item) throw new Error(`refunded purchase ${decision.purchaseId} has no item ${decision.itemId}`);
  return { type: 'PurchaseRefunded', purchase: decision, remaining: item.available + decision.quantity };
}

// A HELD hold's units are in its item's held count; anything else is a corrupted state.
function heldItem(hold: Hold, state: State): ItemStock {
  const item = state.items.get(hold.itemId);
  if (!item || item.held < hold.quantity) throw new Error(`hold ${hold.holdId} does not fit the held units of ${hold.itemId}`);
  return item;
}

export function evolve(state: State, event: Event): State {
  const next = copyState(state);
  applyInPlace(next, event);
  return next;
}

// Decides a batch in order: each command sees the effects of those before it. The input state is not
// changed; the maps are copied once per batch rather than once per event, which keeps a batch linear.
export function decideBatch(commands: readonly Command[], state: State): { events: Event[]; state: State } {
  const next = copyState(state);
  const events = commands.map((command) => {
    const event = decide(command, next);
    applyInPlace(next, event);
    return event;
  });
  return { events, state: next };
}

type MutableState = {
  items: Map<string, ItemStock>;
  decisions: Map<string, PurchaseDecided>;
  refunds: Set<string>;
  holds: Map<string, Hold>;
  restocks: Set<string>;
};

function copyState(state: State): MutableState {
  return {
    items: new Map(state.items),
    decisions: new Map(state.decisions),
    refunds: new Set(state.refunds),
    holds: new Map(state.holds),
    restocks: new Set(state.restocks),
  };
}

// Moves units between an item's counters; the result must balance, or the decision was wrong.
function adjust(state: MutableState, itemId: string, change: Partial<Record<'available' | 'held' | 'sold' | 'refunded', number>>, why: string): void {
  const current = state.items.get(itemId);
  if (!current) throw new Error(`${why}: no item ${itemId}`);
  const next: ItemStock = {
    ...current,
    available: current.available + (change.available ?? 0),
    held: current.held + (change.held ?? 0),
    sold: current.sold + (change.sold ?? 0),
    refunded: current.refunded + (change.refunded ?? 0),
  };
  if (!stockBalances(next)) throw new Error(`${why} does not fit the stock of ${itemId}`);
  state.items.set(itemId, next);
}

function applyInPlace(state: MutableState, event: Event): void {
  switch (event.type) {
    case 'ItemRestocked': {
      const current = state.items.get(event.itemId);
      const stock = current ?? { itemId: event.itemId, description: event.description, restocked: 0, sold: 0, available: 0, held: 0, refunded: 0 };
      // The latest description wins, so a seller can correct it with the next restock.
      state.items.set(event.itemId, { ...stock, description: event.description, restocked: stock.restocked + event.quantity, available: stock.available + event.quantity });
      if (event.restockId !== undefined) state.restocks.add(event.restockId);
      return;
    }
    case 'RestockRejected':
      if (event.restockId !== undefined) state.restocks.add(event.restockId);
      return;
    case 'PurchaseSucceeded':
      adjust(state, event.itemId, { available: -event.quantity, sold: event.quantity }, `PurchaseSucceeded ${event.purchaseId}`);
      state.decisions.set(event.purchaseId, event);
      return;
    case 'PurchaseFailed':
      state.decisions.set(event.purchaseId, event);
      return;
    case 'HoldPlaced':
      adjust(state, event.hold.itemId, { available: -event.hold.quantity, held: event.hold.quantity }, `HoldPlaced ${event.hold.holdId}`);
      state.holds.set(event.hold.holdId, event.hold);
      return;
    case 'HoldFailed':
      state.holds.set(event.hold.holdId, event.hold);
      return;
    case 'HoldConfirmed':
      adjust(state, event.hold.itemId, { held: -event.hold.quantity, sold: event.hold.quantity }, `HoldConfirmed ${event.hold.holdId}`);
      state.holds.set(event.hold.holdId, event.hold);
      state.decisions.set(event.purchase.purchaseId, event.purchase);
      return;
    case 'HoldReleased':
      adjust(state, event.hold.itemId, { held: -event.hold.quantity, available: event.hold.quantity }, `HoldReleased ${event.hold.holdId}`);
      state.holds.set(event.hold.holdId, event.hold);
      return;
    case 'PurchaseRefunded':
      adjust(state, event.purchase.itemId, { refunded: event.purchase.quantity, available: event.purchase.quantity }, `PurchaseRefunded ${event.purchase.purchaseId}`);
      state.refunds.add(event.purchase.purchaseId);
      return;
    case 'RestockRepeated':
    case 'PurchaseRepeated':
    case 'HoldUnchanged':
    case 'RefundUnchanged':
    case 'IdTaken':
      return;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
}

// A sentence for people watching bps-purchase-finished with a console consumer; programs read the fields.
export function describeDecision(decision: PurchaseDecided): string {
  const who = decision.purchasedBy;
  const what = `${decision.quantity} × ${decision.itemId}`;
  if (decision.type === 'PurchaseSucceeded') {
    return `${who} bought ${what}; ${decision.remaining} left.`;
  }
  switch (decision.reason) {
    case 'OUT_OF_STOCK':
      return `${who} could not buy ${what}: only ${decision.remaining} left.`;
    case 'UNKNOWN_ITEM':
      return `${who} could not buy ${what}: there is no such item.`;
    default: {
      const unreachable: never = decision.reason;
      throw new Error(`unknown failure reason ${String(unreachable)}`);
    }
  }
}

// The same for holds, in each state.
export function describeHold(hold: Hold, remaining: number): string {
  const who = hold.heldBy;
  const what = `${hold.quantity} × ${hold.itemId}`;
  switch (hold.status) {
    case 'HELD':
      return `${who} holds ${what} until ${hold.expiresAt}; ${remaining} left.`;
    case 'CONFIRMED':
      return `${who} paid for the hold of ${what}.`;
    case 'CANCELLED':
      return `${who} cancelled the hold of ${what}; ${remaining} left.`;
    case 'EXPIRED':
      return `The hold of ${what} by ${who} expired; ${remaining} left.`;
    case 'FAILED':
      return hold.reason === 'UNKNOWN_ITEM' ? `${who} could not hold ${what}: there is no such item.` : `${who} could not hold ${what}: only ${remaining} left.`;
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${String(unreachable)}`);
    }
  }
}
