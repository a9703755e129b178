// Goal: however a history's records fall into read cycles, the incremental ledger reports exactly what the one-shot audit does; and
// histories of restocks, seller's edits (prices, archive), purchases, holds and refunds decided by the domain and published as the
// worker publishes them audit clean, while tampered ones (two final states, a refund without a sale, a double refund, an oversell,
// a total that is not unitPrice × quantity, a failure that charges) are caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdFinishedMessage, purchaseFinishedMessage, toFinishedResult, type ItemsAddedMessage, type PurchaseFinishedMessage } from '../contract';
import { decide, describeDecision, emptyState, evolve, type Command, type Event, type Hold, type PurchaseDecided, type State } from '../domain/purchase';
import { finishedMessage as storedFinishedMessage, holdMessage, storedHoldAfter, type StoredHold, type StoredPurchase } from '../purchases/stored-purchase';
import {
  absorbRecords,
  audit,
  emptyAuditLedger,
  reportAudit,
  type AuditInput,
  type AuditRecords,
  type AuditReport,
  type AuditReportInput,
  type DatabaseSnapshot,
  type TopicRecord,
} from './audit';

const numRuns = 300;
// Printed so that a failure can be replayed: AUDIT_PROPERTY_SEED=<seed> npx vitest run <this file>.
const seed = Number(process.env.AUDIT_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`audit-ledger property seed: ${seed}`);
const partitionCount = 2;
// The audit read both input topics up to this offset on every partition; the worker's positions fall below or on it.
const inputEnd = 10;
const createdAt = '2026-11-26T10:00:00.000Z';

// How the publisher may garble a first copy. Each flaw breaks a check that does not depend on the restocks:
// the restock-dependent checks are stricter in the incremental form (audit.ts, absorbRecords), so only
// honest results are judged alike by both forms there, and given/when/then tests cover the difference.
type Flaw = 'none' | 'misrouted' | 'negativeRemaining' | 'outOfStockCovered' | 'unknownItemRemaining';
// How the relay may re-send an earlier result: verbatim, re-stamped (a note), or with another decision (a violation).
type Resend = 'verbatim' | 'restamped' | 'conflicting';

type Template =
  | { kind: 'restock'; item: number; quantity: number; misrouted: boolean }
  | { kind: 'purchase'; purchase: number; item: number; quantity: number; buyer: string; flaw: Flaw }
  | { kind: 'resend'; earlier: number; resend: Resend };

type Entry =
  | { topic: 'itemsAdded'; record: TopicRecord<ItemsAddedMessage> }
  | { topic: 'purchaseFinished'; record: TopicRecord<PurchaseFinishedMessage> };

// What the topics hold after the templates, and the worker's state after each step (the first is the empty one).
type History = { entries: Entry[]; states: State[] };

// Small quantities against a few items, so stock runs out often.
const quantity = fc.integer({ min: 1, max: 8 });
const rarely = fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const template: fc.Arbitrary<Template> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restock' as const), item: fc.nat(), quantity, misrouted: rarely }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('purchase' as const),
      purchase: fc.nat(),
      item: fc.nat(),
      quantity,
      buyer: fc.constantFrom('alice', 'bob'),
      flaw: fc.oneof(
        { weight: 6, arbitrary: fc.constant('none' as const) },
        { weight: 1, arbitrary: fc.constantFrom('misrouted' as const, 'negativeRemaining' as const, 'outOfStockCovered' as const, 'unknownItemRemaining' as const) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), earlier: fc.nat(), resend: fc.constantFrom('verbatim' as const, 'restamped' as const, 'conflicting' as const) }) },
);

const positionPerPartition = fc.array(fc.nat(inputEnd), { minLength: partitionCount, maxLength: partitionCount });

const scenario = fc.record({
  templates: fc.array(template, { maxLength: 40, size: 'max' }),
  itemCount: fc.integer({ min: 1, max: 3 }),
  purchaseIdCount: fc.integer({ min: 1, max: 20 }),
  // Where the reader's cycles end, as indexes into the records (reduced modulo their count, so empty cycles occur).
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
  malformed: fc.array(fc.record({ itemsAdded: fc.nat(2), purchaseFinished: fc.nat(2) }), { maxLength: 7 }),
  // The database is the worker's state after this many steps (reduced modulo their count), so it may lag.
  snapshotStep: fc.nat(),
  workerPositions: fc.record({ itemsAdded: positionPerPartition, purchaseCreated: positionPerPartition }),
  outboxUnsent: fc.boolean(),
  ghostItemRow: fc.boolean(),
  truncatedTopics: fc.subarray(['bps-items-added', 'bps-purchase-finished']),
  itemIds: fc.option(fc.subarray(['item-0', 'item-1', 'item-2', 'item-9']), { freq: 3, nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer Generated> ? Generated : never;

// An honest worker (the real decide/evolve) with a publisher that sometimes garbles or re-sends a result.
class Simulation {
  private state: State = emptyState;
  readonly history: History = { entries: [], states: [emptyState] };
  private readonly offsets = new Map<string, number>();
  // Each purchaseId's stored result: the worker re-publishes it verbatim for a repeat.
  private readonly stored = new Map<string, PurchaseFinishedMessage>();
  private readonly published: PurchaseFinishedMessage[] = [];

  constructor(
    private readonly itemCount: number,
    private readonly purchaseIdCount: number,
  ) {}

  step(step: Template, index: number): void {
    if (step.kind === 'restock') this.restock(step);
    else if (step.kind === 'purchase') this.purchase(step, index);
    else this.resend(step, index);
    this.history.states.push(this.state);
  }

  private item(index: number): { itemId: string; partition: number } {
    const number = index % this.itemCount;
    return { itemId: `item-${number}`, partition: number % partitionCount };
  }

  private restock(step: Extract<Template, { kind: 'restock' }>): void {
    const { itemId, partition } = this.item(step.item);
    this.state = evolve(this.state, decide({ type: 'RestockItem', itemId, description: 'Dune', quantity: step.quantity }, this.state));
    const message: ItemsAddedMessage = { schemaVersion: 1, itemId, description: 'Dune', quantity: step.quantity, addedAt: createdAt };
    const key = step.misrouted ? 'elsewhere' : itemId;
    this.history.entries.push({ topic: 'itemsAdded', record: { partition, offset: this.nextOffset('itemsAdded', partition), key, message } });
  }

  private purchase(step: Extract<Template, { kind: 'purchase' }>, index: number): void {
    const { itemId } = this.item(step.item);
    const purchaseId = `purchase-${step.purchase % this.purchaseIdCount}`;
    const event = decide({ type: 'PurchaseItem', purchaseId, itemId, quantity: step.quantity, purchasedBy: step.buyer }, this.state);
    this.state = evolve(this.state, event);
    const decision = decisionOf(event);
    const message = this.stored.get(purchaseId) ?? flawed(finishedMessage(decision, index), step.flaw);
    this.stored.set(purchaseId, message);
    this.publish(message, step.flaw === 'misrouted' ? 'elsewhere' : message.itemId);
  }

  private resend(step: Extract<Template, { kind: 'resend' }>, index: number): void {
    const earlier = this.published[step.earlier % Math.max(this.published.length, 1)];
    if (earlier === undefined) return;
    const copies: Record<Resend, PurchaseFinishedMessage> = {
      verbatim: earlier,
      restamped: { ...earlier, decidedAt: timestamp(index) },
      conflicting: { ...earlier, remaining: earlier.remaining + 1 },
    };
    this.publish(copies[step.resend], earlier.itemId);
  }

  private publish(message: PurchaseFinishedMessage, key: string): void {
    const partition = Number(message.itemId.slice('item-'.length)) % partitionCount;
    this.published.push(message);
    this.history.entries.push({ topic: 'purchaseFinished', record: { partition, offset: this.nextOffset('purchaseFinished', partition), key, message } });
  }

  private nextOffset(topic: Entry['topic'], partition: number): number {
    const offset = this.offsets.get(`${topic}/${partition}`) ?? 0;
    this.offsets.set(`${topic}/${partition}`, offset + 1);
    return offset;
  }
}

function decisionOf(event: Event): PurchaseDecided {
  if (event.type === 'PurchaseSucceeded' || event.type === 'PurchaseFailed') return event;
  if (event.type === 'PurchaseRepeated') return event.original;
  throw new Error(`a purchase was decided as ${event.type}`);
}

function timestamp(step: number): string {
  return new Date(Date.parse(createdAt) + (step + 1) * 1000).toISOString();
}

function finishedMessage(decision: PurchaseDecided, step: number): PurchaseFinishedMessage {
  const { purchaseId, itemId, quantity, purchasedBy, remaining, unitPrice, total } = decision;
  const fields = { schemaVersion: 1 as const, purchaseId, itemId, quantity, purchasedBy, remaining, unitPrice, total, resultMessage: describeDecision(decision), createdAt, decidedAt: timestamp(step) };
  return decision.type === 'PurchaseSucceeded' ? { ...fields, status: 'SUCCEEDED', reason: null } : { ...fields, status: 'FAILED', reason: decision.reason };
}

// Each garbled remaining stays within what was restocked when the honest decision was made.
function flawed(message: PurchaseFinishedMessage, flaw: Flaw): PurchaseFinishedMessage {
  switch (flaw) {
    case 'none':
    case 'misrouted':
      return message;
    case 'negativeRemaining':
      return { ...message, remaining: -1 };
    case 'outOfStockCovered':
      return message.status === 'SUCCEEDED' ? { ...message, status: 'FAILED', reason: 'OUT_OF_STOCK', remaining: message.remaining + message.quantity } : message;
    case 'unknownItemRemaining':
      return { ...message, status: 'FAILED', reason: 'UNKNOWN_ITEM', remaining: message.remaining + 1 };
    default: {
      const unreachable: never = flaw;
      throw new Error(`unknown flaw ${String(unreachable)}`);
    }
  }
}

function simulate(generated: Scenario): History {
  const simulation = new Simulation(generated.itemCount, generated.purchaseIdCount);
  generated.templates.forEach((step, index) => simulation.step(step, index));
  return simulation.history;
}

function databaseOf(state: State, generated: Scenario): DatabaseSnapshot {
  const purchases = new Map<string, DatabaseSnapshot['purchases'][number]>();
  for (const decision of state.decisions.values()) {
    const summary = purchases.get(decision.itemId) ?? { itemId: decision.itemId, succeededQuantity: 0, succeededCount: 0, failedCount: 0, refundedQuantity: 0, refundedCount: 0 };
    if (decision.type === 'PurchaseSucceeded') {
      summary.succeededQuantity += decision.quantity;
      summary.succeededCount += 1;
    } else {
      summary.failedCount += 1;
    }
    purchases.set(decision.itemId, summary);
  }
  const items = [...state.items.values()].map(({ itemId, restocked, sold, available, held, refunded }) => ({ itemId, restocked, sold, available, held, refunded }));
  const partitionOffsets = (offsets: readonly number[]) => offsets.map((offset, partition) => ({ partition, offset }));
  return {
    items: generated.ghostItemRow ? [...items, { itemId: 'item-ghost', restocked: 0, sold: 0, available: 0, held: 0, refunded: 0 }] : items,
    purchases: [...purchases.values()],
    holds: [],
    outboxUnsent: generated.outboxUnsent ? [{ itemId: 'item-0', count: 1 }] : [],
    workerPositions: { itemsAdded: partitionOffsets(generated.workerPositions.itemsAdded), purchaseCreated: partitionOffsets(generated.workerPositions.purchaseCreated) },
  };
}

// A cycle's records as the reader hands them over: restocks and results apart, other items' records left out.
function recordsOf(entries: readonly Entry[], malformed: AuditRecords['malformed'], itemIds: readonly string[] | undefined): AuditRecords {
  const wanted = (itemId: string) => itemIds === undefined || itemIds.includes(itemId);
  return {
    restocks: entries.flatMap((entry) => (entry.topic === 'itemsAdded' && wanted(entry.record.message.itemId) ? [entry.record] : [])),
    results: entries.flatMap((entry) => (entry.topic === 'purchaseFinished' && wanted(entry.record.message.itemId) ? [entry.record] : [])),
    malformed,
  };
}

type Case = { cycles: AuditRecords[]; reportInput: AuditReportInput; oneShot: AuditInput };

function caseOf(generated: Scenario): Case {
  const { entries, states } = simulate(generated);
  const bounds = [0, ...generated.cuts.map((cut) => cut % (entries.length + 1)).sort((left, right) => left - right), entries.length];
  const cycles = bounds.slice(1).map((end, index) => {
    const malformed = generated.malformed[index] ?? { itemsAdded: 0, purchaseFinished: 0 };
    return recordsOf(entries.slice(bounds[index], end), malformed, generated.itemIds);
  });
  const snapshot = states[generated.snapshotStep % states.length] ?? emptyState;
  const ends = Array.from({ length: partitionCount }, (_, partition) => ({ partition, offset: inputEnd }));
  const reportInput: AuditReportInput = {
    inputEnds: { itemsAdded: ends, purchaseCreated: ends },
    truncatedTopics: generated.truncatedTopics,
    database: databaseOf(snapshot, generated),
    itemIds: generated.itemIds,
  };
  const malformed = {
    itemsAdded: cycles.reduce((total, cycle) => total + cycle.malformed.itemsAdded, 0),
    purchaseFinished: cycles.reduce((total, cycle) => total + cycle.malformed.purchaseFinished, 0),
  };
  // The one-shot form filters by itemIds itself, so it gets every record.
  return { cycles, reportInput, oneShot: { ...recordsOf(entries, malformed, undefined), ...reportInput } };
}

function absorbInCycles(cycles: readonly AuditRecords[], reportInput: AuditReportInput): { final: AuditReport; interim: { report: AuditReport; copy: AuditReport }[] } {
  const ledger = emptyAuditLedger();
  const interim = cycles.map((cycle) => {
    // The auditor's loop reports after every cycle, which must neither change the ledger nor be changed by it later.
    const report = reportAudit(absorbRecords(ledger, cycle), reportInput);
    return { report, copy: structuredClone(report) };
  });
  return { final: reportAudit(ledger, reportInput), interim };
}

describe('the incremental audit ledger over random histories and read cycles', () => {
  it('reports exactly what the one-shot audit reports', () => {
    fc.assert(
      fc.property(scenario, (generated) => {
        const { cycles, reportInput, oneShot } = caseOf(generated);
        expect(absorbInCycles(cycles, reportInput).final).toStrictEqual(audit(oneShot));
      }),
      { numRuns, seed },
    );
  });

  it('leaves a report unchanged while the ledger absorbs later cycles', () => {
    fc.assert(
      fc.property(scenario, (generated) => {
        const { cycles, reportInput } = caseOf(generated);
        for (const { report, copy } of absorbInCycles(cycles, reportInput).interim) expect(report).toStrictEqual(copy);
      }),
      { numRuns, seed },
    );
  });

  // Guards the properties above against a generator that quietly stops producing the interesting cases.
  it('generates every kind of finding, several cycles and lag often enough to matter', () => {
    const counts = new Map<string, number>();
    const count = (label: string, happened: boolean) => counts.set(label, (counts.get(label) ?? 0) + (happened ? 1 : 0));
    for (const generated of fc.sample(scenario, { numRuns: 300, seed: 42 })) {
      const { cycles, oneShot } = caseOf(generated);
      const report = audit(oneShot);
      const has = (text: string) => report.violations.some((violation) => violation.includes(text)) || report.notes.some((note) => note.includes(text));
      count('several cycles with records', cycles.filter((cycle) => cycle.restocks.length + cycle.results.length > 0).length > 1);
      count('clean', report.clean);
      count('duplicates', report.totals.duplicates > 0);
      count('unsettled item', report.items.some((item) => !item.settled));
      for (const text of ['key other than its itemId', 'disagree', 'negative remaining', 'covered the quantity', 'UNKNOWN_ITEM result', 'differs in createdAt', 'not a violation yet']) count(text, has(text));
    }
    for (const [label, times] of counts) expect(times, label).toBeGreaterThanOrEqual(10);
  });
});

// ── Holds and refunds ─────────────────────────────────────────────────────────────────────────────────────
// The domain decides every step; its events become the result messages the worker publishes, built by
// server/purchases/stored-purchase.ts as the worker builds them (re-published current states included), and
// the relay sometimes re-sends an earlier record verbatim.

type Step =
  // A version 3 restock, with a price or without (keeping the item's).
  | { kind: 'restock'; item: number; quantity: number; unitPrice: number | null }
  // A seller's edit: a new price, or archiving or unarchiving the item.
  | { kind: 'edit'; item: number; unitPrice: number | null; archived: boolean | null }
  | { kind: 'purchase'; id: number; item: number; quantity: number }
  | { kind: 'hold'; id: number; item: number; quantity: number; ttlSteps: number }
  | { kind: 'confirm' | 'cancel' | 'expire' | 'refund'; id: number; purchaseFirst: boolean }
  | { kind: 'resend'; earlier: number };

const idCount = 12;
const itemCount = 2;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('restock' as const), item: fc.nat(itemCount - 1), quantity, unitPrice: fc.option(fc.integer({ min: 0, max: 5_000 })) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      item: fc.nat(itemCount - 1),
      unitPrice: fc.option(fc.integer({ min: 0, max: 5_000 })),
      archived: fc.option(fc.boolean(), { freq: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('purchase' as const), id: fc.nat(idCount - 1), item: fc.nat(itemCount - 1), quantity: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('hold' as const), id: fc.nat(idCount - 1), item: fc.nat(itemCount - 1), quantity: fc.integer({ min: 1, max: 3 }), ttlSteps: fc.integer({ min: 1, max: 20 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('confirm' as const), id: fc.nat(3), purchaseFirst: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'expire' as const, 'refund' as const), id: fc.nat(3), purchaseFirst: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), earlier: fc.nat() }) },
);

type Published = TopicRecord<PurchaseFinishedMessage>;
type Ledgered = { restocks: TopicRecord<ItemsAddedMessage>[]; results: Published[]; state: State };

const itemIdOf = (index: number) => `item-${index}`;
const partitionOf = (itemId: string) => Number(itemId.slice('item-'.length)) % partitionCount;

// The worker's stored rows and what it publishes for each event.
class HoldSimulation {
  state: State = emptyState;
  readonly restocks: TopicRecord<ItemsAddedMessage>[] = [];
  readonly results: Published[] = [];
  private readonly purchases = new Map<string, StoredPurchase>();
  private readonly holds = new Map<string, StoredHold>();
  private readonly offsets = new Map<string, number>();

  run(steps: readonly Step[]): Ledgered {
    steps.forEach((next, index) => this.step(next, index));
    return { restocks: this.restocks, results: this.results, state: this.state };
  }

  private step(next: Step, index: number): void {
    const now = timestamp(index);
    switch (next.kind) {
      case 'restock': {
        const itemId = itemIdOf(next.item);
        const price = next.unitPrice === null ? {} : { unitPrice: next.unitPrice };
        this.apply({ type: 'RestockItem', itemId, description: 'Dune', quantity: next.quantity, ...price }, now, false);
        // Unpriced restocks alternate between versions 1 and 3, both on the topic for ever.
        const message: ItemsAddedMessage =
          next.unitPrice === null && index % 2 === 0
            ? { schemaVersion: 1, itemId, description: 'Dune', quantity: next.quantity, addedAt: now }
            : { schemaVersion: 3, kind: 'restock', itemId, description: 'Dune', quantity: next.quantity, addedAt: now, ...price };
        this.publishItemRecord(message);
        return;
      }
      case 'edit': {
        const itemId = itemIdOf(next.item);
        const changes = { ...(next.unitPrice === null ? {} : { unitPrice: next.unitPrice }), ...(next.archived === null ? {} : { archived: next.archived }) };
        this.apply({ type: 'EditItem', itemId, changes }, now, false);
        this.publishItemRecord({ schemaVersion: 3, kind: 'edit', itemId, changes, requestedAt: now });
        return;
      }
      case 'purchase':
        return this.apply({ type: 'PurchaseItem', purchaseId: `id-${next.id}`, itemId: itemIdOf(next.item), quantity: next.quantity, purchasedBy: 'alice' }, now, false);
      case 'hold': {
        const expiresAt = timestamp(index + next.ttlSteps);
        return this.apply({ type: 'PlaceHold', holdId: `id-${next.id}`, itemId: itemIdOf(next.item), quantity: next.quantity, heldBy: 'bob', expiresAt }, now, false);
      }
      case 'confirm':
      case 'cancel':
      case 'expire':
      case 'refund':
        return this.holdStep(next, now);
      case 'resend': {
        const earlier = this.results[next.earlier % Math.max(this.results.length, 1)];
        if (earlier !== undefined) this.publish(earlier.message);
        return;
      }
      default: {
        const unreachable: never = next;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }

  // The API sends a hold step only for an id it knows, with that id's item: one of the holds (or, for a
  // refund, the purchases) decided so far, most often a recent one.
  private holdStep(next: Extract<Step, { id: number; purchaseFirst: boolean }>, now: string): void {
    const known = [...(next.kind === 'refund' ? this.state.decisions.keys() : this.state.holds.keys())].reverse();
    const id = known[next.id % Math.max(known.length, 1)];
    const itemId = id === undefined ? undefined : (this.state.holds.get(id)?.itemId ?? this.state.decisions.get(id)?.itemId);
    if (id === undefined || itemId === undefined) return;
    const commands = {
      confirm: { type: 'ConfirmHold', holdId: id, itemId, confirmedAt: now },
      cancel: { type: 'CancelHold', holdId: id, itemId },
      expire: { type: 'ExpireHold', holdId: id, itemId },
      refund: { type: 'RefundPurchase', purchaseId: id, itemId },
    } as const;
    this.apply(commands[next.kind], now, next.purchaseFirst);
  }

  private apply(command: Command, now: string, purchaseFirst: boolean): void {
    const event = decide(command, this.state);
    this.state = evolve(this.state, event);
    for (const message of this.messagesOf(event, now, purchaseFirst)) this.publish(message);
  }

  private messagesOf(event: Event, now: string, purchaseFirst: boolean): PurchaseFinishedMessage[] {
    switch (event.type) {
      case 'PurchaseSucceeded':
      case 'PurchaseFailed':
        return [this.storePurchase(event, now)];
      case 'PurchaseRepeated':
        return this.republishPurchase(event.original.purchaseId);
      case 'HoldPlaced':
      case 'HoldFailed':
      case 'HoldReleased':
        return [this.storeHold(event.hold, event.remaining, now)];
      case 'HoldConfirmed': {
        const messages = [this.storeHold(event.hold, event.purchase.remaining, now), this.storePurchase(event.purchase, now)];
        return purchaseFirst ? messages.reverse() : messages;
      }
      case 'HoldUnchanged': {
        const stored = this.holds.get(event.holdId);
        return stored === undefined ? [] : [holdMessage(stored)];
      }
      case 'PurchaseRefunded': {
        const stored = this.purchases.get(event.purchase.purchaseId);
        if (stored === undefined) throw new Error(`refunded ${event.purchase.purchaseId} was never stored`);
        const refunded = { ...stored, refundedAt: now };
        this.purchases.set(event.purchase.purchaseId, refunded);
        return [storedFinishedMessage(refunded)];
      }
      case 'RefundUnchanged':
        return this.republishPurchase(event.purchaseId);
      case 'ItemRestocked':
      case 'ItemEdited':
      case 'EditRejected':
      case 'RestockRejected':
      case 'RestockRepeated':
      case 'IdTaken':
        return [];
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private storePurchase(decision: PurchaseDecided, now: string): PurchaseFinishedMessage {
    const stored: StoredPurchase = { decision, createdAt, decidedAt: now, resultMessage: describeDecision(decision), sourcePartition: partitionOf(decision.itemId), sourceOffset: 0n };
    this.purchases.set(decision.purchaseId, stored);
    return storedFinishedMessage(stored);
  }

  private republishPurchase(purchaseId: string): PurchaseFinishedMessage[] {
    const stored = this.purchases.get(purchaseId);
    return stored === undefined ? [] : [storedFinishedMessage(stored)];
  }

  private storeHold(hold: Hold, remaining: number, now: string): PurchaseFinishedMessage {
    const earlier = this.holds.get(hold.holdId);
    const first = earlier ?? { createdAt, sourcePartition: partitionOf(hold.itemId), sourceOffset: 0n };
    const stored = storedHoldAfter(hold, remaining, now, earlier === undefined ? first : { ...first, decidedAt: earlier.decidedAt });
    this.holds.set(hold.holdId, stored);
    return holdMessage(stored);
  }

  private publish(message: PurchaseFinishedMessage): void {
    const partition = partitionOf(message.itemId);
    this.results.push({ partition, offset: this.nextOffset(`results/${partition}`), key: message.itemId, message });
  }

  private publishItemRecord(message: ItemsAddedMessage): void {
    const partition = partitionOf(message.itemId);
    this.restocks.push({ partition, offset: this.nextOffset(`restocks/${partition}`), key: message.itemId, message });
  }

  private nextOffset(key: string): number {
    const offset = this.offsets.get(key) ?? 0;
    this.offsets.set(key, offset + 1);
    return offset;
  }
}

// The worker's tables after the last step, settled, with the outbox drained.
function settledDatabase(state: State): DatabaseSnapshot {
  const purchases = new Map<string, DatabaseSnapshot['purchases'][number]>();
  for (const decision of state.decisions.values()) {
    const summary = purchases.get(decision.itemId) ?? { itemId: decision.itemId, succeededQuantity: 0, succeededCount: 0, failedCount: 0, refundedQuantity: 0, refundedCount: 0 };
    if (decision.type === 'PurchaseFailed') summary.failedCount += 1;
    else {
      summary.succeededQuantity += decision.quantity;
      summary.succeededCount += 1;
      if (state.refunds.has(decision.purchaseId)) {
        summary.refundedQuantity += decision.quantity;
        summary.refundedCount += 1;
      }
    }
    purchases.set(decision.itemId, summary);
  }
  const holds = new Map<string, DatabaseSnapshot['holds'][number]>();
  const field = { HELD: 'held', CONFIRMED: 'confirmed', CANCELLED: 'cancelled', EXPIRED: 'expired', FAILED: 'failed' } as const;
  for (const hold of state.holds.values()) {
    const summary = holds.get(hold.itemId) ?? { itemId: hold.itemId, heldQuantity: 0, held: 0, confirmed: 0, cancelled: 0, expired: 0, failed: 0 };
    summary[field[hold.status]] += 1;
    if (hold.status === 'HELD') summary.heldQuantity += hold.quantity;
    holds.set(hold.itemId, summary);
  }
  const ends = Array.from({ length: partitionCount }, (_, partition) => ({ partition, offset: inputEnd }));
  return {
    items: [...state.items.values()].map(({ itemId, restocked, sold, available, held, refunded }) => ({ itemId, restocked, sold, available, held, refunded })),
    purchases: [...purchases.values()],
    holds: [...holds.values()],
    outboxUnsent: [],
    workerPositions: { itemsAdded: ends, purchaseCreated: ends },
  };
}

function settledInput(database: DatabaseSnapshot): AuditReportInput {
  const ends = Array.from({ length: partitionCount }, (_, partition) => ({ partition, offset: inputEnd }));
  return { inputEnds: { itemsAdded: ends, purchaseCreated: ends }, truncatedTopics: [], database };
}

// Cycles cut at the given indexes; each cycle reads the restocks up to its end as the adapter does, so every
// restock a result was decided against is in the result's cycle or an earlier one.
function inCycles(history: Ledgered, cuts: readonly number[]): AuditRecords[] {
  const bounds = [0, ...cuts.map((cut) => cut % (history.results.length + 1)).sort((left, right) => left - right), history.results.length];
  return bounds.slice(1).map((end, index) => ({
    restocks: index === 0 ? history.restocks : [],
    results: history.results.slice(bounds[index], end),
    malformed: { itemsAdded: 0, purchaseFinished: 0 },
  }));
}

const holdScenario = fc.record({ steps: fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), cuts: fc.array(fc.nat(), { maxLength: 4 }) });

// Tampered copies of an honest history, each with the violation it must raise; undefined when the history
// has nothing to tamper with (no final hold, no refund).
type Tamper = { name: string; results: Published[]; violation: string };

function tampered(history: Ledgered): Tamper[] {
  const append = (message: PurchaseFinishedMessage): Published[] => [
    ...history.results,
    { partition: partitionOf(message.itemId), offset: history.results.length, key: message.itemId, message },
  ];
  const tampers: Tamper[] = [];
  const final = history.results.map((record) => toFinishedResult(record.message)).find((finished) => finished.kind === 'hold' && finished.result.status !== 'HELD');
  if (final?.kind === 'hold') {
    const other = final.result.status === 'CANCELLED' ? 'EXPIRED' : 'CANCELLED';
    tampers.push({ name: 'two final states', results: append(holdFinishedMessage({ ...final.result, status: other, reason: null })), violation: 'hold with two final states' });
  }
  const refund = history.results.map((record) => toFinishedResult(record.message)).find((finished) => finished.kind === 'purchase' && finished.result.status === 'REFUNDED');
  if (refund?.kind === 'purchase' && refund.result.status === 'REFUNDED') {
    const again = { ...refund.result, refundedAt: new Date(Date.parse(refund.result.refundedAt) + 1000).toISOString() };
    tampers.push({ name: 'double refund', results: append(purchaseFinishedMessage(again)), violation: 'two REFUNDED results for one purchaseId disagree' });
  }
  const orphan = { purchaseId: 'never-sold', itemId: itemIdOf(0), quantity: 1, purchasedBy: 'mallory', remaining: 0, unitPrice: null, total: null, resultMessage: '', createdAt, decidedAt: createdAt, reason: null };
  tampers.push({ name: 'refund without a sale', results: append(purchaseFinishedMessage({ ...orphan, status: 'REFUNDED', refundedAt: createdAt })), violation: 'REFUNDED result for a purchase that never SUCCEEDED' });
  const item = history.state.items.get(itemIdOf(0));
  const oversold = { ...orphan, purchaseId: 'oversold', quantity: (item?.available ?? 0) + 1 };
  tampers.push({ name: 'oversell', results: append(purchaseFinishedMessage({ ...oversold, status: 'SUCCEEDED' })), violation: 'oversold: the stock does not balance after a result' });
  const mispriced = { ...orphan, purchaseId: 'mispriced', remaining: 0, unitPrice: 1250, total: 1249 };
  tampers.push({ name: 'wrong total', results: append(purchaseFinishedMessage({ ...mispriced, status: 'SUCCEEDED' })), violation: 'SUCCEEDED result whose total is not its unitPrice × quantity' });
  const charged = { ...mispriced, purchaseId: 'charged', total: 1250 };
  tampers.push({ name: 'charged failure', results: append(purchaseFinishedMessage({ ...charged, status: 'FAILED', reason: 'ITEM_ARCHIVED' })), violation: 'FAILED result with a total' });
  return tampers;
}

describe('the audit over histories of holds and refunds decided by the domain', () => {
  it('is clean for every honest history, one-shot or read in cycles, and its figures are the domain\'s', () => {
    fc.assert(
      fc.property(holdScenario, ({ steps, cuts }) => {
        const history = new HoldSimulation().run(steps);
        const input = settledInput(settledDatabase(history.state));
        const oneShot = audit({ restocks: history.restocks, results: history.results, malformed: { itemsAdded: 0, purchaseFinished: 0 }, ...input });
        expect(oneShot.violations).toEqual([]);
        // Only the last report is compared: earlier cycles' reports would meet a database ahead of their topic.
        const ledger = emptyAuditLedger();
        for (const cycle of inCycles(history, cuts)) absorbRecords(ledger, cycle);
        expect(reportAudit(ledger, input)).toStrictEqual(oneShot);
        for (const stock of history.state.items.values()) {
          expect(oneShot.items.find((item) => item.itemId === stock.itemId)).toMatchObject({ restocked: stock.restocked, succeededQuantity: stock.sold, heldQuantity: stock.held, refundedQuantity: stock.refunded });
        }
      }),
      { numRuns, seed },
    );
  });

  it('catches a hold with two final states, a refund without a sale, a double refund and an oversell', () => {
    fc.assert(
      fc.property(holdScenario, ({ steps }) => {
        const history = new HoldSimulation().run(steps);
        const input = settledInput(settledDatabase(history.state));
        for (const tamper of tampered(history)) {
          const report = audit({ restocks: history.restocks, results: tamper.results, malformed: { itemsAdded: 0, purchaseFinished: 0 }, ...input });
          expect(report.violations.some((violation) => violation.includes(tamper.violation)), tamper.name).toBe(true);
        }
      }),
      { numRuns, seed },
    );
  });

  // Guards the properties above against a generator that stops producing what they are about.
  it('generates confirmations, cancellations, expiries, refunds, copies, prices, archived items and every tamper often enough to matter', () => {
    const counts = new Map<string, number>();
    const count = (label: string, happened: boolean) => counts.set(label, (counts.get(label) ?? 0) + (happened ? 1 : 0));
    for (const generated of fc.sample(holdScenario, { numRuns: 300, seed: 42 })) {
      const history = new HoldSimulation().run(generated.steps);
      const report = audit({ restocks: history.restocks, results: history.results, malformed: { itemsAdded: 0, purchaseFinished: 0 }, ...settledInput(settledDatabase(history.state)) });
      for (const key of ['holdsConfirmed', 'holdsCancelled', 'holdsExpired', 'holdsFailed', 'refundsCount', 'duplicates', 'heldQuantity'] as const) count(key, report.totals[key] > 0);
      for (const tamper of tampered(history)) count(tamper.name, true);
      const decided = history.results.map((record) => toFinishedResult(record.message));
      count('priced sale', decided.some((finished) => finished.kind === 'purchase' && finished.result.status === 'SUCCEEDED' && finished.result.total !== null));
      count('ITEM_ARCHIVED', decided.some((finished) => finished.result.reason === 'ITEM_ARCHIVED'));
      count('confirmed at a price changed since the hold', decided.some((finished) => finished.kind === 'hold' && finished.result.status === 'CONFIRMED' && finished.result.unitPrice !== history.state.items.get(finished.result.itemId)?.unitPrice));
    }
    expect(counts.size).toBe(16);
    for (const [label, times] of counts) expect(times, label).toBeGreaterThanOrEqual(10);
  });
});
