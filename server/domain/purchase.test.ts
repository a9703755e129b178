// Goal: each rule of the purchase domain (restock, purchase, repeat, holds and their confirm, cancel and expiry, refunds, prices, edits and archive, limits, purity) shown as given/when/then.
import { describe, expect, it } from 'vitest';
import { limits } from '../limits';
import {
  decide,
  decideBatch,
  emptyState,
  evolve,
  newItem,
  type Command,
  type EditItem,
  type Event,
  type ItemChanges,
  type ItemStock,
  type PlaceHold,
  type PurchaseItem,
  type RestockItem,
  type State,
} from './purchase';

function restock(itemId: string, quantity: number, description = 'Dune, first edition'): RestockItem {
  return { type: 'RestockItem', itemId, description, quantity };
}

function purchase(purchaseId: string, itemId: string, quantity: number, purchasedBy = 'alice'): PurchaseItem {
  return { type: 'PurchaseItem', purchaseId, itemId, quantity, purchasedBy };
}

const expiresAt = '2026-11-26T10:10:00.000Z';
function hold(holdId: string, itemId: string, quantity: number, heldBy = 'bob'): PlaceHold {
  return { type: 'PlaceHold', holdId, itemId, quantity, heldBy, expiresAt };
}
const confirm = (holdId: string, itemId: string, confirmedAt = '2026-11-26T10:09:59.999Z'): Command => ({ type: 'ConfirmHold', holdId, itemId, confirmedAt });
const cancel = (holdId: string, itemId: string): Command => ({ type: 'CancelHold', holdId, itemId });
const expire = (holdId: string, itemId: string): Command => ({ type: 'ExpireHold', holdId, itemId });
const refund = (purchaseId: string, itemId: string): Command => ({ type: 'RefundPurchase', purchaseId, itemId });
const edit = (itemId: string, changes: ItemChanges): EditItem => ({ type: 'EditItem', itemId, changes });
const pricedRestock = (itemId: string, quantity: number, unitPrice: number): RestockItem => ({ ...restock(itemId, quantity), unitPrice });
// A decision on an item without a price: nothing recorded, nothing charged.
const noPrice = { unitPrice: null, total: null };

// Given: the state reached by deciding and applying these commands from empty, one by one.
function given(...commands: Command[]): State {
  return commands.reduce((state, command) => evolve(state, decide(command, state)), emptyState);
}

// When: decide one command and apply its event.
function when(state: State, command: Command): { event: Event; state: State } {
  const event = decide(command, state);
  return { event, state: evolve(state, event) };
}

function itemOf(state: State, itemId: string): ItemStock | undefined {
  return state.items.get(itemId);
}

describe('restocking', () => {
  it('creates the item on its first restock', () => {
    const { event, state } = when(emptyState, restock('dune', 3, 'Dune'));

    expect(event).toEqual({ type: 'ItemRestocked', itemId: 'dune', description: 'Dune', quantity: 3 });
    expect(itemOf(state, 'dune')).toEqual({
      itemId: 'dune',
      description: 'Dune',
      restocked: 3,
      sold: 0,
      available: 3,
      held: 0,
      refunded: 0,
      unitPrice: null,
      lowStockThreshold: null,
      archived: false,
    });
  });

  it('adds to the stock instead of overwriting it (3 then +2 gives 5)', () => {
    const { state } = when(given(restock('dune', 3)), restock('dune', 2));

    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 5, sold: 0, available: 5 });
  });

  it('adds to what is left after sales', () => {
    const { state } = when(given(restock('dune', 3), purchase('p1', 'dune', 2)), restock('dune', 4));

    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 7, sold: 2, available: 5 });
  });

  it('keeps the latest description', () => {
    const { state } = when(given(restock('dune', 1, 'Dnue')), restock('dune', 1, 'Dune'));

    expect(itemOf(state, 'dune')?.description).toBe('Dune');
  });

  it('leaves other items alone', () => {
    const { state } = when(given(restock('dune', 3), restock('emma', 1)), restock('dune', 2));

    expect(itemOf(state, 'emma')).toMatchObject({ restocked: 1, available: 1 });
  });

  describe('with a restockId', () => {
    const keyed = (restockId: string, itemId: string, quantity: number) => ({ ...restock(itemId, quantity, 'Dune'), restockId });

    it('applies the first restock with a restockId and remembers the id', () => {
      const { event, state } = when(emptyState, keyed('r1', 'dune', 3));

      expect(event).toEqual({ type: 'ItemRestocked', restockId: 'r1', itemId: 'dune', description: 'Dune', quantity: 3 });
      expect(state.restocks).toEqual(new Set(['r1']));
    });

    it('changes nothing for a restockId seen before, even with another quantity or item', () => {
      const start = given(keyed('r1', 'dune', 3));

      for (const repeat of [keyed('r1', 'dune', 3), keyed('r1', 'dune', 7), keyed('r1', 'emma', 1)]) {
        const { event, state } = when(start, repeat);
        expect(event).toEqual({ type: 'RestockRepeated', restockId: 'r1', itemId: repeat.itemId });
        expect(state).toEqual(start);
      }
    });

    it('adds each time without a restockId', () => {
      expect(itemOf(given(restock('dune', 3), restock('dune', 3)), 'dune')).toMatchObject({ restocked: 6 });
    });

    it('repeats nothing within one batch', () => {
      const { events, state } = decideBatch([keyed('r1', 'dune', 3), keyed('r1', 'dune', 3)], emptyState);

      expect(events.map((event) => event.type)).toEqual(['ItemRestocked', 'RestockRepeated']);
      expect(itemOf(state, 'dune')).toMatchObject({ restocked: 3 });
    });
  });

  describe('near limits.stockMax', () => {
    // No sequence of quantityMax-sized commands reaches stockMax in a unit test, so the state is written out.
    const nearFull: State = {
      items: new Map([
        ['dune', { ...newItem('dune', 'Dune'), restocked: limits.stockMax - 5, sold: 2, available: limits.stockMax - 7 }],
      ]),
      decisions: new Map(),
      refunds: new Set(),
      holds: new Map(),
      restocks: new Set(),
    };

    it('accepts a restock that reaches stockMax exactly', () => {
      const { event, state } = when(nearFull, restock('dune', 5));

      expect(event.type).toBe('ItemRestocked');
      expect(itemOf(state, 'dune')).toMatchObject({ restocked: limits.stockMax, sold: 2, available: limits.stockMax - 2 });
    });

    it('rejects a restock that would pass stockMax and keeps the stock as it was', () => {
      const { event, state } = when(nearFull, restock('dune', 6, 'Dune, reprint'));

      expect(event).toEqual({ type: 'RestockRejected', itemId: 'dune', quantity: 6, reason: 'STOCK_LIMIT' });
      expect(state).toEqual(nearFull);
    });
  });
});

describe('purchasing', () => {
  it('succeeds when enough is available, with the stock left after it as remaining', () => {
    const { event, state } = when(given(restock('dune', 5)), purchase('p1', 'dune', 2, 'bob'));

    const expected = { type: 'PurchaseSucceeded', purchaseId: 'p1', itemId: 'dune', quantity: 2, purchasedBy: 'bob', remaining: 3, ...noPrice };
    expect(event).toEqual(expected);
    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 5, sold: 2, available: 3 });
    expect(state.decisions.get('p1')).toEqual(expected);
  });

  it('sells everything that is available', () => {
    const { event, state } = when(given(restock('dune', 4)), purchase('p1', 'dune', 4));

    expect(event).toMatchObject({ type: 'PurchaseSucceeded', remaining: 0 });
    expect(itemOf(state, 'dune')).toMatchObject({ sold: 4, available: 0 });
  });

  it('gives the last unit to exactly the first buyer', () => {
    const { events, state } = decideBatch(
      [purchase('p-alice', 'dune', 1, 'alice'), purchase('p-bob', 'dune', 1, 'bob')],
      given(restock('dune', 1)),
    );

    expect(events).toEqual([
      { type: 'PurchaseSucceeded', purchaseId: 'p-alice', itemId: 'dune', quantity: 1, purchasedBy: 'alice', remaining: 0, ...noPrice },
      { type: 'PurchaseFailed', purchaseId: 'p-bob', itemId: 'dune', quantity: 1, purchasedBy: 'bob', remaining: 0, reason: 'OUT_OF_STOCK', ...noPrice },
    ]);
    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 1, sold: 1, available: 0 });
  });

  it('fails OUT_OF_STOCK with what is available as remaining, and sells nothing', () => {
    const before = given(restock('dune', 5), purchase('p1', 'dune', 3));

    const { event, state } = when(before, purchase('p2', 'dune', 3, 'bob'));

    const expected = { type: 'PurchaseFailed', purchaseId: 'p2', itemId: 'dune', quantity: 3, purchasedBy: 'bob', remaining: 2, reason: 'OUT_OF_STOCK', ...noPrice };
    expect(event).toEqual(expected);
    expect(itemOf(state, 'dune')).toEqual(itemOf(before, 'dune'));
    expect(state.decisions.get('p2')).toEqual(expected);
  });

  it('fails UNKNOWN_ITEM with remaining 0 for an item never restocked, and creates no item', () => {
    const { event, state } = when(given(restock('dune', 5)), purchase('p1', 'emma', 1));

    const expected = { type: 'PurchaseFailed', purchaseId: 'p1', itemId: 'emma', quantity: 1, purchasedBy: 'alice', remaining: 0, reason: 'UNKNOWN_ITEM', ...noPrice };
    expect(event).toEqual(expected);
    expect(state.items.has('emma')).toBe(false);
    expect(state.decisions.get('p1')).toEqual(expected);
  });
});

describe('a repeated purchaseId', () => {
  it('repeats an original success and changes nothing, even after a restock', () => {
    const first = decide(purchase('p1', 'dune', 2), given(restock('dune', 2)));
    const before = given(restock('dune', 2), purchase('p1', 'dune', 2), restock('dune', 10));

    const { event, state } = when(before, purchase('p1', 'dune', 2));

    expect(first.type).toBe('PurchaseSucceeded');
    expect(event).toEqual({ type: 'PurchaseRepeated', original: first });
    expect(state).toEqual(before);
  });

  it('repeats an original OUT_OF_STOCK even when the stock would now allow it', () => {
    const first = decide(purchase('p1', 'dune', 3), given(restock('dune', 1)));
    const before = given(restock('dune', 1), purchase('p1', 'dune', 3), restock('dune', 10));

    const { event, state } = when(before, purchase('p1', 'dune', 3));

    expect(first).toMatchObject({ type: 'PurchaseFailed', reason: 'OUT_OF_STOCK', remaining: 1 });
    expect(event).toEqual({ type: 'PurchaseRepeated', original: first });
    expect(state).toEqual(before);
  });

  it('repeats an original UNKNOWN_ITEM after the item has been created', () => {
    const first = decide(purchase('p1', 'dune', 1), emptyState);
    const before = given(purchase('p1', 'dune', 1), restock('dune', 5));

    const { event, state } = when(before, purchase('p1', 'dune', 1));

    expect(event).toEqual({ type: 'PurchaseRepeated', original: first });
    expect(state).toEqual(before);
  });

  it('repeats the original even when the retry names another item, quantity or buyer', () => {
    const before = given(restock('dune', 5), restock('emma', 5), purchase('p1', 'dune', 1, 'alice'));

    const { event, state } = when(before, purchase('p1', 'emma', 4, 'bob'));

    expect(event).toEqual({ type: 'PurchaseRepeated', original: before.decisions.get('p1') });
    expect(state).toEqual(before);
  });
});

describe('a quantity outside 1..limits.quantityMax', () => {
  // Commands are validated before the domain, so such a quantity here is a bug and must crash.
  const outside = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, limits.quantityMax + 1];

  it.each(outside)('throws for a restock of %s', (quantity) => {
    expect(() => decide(restock('dune', quantity), emptyState)).toThrow(/quantity/);
  });

  it.each(outside)('throws for a purchase of %s, even of a known item', (quantity) => {
    expect(() => decide(purchase('p1', 'dune', quantity), given(restock('dune', 5)))).toThrow(/quantity/);
  });

  it('throws for a repeated purchaseId too, rather than repeating the original', () => {
    expect(() => decide(purchase('p1', 'dune', 0), given(restock('dune', 5), purchase('p1', 'dune', 1)))).toThrow(/quantity/);
  });

  it.each([1, limits.quantityMax])('accepts the bound %s', (quantity) => {
    expect(decide(restock('dune', quantity), emptyState).type).toBe('ItemRestocked');
    expect(decide(purchase('p1', 'dune', quantity), given(restock('dune', limits.quantityMax))).type).toBe('PurchaseSucceeded');
  });
});

describe('evolve', () => {
  const before = given(restock('dune', 5), purchase('p1', 'dune', 2), purchase('p2', 'emma', 1));
  const events: Event[] = [
    { type: 'ItemRestocked', itemId: 'dune', description: 'Dune, reprint', quantity: 3 },
    { type: 'ItemRestocked', itemId: 'emma', description: 'Emma', quantity: 3 },
    { type: 'RestockRejected', itemId: 'dune', quantity: 3, reason: 'STOCK_LIMIT' },
    { type: 'ItemEdited', itemId: 'dune', changes: { unitPrice: 1250, archived: true } },
    { type: 'EditRejected', itemId: 'zola', reason: 'UNKNOWN_ITEM' },
    { type: 'PurchaseSucceeded', purchaseId: 'p3', itemId: 'dune', quantity: 1, purchasedBy: 'bob', remaining: 2, ...noPrice },
    { type: 'PurchaseFailed', purchaseId: 'p4', itemId: 'dune', quantity: 9, purchasedBy: 'bob', remaining: 3, reason: 'OUT_OF_STOCK', ...noPrice },
    {
      type: 'PurchaseRepeated',
      original: { type: 'PurchaseFailed', purchaseId: 'p2', itemId: 'emma', quantity: 1, purchasedBy: 'alice', remaining: 0, reason: 'UNKNOWN_ITEM', ...noPrice },
    },
  ];

  it.each(events.map((event) => [event.type, event] as const))('does not mutate its input state for %s', (_type, event) => {
    const items = new Map(before.items);
    const stock = before.items.get('dune');
    const decisions = new Map(before.decisions);

    evolve(before, event);

    expect(before.items).toEqual(items);
    expect(before.decisions).toEqual(decisions);
    expect(before.items.get('dune')).toBe(stock);
    expect(stock).toMatchObject({ restocked: 5, sold: 2, available: 3 });
  });

  it('throws for a success that does not fit the stock, since decide never produces one', () => {
    const tooMuch: Event = { type: 'PurchaseSucceeded', purchaseId: 'p9', itemId: 'dune', quantity: 4, purchasedBy: 'bob', remaining: 0, ...noPrice };

    expect(() => evolve(before, tooMuch)).toThrow(/does not fit/);
    expect(() => evolve(before, { ...tooMuch, itemId: 'emma', quantity: 1 })).toThrow(/no item emma/);
  });
});

describe('decideBatch', () => {
  const commands: Command[] = [
    restock('dune', 3),
    purchase('p1', 'dune', 2),
    purchase('p2', 'dune', 2, 'bob'),
    restock('dune', 2, 'Dune, reprint'),
    purchase('p2', 'dune', 2, 'bob'),
    purchase('p3', 'emma', 1),
    purchase('p4', 'dune', 3),
  ];

  it('equals deciding and evolving the commands one by one', () => {
    const start = given(restock('dune', 1));
    let state = start;
    const events: Event[] = [];
    for (const command of commands) {
      const event = decide(command, state);
      events.push(event);
      state = evolve(state, event);
    }

    expect(decideBatch(commands, start)).toEqual({ events, state });
  });

  it('does not mutate its input state', () => {
    const start = given(restock('dune', 1));
    const snapshot = { items: new Map(start.items), decisions: new Map(start.decisions), refunds: new Set(start.refunds), holds: new Map(start.holds), restocks: new Set(start.restocks) };

    decideBatch(commands, start);

    expect(start).toEqual(snapshot);
  });

  it('returns no events and an equal state for an empty batch', () => {
    const start = given(restock('dune', 1));

    expect(decideBatch([], start)).toEqual({ events: [], state: start });
  });
});

describe('holds', () => {
  it('places a hold: its units leave available for held', () => {
    const { event, state } = when(given(restock('dune', 5)), hold('h1', 'dune', 2));
    expect(event).toEqual({
      type: 'HoldPlaced',
      hold: { holdId: 'h1', itemId: 'dune', quantity: 2, heldBy: 'bob', expiresAt, unitPrice: null, status: 'HELD', reason: null },
      remaining: 3,
    });
    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 5, available: 3, held: 2, sold: 0 });
  });

  it('fails a hold OUT_OF_STOCK with what is available, and UNKNOWN_ITEM for an item never restocked, changing no stock', () => {
    const start = given(restock('dune', 1));
    const outOfStock = when(start, hold('h1', 'dune', 2));
    expect(outOfStock.event).toMatchObject({ type: 'HoldFailed', hold: { status: 'FAILED', reason: 'OUT_OF_STOCK' }, remaining: 1 });
    expect(itemOf(outOfStock.state, 'dune')).toEqual(itemOf(start, 'dune'));
    const unknown = when(start, hold('h2', 'emma', 1));
    expect(unknown.event).toMatchObject({ type: 'HoldFailed', hold: { status: 'FAILED', reason: 'UNKNOWN_ITEM' }, remaining: 0 });
    expect(itemOf(unknown.state, 'emma')).toBeUndefined();
  });

  it('confirms a hold stamped no later than expiresAt: the units move from held to sold and the purchase holdId succeeds', () => {
    const { event, state } = when(given(restock('dune', 5), hold('h1', 'dune', 2)), confirm('h1', 'dune', expiresAt));
    expect(event).toEqual({
      type: 'HoldConfirmed',
      hold: { holdId: 'h1', itemId: 'dune', quantity: 2, heldBy: 'bob', expiresAt, unitPrice: null, status: 'CONFIRMED', reason: null },
      purchase: { type: 'PurchaseSucceeded', purchaseId: 'h1', itemId: 'dune', quantity: 2, purchasedBy: 'bob', remaining: 3, ...noPrice },
    });
    expect(itemOf(state, 'dune')).toMatchObject({ available: 3, held: 0, sold: 2 });
    expect(state.decisions.get('h1')?.type).toBe('PurchaseSucceeded');
  });

  it('expires a hold whose confirm is stamped after expiresAt: the units return to available', () => {
    const { event, state } = when(given(restock('dune', 5), hold('h1', 'dune', 2)), confirm('h1', 'dune', '2026-11-26T10:10:00.001Z'));
    expect(event).toMatchObject({ type: 'HoldReleased', hold: { status: 'EXPIRED' }, remaining: 5 });
    expect(itemOf(state, 'dune')).toMatchObject({ available: 5, held: 0, sold: 0 });
    expect(state.decisions.has('h1')).toBe(false);
  });

  it('cancels a held hold, and expires one by its ExpireHold, the units back each time', () => {
    const cancelled = when(given(restock('dune', 5), hold('h1', 'dune', 2)), cancel('h1', 'dune'));
    expect(cancelled.event).toMatchObject({ type: 'HoldReleased', hold: { status: 'CANCELLED' }, remaining: 5 });
    const expired = when(given(restock('dune', 5), hold('h1', 'dune', 2)), expire('h1', 'dune'));
    expect(expired.event).toMatchObject({ type: 'HoldReleased', hold: { status: 'EXPIRED' }, remaining: 5 });
    expect(itemOf(expired.state, 'dune')).toMatchObject({ available: 5, held: 0 });
  });

  it.each([
    ['confirmed', confirm('h1', 'dune'), 'CONFIRMED'],
    ['cancelled', cancel('h1', 'dune'), 'CANCELLED'],
    ['expired', expire('h1', 'dune'), 'EXPIRED'],
  ])('changes nothing for a confirm, cancel, expiry or repeated hold on a %s hold, and names its state', (_name, final, status) => {
    const start = given(restock('dune', 5), hold('h1', 'dune', 2), final);
    for (const command of [confirm('h1', 'dune'), cancel('h1', 'dune'), expire('h1', 'dune'), hold('h1', 'dune', 1)]) {
      const { event, state } = when(start, command);
      expect(event).toMatchObject({ type: 'HoldUnchanged', holdId: 'h1', itemId: 'dune', current: { status } });
      expect(state).toEqual(start);
    }
  });

  it('changes nothing for a step on a hold never placed, and names no state', () => {
    const start = given(restock('dune', 5));
    const { event, state } = when(start, confirm('nobody', 'dune'));
    expect(event).toEqual({ type: 'HoldUnchanged', holdId: 'nobody', itemId: 'dune', current: undefined });
    expect(state).toEqual(start);
  });
});

describe('a step keyed to another item', () => {
  it('changes nothing for a confirm, cancel, expiry or refund naming another item than its hold or purchase', () => {
    // Such a record sits on the other item's partition: deciding it there would make a second writer of dune.
    const start = given(restock('dune', 5), restock('emma', 5), hold('h1', 'dune', 2), purchase('p1', 'dune', 1));
    for (const command of [confirm('h1', 'emma'), cancel('h1', 'emma'), expire('h1', 'emma')]) {
      expect(when(start, command)).toEqual({ event: { type: 'HoldUnchanged', holdId: 'h1', itemId: 'emma', current: undefined }, state: start });
    }
    expect(when(start, refund('p1', 'emma'))).toEqual({ event: { type: 'RefundUnchanged', purchaseId: 'p1', itemId: 'emma', reason: 'UNKNOWN_PURCHASE' }, state: start });
  });
});

describe('one namespace of hold and purchase ids', () => {
  it('refuses a purchase with a hold id, and a hold with a purchase id, changing nothing', () => {
    const start = given(restock('dune', 5), hold('h1', 'dune', 1), purchase('p1', 'dune', 1));
    const purchaseTaken = when(start, purchase('h1', 'dune', 1));
    expect(purchaseTaken.event).toEqual({ type: 'IdTaken', id: 'h1', itemId: 'dune', command: 'PurchaseItem' });
    expect(purchaseTaken.state).toEqual(start);
    const holdTaken = when(start, hold('p1', 'dune', 1));
    expect(holdTaken.event).toEqual({ type: 'IdTaken', id: 'p1', itemId: 'dune', command: 'PlaceHold' });
    expect(holdTaken.state).toEqual(start);
  });
});

describe('refunds', () => {
  it('refunds a succeeded purchase once: its units return to available and count as refunded', () => {
    const { event, state } = when(given(restock('dune', 5), purchase('p1', 'dune', 2)), refund('p1', 'dune'));
    expect(event).toMatchObject({ type: 'PurchaseRefunded', purchase: { purchaseId: 'p1', quantity: 2 }, remaining: 5 });
    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 5, available: 5, sold: 2, refunded: 2, held: 0 });
    expect(state.refunds.has('p1')).toBe(true);
  });

  it('refunds a confirmed hold like any purchase', () => {
    const { event } = when(given(restock('dune', 5), hold('h1', 'dune', 1), confirm('h1', 'dune')), refund('h1', 'dune'));
    expect(event).toMatchObject({ type: 'PurchaseRefunded', purchase: { purchaseId: 'h1' } });
  });

  it('changes nothing for a second refund of the same purchase', () => {
    const start = given(restock('dune', 5), purchase('p1', 'dune', 2), refund('p1', 'dune'));
    const { event, state } = when(start, refund('p1', 'dune'));
    expect(event).toEqual({ type: 'RefundUnchanged', purchaseId: 'p1', itemId: 'dune', reason: 'ALREADY_REFUNDED' });
    expect(state).toEqual(start);
  });

  it('changes nothing for a refund of a failed purchase, or of one never decided', () => {
    const start = given(restock('dune', 1), purchase('p1', 'dune', 2), hold('h1', 'dune', 1));
    expect(when(start, refund('p1', 'dune'))).toEqual({ event: { type: 'RefundUnchanged', purchaseId: 'p1', itemId: 'dune', reason: 'NOT_SUCCEEDED' }, state: start });
    // A hold not confirmed is no purchase.
    expect(when(start, refund('h1', 'dune')).event).toMatchObject({ reason: 'UNKNOWN_PURCHASE' });
    expect(when(start, refund('nobody', 'dune')).event).toMatchObject({ reason: 'UNKNOWN_PURCHASE' });
  });
});

describe('prices', () => {
  it('sets the price with a restock that names one, and keeps it with a restock that does not', () => {
    const priced = when(emptyState, pricedRestock('dune', 3, 1250));
    expect(priced.event).toEqual({ type: 'ItemRestocked', itemId: 'dune', description: 'Dune, first edition', quantity: 3, unitPrice: 1250 });
    expect(itemOf(priced.state, 'dune')).toMatchObject({ unitPrice: 1250, restocked: 3 });

    const unpriced = when(priced.state, restock('dune', 2));
    expect(unpriced.event).not.toHaveProperty('unitPrice');
    expect(itemOf(unpriced.state, 'dune')).toMatchObject({ unitPrice: 1250, restocked: 5 });

    const repriced = when(unpriced.state, pricedRestock('dune', 1, 0));
    expect(itemOf(repriced.state, 'dune')).toMatchObject({ unitPrice: 0, restocked: 6 });
  });

  it('records the unit price and total of a purchase at that moment; a later price edit leaves the stored decision alone', () => {
    const first = when(given(pricedRestock('dune', 5, 1250)), purchase('p1', 'dune', 2));
    expect(first.event).toMatchObject({ type: 'PurchaseSucceeded', unitPrice: 1250, total: 2500 });

    const edited = when(first.state, edit('dune', { unitPrice: 900 }));
    expect(edited.state.decisions.get('p1')).toMatchObject({ unitPrice: 1250, total: 2500 });
    expect(when(edited.state, purchase('p2', 'dune', 3)).event).toMatchObject({ type: 'PurchaseSucceeded', unitPrice: 900, total: 2700 });
    // A retry of the first purchase repeats its own price.
    expect(when(edited.state, purchase('p1', 'dune', 2)).event).toMatchObject({ type: 'PurchaseRepeated', original: { unitPrice: 1250, total: 2500 } });
  });

  it('records no price and no total for an item without a price, which can still be bought', () => {
    const { event } = when(given(restock('dune', 5)), purchase('p1', 'dune', 2));
    expect(event).toMatchObject({ type: 'PurchaseSucceeded', ...noPrice });
  });

  it('records the price but charges nothing for a failed purchase', () => {
    const { event } = when(given(pricedRestock('dune', 1, 1250)), purchase('p1', 'dune', 2));
    expect(event).toMatchObject({ type: 'PurchaseFailed', reason: 'OUT_OF_STOCK', unitPrice: 1250, total: null });
  });

  it("fixes a hold's price when it is placed, and its confirm charges that price even after a price change", () => {
    const placed = when(given(pricedRestock('dune', 5, 1250)), hold('h1', 'dune', 2));
    expect(placed.event).toMatchObject({ type: 'HoldPlaced', hold: { unitPrice: 1250 } });

    const repriced = when(placed.state, edit('dune', { unitPrice: 2000 }));
    expect(repriced.state.holds.get('h1')?.unitPrice).toBe(1250);
    const confirmed = when(repriced.state, confirm('h1', 'dune'));
    expect(confirmed.event).toMatchObject({ type: 'HoldConfirmed', purchase: { purchaseId: 'h1', unitPrice: 1250, total: 2500 } });
    expect(confirmed.state.decisions.get('h1')).toMatchObject({ unitPrice: 1250, total: 2500 });
  });
});

describe('edits', () => {
  const start = given(pricedRestock('dune', 5, 1250));

  it.each<[string, ItemChanges, Partial<ItemStock>]>([
    ['the title', { description: 'Dune (1965)' }, { description: 'Dune (1965)' }],
    ['the price', { unitPrice: 990 }, { unitPrice: 990 }],
    ['the low-stock threshold', { lowStockThreshold: 2 }, { lowStockThreshold: 2 }],
    ['archived', { archived: true }, { archived: true }],
    ['several fields at once', { description: 'Dune', unitPrice: 0, archived: true }, { description: 'Dune', unitPrice: 0, archived: true }],
  ])('changes %s and nothing else', (_field, changes, changed) => {
    const { event, state } = when(start, edit('dune', changes));

    expect(event).toEqual({ type: 'ItemEdited', itemId: 'dune', changes });
    expect(itemOf(state, 'dune')).toEqual({ ...itemOf(start, 'dune'), ...changed });
  });

  it('clears the low-stock threshold with null, and keeps it when the field is absent', () => {
    const withThreshold = given(pricedRestock('dune', 5, 1250), edit('dune', { lowStockThreshold: 3 }));
    expect(itemOf(when(withThreshold, edit('dune', { unitPrice: 1 })).state, 'dune')?.lowStockThreshold).toBe(3);
    expect(itemOf(when(withThreshold, edit('dune', { lowStockThreshold: null })).state, 'dune')?.lowStockThreshold).toBeNull();
  });

  it('changes no stock', () => {
    const before = given(pricedRestock('dune', 5, 1250), purchase('p1', 'dune', 1), hold('h1', 'dune', 1));
    const { state } = when(before, edit('dune', { unitPrice: 1, archived: true, description: 'Dune' }));
    expect(itemOf(state, 'dune')).toMatchObject({ restocked: 5, sold: 1, held: 1, available: 3, refunded: 0 });
  });

  it('rejects an edit of an item never restocked UNKNOWN_ITEM, creating no item', () => {
    const { event, state } = when(start, edit('emma', { unitPrice: 100 }));
    expect(event).toEqual({ type: 'EditRejected', itemId: 'emma', reason: 'UNKNOWN_ITEM' });
    expect(state.items.has('emma')).toBe(false);
  });

  it('is decided in order within a batch: an edit after the first restock of an item applies', () => {
    const { events, state } = decideBatch([edit('emma', { unitPrice: 5 }), restock('emma', 1), edit('emma', { unitPrice: 7 })], emptyState);
    expect(events.map((event) => event.type)).toEqual(['EditRejected', 'ItemRestocked', 'ItemEdited']);
    expect(itemOf(state, 'emma')?.unitPrice).toBe(7);
  });
});

describe('archived items', () => {
  const archived = given(pricedRestock('dune', 5, 1250), edit('dune', { archived: true }));

  it('fails a purchase ITEM_ARCHIVED with what is available, selling nothing and charging nothing', () => {
    const { event, state } = when(archived, purchase('p1', 'dune', 1));
    expect(event).toEqual({
      type: 'PurchaseFailed',
      purchaseId: 'p1',
      itemId: 'dune',
      quantity: 1,
      purchasedBy: 'alice',
      remaining: 5,
      reason: 'ITEM_ARCHIVED',
      unitPrice: 1250,
      total: null,
    });
    expect(itemOf(state, 'dune')).toEqual(itemOf(archived, 'dune'));
  });

  it('fails a hold ITEM_ARCHIVED, holding nothing', () => {
    const { event, state } = when(archived, hold('h1', 'dune', 1));
    expect(event).toMatchObject({ type: 'HoldFailed', hold: { status: 'FAILED', reason: 'ITEM_ARCHIVED' }, remaining: 5 });
    expect(itemOf(state, 'dune')).toEqual(itemOf(archived, 'dune'));
  });

  it('still confirms a hold placed before the archive: the buyer keeps what was set aside', () => {
    const { event } = when(given(pricedRestock('dune', 5, 1250), hold('h1', 'dune', 1), edit('dune', { archived: true })), confirm('h1', 'dune'));
    expect(event).toMatchObject({ type: 'HoldConfirmed', purchase: { unitPrice: 1250, total: 1250 } });
  });

  it('sells again once unarchived', () => {
    const { event } = when(when(archived, edit('dune', { archived: false })).state, purchase('p1', 'dune', 1));
    expect(event).toMatchObject({ type: 'PurchaseSucceeded', unitPrice: 1250, total: 1250, remaining: 4 });
  });
});
