// The pure core: restocks and purchases decided against the stock of one item. No I/O, no clock, no imports
// from adapters. The worker loads the state it needs, calls decide/evolve in offset order, and stores the events.
import { limits } from '../limits';

export type ItemStock = {
  itemId: string;
  description: string;
  restocked: number;
  sold: number;
  available: number;
};

export type FailureReason = 'OUT_OF_STOCK' | 'UNKNOWN_ITEM';

// Commands: what sellers and buyers ask for.
// restockId: the client's optional idempotency key; a restock with one seen before changes nothing.
export type RestockItem = { type: 'RestockItem'; restockId?: string; itemId: string; description: string; quantity: number };
export type PurchaseItem = {
  type: 'PurchaseItem';
  purchaseId: string;
  itemId: string;
  quantity: number;
  purchasedBy: string;
};
export type Command = RestockItem | PurchaseItem;

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
export type Event = ItemRestocked | RestockRejected | RestockRepeated | PurchaseDecided | PurchaseRepeated;

export type State = {
  items: ReadonlyMap<string, ItemStock>;
  decisions: ReadonlyMap<string, PurchaseDecided>;
  // The restockIds already decided. The worker loads only those its batch names; the auditor keeps them all.
  restocks: ReadonlySet<string>;
};

export const emptyState: State = { items: new Map(), decisions: new Map(), restocks: new Set() };

function assertQuantity(quantity: number): void {
  // Both sides of every hop validate quantities, so one out of range here is a bug, not bad input.
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > limits.quantityMax) {
    throw new Error(`quantity ${quantity} outside 1..${limits.quantityMax} reached the domain`);
  }
}

export function decide(command: Command, state: State): Event {
  assertQuantity(command.quantity);
  switch (command.type) {
    case 'RestockItem':
      return decideRestock(command, state);
    case 'PurchaseItem':
      return decidePurchase(command, state);
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

function decidePurchase(command: PurchaseItem, state: State): PurchaseDecided | PurchaseRepeated {
  const original = state.decisions.get(command.purchaseId);
  if (original) return { type: 'PurchaseRepeated', original };
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

type MutableState = { items: Map<string, ItemStock>; decisions: Map<string, PurchaseDecided>; restocks: Set<string> };

function copyState(state: State): MutableState {
  return { items: new Map(state.items), decisions: new Map(state.decisions), restocks: new Set(state.restocks) };
}

function applyInPlace(state: MutableState, event: Event): void {
  switch (event.type) {
    case 'ItemRestocked': {
      const current = state.items.get(event.itemId);
      const restocked = (current?.restocked ?? 0) + event.quantity;
      const sold = current?.sold ?? 0;
      // The latest description wins, so a seller can correct it with the next restock.
      state.items.set(event.itemId, { itemId: event.itemId, description: event.description, restocked, sold, available: restocked - sold });
      if (event.restockId !== undefined) state.restocks.add(event.restockId);
      return;
    }
    case 'RestockRejected':
      if (event.restockId !== undefined) state.restocks.add(event.restockId);
      return;
    case 'PurchaseSucceeded': {
      const current = state.items.get(event.itemId);
      // decide() only succeeds against a known item with enough stock; anything else is a corrupted state.
      if (!current || current.available < event.quantity) {
        throw new Error(`PurchaseSucceeded ${event.purchaseId} does not fit the stock of ${event.itemId}`);
      }
      const sold = current.sold + event.quantity;
      state.items.set(event.itemId, { ...current, sold, available: current.restocked - sold });
      state.decisions.set(event.purchaseId, event);
      return;
    }
    case 'PurchaseFailed':
      state.decisions.set(event.purchaseId, event);
      return;
    case 'RestockRepeated':
    case 'PurchaseRepeated':
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
