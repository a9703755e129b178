// Goal: over random interleavings of restocks, purchases, holds (confirm, cancel, expire), refunds, retries and seller's edits (prices, archive), every item's stock equation holds, each hold ends once, each refund happens once, duplicates change nothing, every sale charges the price of its moment, and nothing archived is sold or held.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { limits } from '../limits';
import { readSeed } from '../testing/seeded-random';
import {
  decide,
  decideBatch,
  emptyState,
  evolve,
  newItem,
  stockBalances,
  type Command,
  type Event,
  type ItemChanges,
  type PlaceHold,
  type PurchaseDecided,
  type PurchaseItem,
  type RestockItem,
  type State,
} from './purchase';

const numRuns = 500;
// fast-check's seed for every property of this file; a failure is replayed with the same seed.
const seedVariable = 'DOMAIN_PROPERTY_SEED';
const seed = readSeed(process.env, seedVariable);
console.log(`domain properties: ${seedVariable}=${seed}; replay with ${seedVariable}=${seed} npx vitest run server/domain/purchase.property.test.ts`);
// The API's clock, as the commands carry it: a hold expires ttlSeconds after this.
const requestedAtMs = Date.parse('2026-11-26T10:00:00.000Z');

type Scenario = { start: State; commands: Command[] };
type Step = { command: Command; before: State; event: Event; after: State };

type Template =
  // restock: the restockId's index, or null for a restock without one.
  | { kind: 'restock'; restock: number | null; item: number; quantity: number; description: string; unitPrice: number | null }
  // A seller's edit: each field present is set (lowStockThreshold null clears it).
  | { kind: 'edit'; item: number; changes: ItemChanges }
  | { kind: 'purchase'; purchase: number; item: number; quantity: number; buyer: string }
  // A client retry: an earlier purchase submitted again, unchanged.
  | { kind: 'retry'; earlier: number }
  // A seller's retry: an earlier restock with a restockId submitted again, unchanged.
  | { kind: 'restockRetry'; earlier: number }
  // Holds share the purchases' pool of ids, so a hold and a purchase sometimes want the same id.
  | { kind: 'hold'; id: number; item: number; quantity: number; buyer: string; ttlSeconds: number }
  // A step on an earlier hold (or, for the index past the holds, on an id never held); a confirm is stamped
  // before or after the hold's expiresAt.
  | { kind: 'confirm'; earlier: number; late: boolean }
  | { kind: 'cancel'; earlier: number }
  | { kind: 'expire'; earlier: number }
  | { kind: 'refund'; id: number };

// Mostly small quantities so that stock runs out often; now and then anything up to the limit.
const quantity = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: limits.quantityMax }) },
);

// Free items (0) and limits.unitPriceMax now and then: a total must still be exact.
const unitPrice = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5_000 }) }, { weight: 1, arbitrary: fc.constant(limits.unitPriceMax) });

// Item and purchase indexes are reduced modulo small pools later, so collisions and reused ids are common.
const template: fc.Arbitrary<Template> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('restock' as const),
      restock: fc.option(fc.nat(), { freq: 3 }),
      item: fc.nat(),
      quantity,
      description: fc.constantFrom('first edition', 'second edition'),
      unitPrice: fc.option(unitPrice, { freq: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      item: fc.nat(),
      changes: fc.record(
        {
          description: fc.constantFrom('first edition', 'signed'),
          unitPrice,
          lowStockThreshold: fc.option(fc.integer({ min: 0, max: 10 })),
          // Archiving is rarer than unarchiving, so that most items stay on sale most of the time.
          archived: fc.constantFrom(true, false, false, false),
        },
        { requiredKeys: [] },
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('purchase' as const),
      purchase: fc.nat(),
      item: fc.nat(),
      quantity,
      buyer: fc.constantFrom('alice', 'bob', 'carol'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), earlier: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restockRetry' as const), earlier: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      id: fc.nat(),
      item: fc.nat(),
      quantity,
      buyer: fc.constantFrom('alice', 'bob', 'carol'),
      ttlSeconds: fc.integer({ min: limits.holdTtlSecondsMin, max: limits.holdTtlSecondsMax }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirm' as const), earlier: fc.nat(), late: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), earlier: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), earlier: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), id: fc.nat() }) },
);

// One run in five starts with an item already close to limits.stockMax, so that restocks get rejected; the
// state is written out because no short sequence of quantityMax-sized restocks gets there.
const start: fc.Arbitrary<State> = fc.option(fc.integer({ min: limits.stockMax - 40, max: limits.stockMax }), { freq: 4 }).map(
  (restocked) =>
    restocked === null
      ? emptyState
      : {
          items: new Map([['item-0', { ...newItem('item-0', 'seeded'), restocked, available: restocked }]]),
          decisions: new Map(),
          refunds: new Set(),
          holds: new Map(),
          restocks: new Set(),
        },
);

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    start,
    itemCount: fc.integer({ min: 1, max: 4 }),
    purchaseIdCount: fc.integer({ min: 1, max: 30 }),
    restockIdCount: fc.integer({ min: 1, max: 10 }),
    templates: fc.array(template, { maxLength: 60, size: 'max' }),
  })
  .map(({ start, itemCount, purchaseIdCount, restockIdCount, templates }) => ({
    start,
    commands: toCommands(templates, itemCount, purchaseIdCount, restockIdCount),
  }));

function toCommands(templates: readonly Template[], itemCount: number, purchaseIdCount: number, restockIdCount: number): Command[] {
  const commands: Command[] = [];
  const purchases: PurchaseItem[] = [];
  const keyedRestocks: RestockItem[] = [];
  const holds: PlaceHold[] = [];
  // An earlier hold, or (one index in holds.length + 1) an id that was never held.
  const holdOf = (earlier: number) => holds[earlier % (holds.length + 1)] ?? { holdId: `id-${purchaseIdCount}`, itemId: 'item-0', expiresAt: new Date(requestedAtMs).toISOString() };
  for (const step of templates) {
    const itemId = (index: number) => `item-${index % itemCount}`;
    switch (step.kind) {
      case 'restock': {
        // A reused restockId may come with another item or quantity: the domain must still change nothing.
        const price = step.unitPrice === null ? {} : { unitPrice: step.unitPrice };
        const command: RestockItem = { type: 'RestockItem', itemId: itemId(step.item), description: step.description, quantity: step.quantity, ...price };
        if (step.restock === null) commands.push(command);
        else {
          const keyed = { ...command, restockId: `restock-${step.restock % restockIdCount}` };
          commands.push(keyed);
          keyedRestocks.push(keyed);
        }
        break;
      }
      case 'purchase': {
        // A reused purchaseId may come with another item or quantity: the domain must still repeat the original.
        const command: PurchaseItem = {
          type: 'PurchaseItem',
          purchaseId: `id-${step.purchase % purchaseIdCount}`,
          itemId: itemId(step.item),
          quantity: step.quantity,
          purchasedBy: step.buyer,
        };
        commands.push(command);
        purchases.push(command);
        break;
      }
      case 'edit':
        commands.push({ type: 'EditItem', itemId: itemId(step.item), changes: step.changes });
        break;
      case 'retry': {
        const earlier = purchases[step.earlier % Math.max(purchases.length, 1)];
        if (earlier) commands.push({ ...earlier });
        break;
      }
      case 'restockRetry': {
        const earlier = keyedRestocks[step.earlier % Math.max(keyedRestocks.length, 1)];
        if (earlier) commands.push({ ...earlier });
        break;
      }
      case 'hold': {
        const command: PlaceHold = {
          type: 'PlaceHold',
          holdId: `id-${step.id % purchaseIdCount}`,
          itemId: itemId(step.item),
          quantity: step.quantity,
          heldBy: step.buyer,
          expiresAt: new Date(requestedAtMs + step.ttlSeconds * 1_000).toISOString(),
        };
        commands.push(command);
        holds.push(command);
        break;
      }
      case 'confirm': {
        const { holdId, itemId: heldItemId, expiresAt } = holdOf(step.earlier);
        const confirmedAt = new Date(Date.parse(expiresAt) + (step.late ? 1 : 0)).toISOString();
        commands.push({ type: 'ConfirmHold', holdId, itemId: heldItemId, confirmedAt });
        break;
      }
      case 'cancel':
      case 'expire': {
        const { holdId, itemId: heldItemId } = holdOf(step.earlier);
        commands.push({ type: step.kind === 'cancel' ? 'CancelHold' : 'ExpireHold', holdId, itemId: heldItemId });
        break;
      }
      case 'refund':
      {
        // The API names the item its intake recorded for the id (a purchase's, or a confirmed hold's); an id
        // never requested gets item-0.
        const purchaseId = `id-${step.id % purchaseIdCount}`;
        const requested = purchases.find((earlier) => earlier.purchaseId === purchaseId) ?? holds.find((earlier) => earlier.holdId === purchaseId);
        commands.push({ type: 'RefundPurchase', purchaseId, itemId: requested?.itemId ?? 'item-0' });
        break;
      }
      default: {
        const unreachable: never = step;
        throw new Error(`unknown template ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return commands;
}

function run({ start, commands }: Scenario): Step[] {
  const steps: Step[] = [];
  let state = start;
  for (const command of commands) {
    const event = decide(command, state);
    const after = evolve(state, event);
    steps.push({ command, before: state, event, after });
    state = after;
  }
  return steps;
}

function finalState(scenario: Scenario, steps: readonly Step[]): State {
  return steps.at(-1)?.after ?? scenario.start;
}

function isDecision(event: Event): event is PurchaseDecided {
  return event.type === 'PurchaseSucceeded' || event.type === 'PurchaseFailed';
}

function property(predicate: (scenario: Scenario, steps: Step[]) => void): void {
  fc.assert(
    fc.property(scenario, (generated) => predicate(generated, run(generated))),
    { numRuns, seed },
  );
}

describe('purchase domain over random interleavings', () => {
  it('keeps available + held + sold − refunded = restocked, every term ≥ 0, for every item after every step', () => {
    property((_scenario, steps) => {
      for (const { after } of steps) {
        for (const item of after.items.values()) {
          expect(stockBalances(item), JSON.stringify(item)).toBe(true);
          expect(item.restocked).toBeLessThanOrEqual(limits.stockMax);
        }
      }
    });
  });

  it("never changes a hold's status once final, and makes each hold final at most once", () => {
    property((_scenario, steps) => {
      const finals = new Map<string, number>();
      for (const { before, event, after } of steps) {
        for (const [holdId, hold] of before.holds) {
          if (hold.status !== 'HELD') expect(after.holds.get(holdId)).toEqual(hold);
        }
        if (event.type === 'HoldConfirmed' || event.type === 'HoldReleased' || event.type === 'HoldFailed') {
          const holdId = event.hold.holdId;
          finals.set(holdId, (finals.get(holdId) ?? 0) + 1);
          expect(finals.get(holdId), holdId).toBe(1);
        }
      }
    });
  });

  it('refunds a purchase at most once, and only a succeeded one, giving all its units back', () => {
    property((_scenario, steps) => {
      const refunded = new Set<string>();
      for (const { before, event, after } of steps) {
        if (event.type !== 'PurchaseRefunded') continue;
        const { purchaseId, itemId, quantity } = event.purchase;
        expect(refunded.has(purchaseId)).toBe(false);
        refunded.add(purchaseId);
        expect(before.decisions.get(purchaseId)?.type).toBe('PurchaseSucceeded');
        expect(after.items.get(itemId)?.available).toBe((before.items.get(itemId)?.available ?? 0) + quantity);
      }
    });
  });

  it('changes nothing when any command (but a restock without a restockId) is decided again right after itself', () => {
    property((_scenario, steps) => {
      for (const { command, after } of steps) {
        if (command.type === 'RestockItem' && command.restockId === undefined) continue;
        expect(evolve(after, decide(command, after))).toEqual(after);
      }
    });
  });

  it('counts as sold exactly the quantities of the distinct successes, and as restocked exactly the accepted restocks', () => {
    property((scenario, steps) => {
      const soldExpected = new Map<string, number>();
      const restockedExpected = new Map<string, number>();
      for (const item of scenario.start.items.values()) restockedExpected.set(item.itemId, item.restocked);
      const succeeded = new Set<string>();
      for (const { event } of steps) {
        const sale = event.type === 'PurchaseSucceeded' ? event : event.type === 'HoldConfirmed' ? event.purchase : undefined;
        if (sale) {
          expect(succeeded.has(sale.purchaseId)).toBe(false);
          succeeded.add(sale.purchaseId);
          soldExpected.set(sale.itemId, (soldExpected.get(sale.itemId) ?? 0) + sale.quantity);
        }
        if (event.type === 'ItemRestocked') {
          restockedExpected.set(event.itemId, (restockedExpected.get(event.itemId) ?? 0) + event.quantity);
        }
      }
      const final = finalState(scenario, steps);
      expect([...final.items.keys()].sort()).toEqual([...restockedExpected.keys()].sort());
      for (const item of final.items.values()) {
        expect(item.sold).toBe(soldExpected.get(item.itemId) ?? 0);
        expect(item.restocked).toBe(restockedExpected.get(item.itemId));
      }
    });
  });

  it('decides each purchase by the item at that moment: unknown, archived, out of stock, or sold', () => {
    property((_scenario, steps) => {
      for (const { command, before, event } of steps) {
        if (command.type !== 'PurchaseItem' || before.decisions.has(command.purchaseId)) continue;
        if (before.holds.has(command.purchaseId)) {
          expect(event).toEqual({ type: 'IdTaken', id: command.purchaseId, itemId: command.itemId, command: 'PurchaseItem' });
          continue;
        }
        const item = before.items.get(command.itemId);
        const expectedType = !item ? 'UNKNOWN_ITEM' : item.archived ? 'ITEM_ARCHIVED' : item.available < command.quantity ? 'OUT_OF_STOCK' : 'SUCCEEDED';
        const actualType = event.type === 'PurchaseFailed' ? event.reason : event.type === 'PurchaseSucceeded' ? 'SUCCEEDED' : event.type;
        expect(actualType).toBe(expectedType);
        expect(event).toMatchObject({
          purchaseId: command.purchaseId,
          itemId: command.itemId,
          quantity: command.quantity,
          purchasedBy: command.purchasedBy,
        });
      }
    });
  });

  it('gives a decision the remaining stock right after a success, or at that moment after a failure', () => {
    property((_scenario, steps) => {
      for (const { before, event, after } of steps) {
        if (event.type === 'PurchaseSucceeded') {
          expect(event.remaining).toBe(after.items.get(event.itemId)?.available);
        } else if (event.type === 'PurchaseFailed' && event.reason !== 'UNKNOWN_ITEM') {
          expect(event.remaining).toBe(before.items.get(event.itemId)?.available);
        } else if (event.type === 'PurchaseFailed') {
          expect(event.remaining).toBe(0);
        }
      }
    });
  });

  it('repeats the original decision for a purchaseId seen before, and changes nothing', () => {
    property((_scenario, steps) => {
      const firstDecision = new Map<string, PurchaseDecided>();
      for (const { command, before, event, after } of steps) {
        if (event.type === 'HoldConfirmed') firstDecision.set(event.purchase.purchaseId, event.purchase);
        if (command.type !== 'PurchaseItem') continue;
        const original = firstDecision.get(command.purchaseId);
        if (original) {
          expect(event).toEqual({ type: 'PurchaseRepeated', original });
          expect(after).toEqual(before);
        } else if (before.holds.has(command.purchaseId)) {
          expect(event.type).toBe('IdTaken');
          expect(after).toEqual(before);
        } else {
          expect(isDecision(event)).toBe(true);
          if (isDecision(event)) firstDecision.set(command.purchaseId, event);
        }
      }
    });
  });

  it('changes nothing for a duplicate restockId: the first restock with it is the only one decided', () => {
    property((scenario, steps) => {
      const decided = new Set(scenario.start.restocks);
      for (const { command, before, event, after } of steps) {
        if (command.type !== 'RestockItem' || command.restockId === undefined) continue;
        if (decided.has(command.restockId)) {
          expect(event).toEqual({ type: 'RestockRepeated', restockId: command.restockId, itemId: command.itemId });
          expect(after).toEqual(before);
        } else {
          expect(['ItemRestocked', 'RestockRejected']).toContain(event.type);
          expect(event).toMatchObject({ restockId: command.restockId });
          decided.add(command.restockId);
        }
      }
      expect(finalState(scenario, steps).restocks).toEqual(decided);
    });
  });

  it('keeps exactly one decision per purchaseId (a confirmed hold being one), however often it was submitted', () => {
    property((scenario, steps) => {
      const submitted = new Set<string>();
      const decisionCount = new Map<string, number>();
      for (const { command, before, event } of steps) {
        if (command.type === 'PurchaseItem' && !(before.holds.has(command.purchaseId) && !before.decisions.has(command.purchaseId))) submitted.add(command.purchaseId);
        const decision = isDecision(event) ? event : event.type === 'HoldConfirmed' ? event.purchase : undefined;
        if (decision) {
          submitted.add(decision.purchaseId);
          decisionCount.set(decision.purchaseId, (decisionCount.get(decision.purchaseId) ?? 0) + 1);
        }
      }
      const final = finalState(scenario, steps);
      expect([...final.decisions.keys()].sort()).toEqual([...submitted].sort());
      for (const purchaseId of submitted) expect(decisionCount.get(purchaseId)).toBe(1);
      for (const [purchaseId, decision] of final.decisions) expect(decision.purchaseId).toBe(purchaseId);
    });
  });

  it('replays deterministically, and decideBatch equals the one-by-one fold', () => {
    property((scenario, steps) => {
      const replayed = run(scenario);
      const events = steps.map((step) => step.event);
      const final = finalState(scenario, steps);
      expect(replayed.map((step) => step.event)).toEqual(events);
      expect(finalState(scenario, replayed)).toEqual(final);
      expect(decideBatch(scenario.commands, scenario.start)).toEqual({ events, state: final });
    });
  });

  it("charges every sale the item's price at its decision (a confirmed hold: the price fixed when it was placed), and a failure nothing", () => {
    property((_scenario, steps) => {
      for (const { before, event } of steps) {
        if (event.type === 'PurchaseSucceeded' || event.type === 'PurchaseFailed') {
          const unitPrice = before.items.get(event.itemId)?.unitPrice ?? null;
          expect(event.unitPrice).toBe(unitPrice);
          expect(event.total).toBe(event.type === 'PurchaseFailed' || unitPrice === null ? null : unitPrice * event.quantity);
        }
        if (event.type === 'HoldPlaced' || event.type === 'HoldFailed') expect(event.hold.unitPrice).toBe(before.items.get(event.hold.itemId)?.unitPrice ?? null);
        if (event.type === 'HoldConfirmed') {
          const unitPrice = before.holds.get(event.hold.holdId)?.unitPrice ?? null;
          expect(event.purchase.unitPrice).toBe(unitPrice);
          expect(event.purchase.total).toBe(unitPrice === null ? null : unitPrice * event.purchase.quantity);
        }
      }
    });
  });

  it('never sells or holds an archived item, and no edit changes stock or a decision made before it', () => {
    property((_scenario, steps) => {
      for (const { before, event, after } of steps) {
        if (event.type === 'PurchaseSucceeded') expect(before.items.get(event.itemId)?.archived).toBe(false);
        if (event.type === 'HoldPlaced') expect(before.items.get(event.hold.itemId)?.archived).toBe(false);
        if (event.type !== 'ItemEdited' && event.type !== 'EditRejected') continue;
        expect(after.decisions).toEqual(before.decisions);
        expect(after.holds).toEqual(before.holds);
        for (const [itemId, item] of after.items) {
          const { restocked, sold, available, held, refunded } = item;
          expect(before.items.get(itemId)).toMatchObject({ restocked, sold, available, held, refunded });
        }
      }
    });
  });

  // Guards the properties above against a generator that quietly stops producing the interesting cases.
  it('generates every outcome often enough to matter', () => {
    const counts = new Map<string, number>();
    for (const generated of fc.sample(scenario, { numRuns: 200, seed: 42 })) {
      for (const { event } of run(generated)) {
        const outcome =
          event.type === 'PurchaseFailed' ? event.reason : event.type === 'HoldReleased' ? `HoldReleased ${event.hold.status}` : event.type === 'RefundUnchanged' ? event.reason : event.type;
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      }
    }
    const outcomes = ['ItemRestocked', 'RestockRejected', 'PurchaseSucceeded', 'OUT_OF_STOCK', 'UNKNOWN_ITEM', 'ITEM_ARCHIVED', 'PurchaseRepeated', 'RestockRepeated'];
    const editOutcomes = ['ItemEdited', 'EditRejected'];
    const holdOutcomes = ['HoldPlaced', 'HoldFailed', 'HoldConfirmed', 'HoldReleased CANCELLED', 'HoldReleased EXPIRED', 'HoldUnchanged', 'IdTaken'];
    const refundOutcomes = ['PurchaseRefunded', 'ALREADY_REFUNDED', 'NOT_SUCCEEDED', 'UNKNOWN_PURCHASE'];
    for (const outcome of [...outcomes, ...editOutcomes, ...holdOutcomes, ...refundOutcomes]) {
      expect(counts.get(outcome) ?? 0, outcome).toBeGreaterThanOrEqual(20);
    }
  });
});
