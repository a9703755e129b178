// Goal: however a history's records fall into read cycles, the incremental ledger reports exactly what the one-shot audit does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ItemsAddedMessage, PurchaseFinishedMessage } from '../contract';
import { decide, describeDecision, emptyState, evolve, type Event, type PurchaseDecided, type State } from '../domain/purchase';
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
  const { purchaseId, itemId, quantity, purchasedBy, remaining } = decision;
  const fields = { schemaVersion: 1 as const, purchaseId, itemId, quantity, purchasedBy, remaining, resultMessage: describeDecision(decision), createdAt, decidedAt: timestamp(step) };
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
  const purchases = new Map<string, { itemId: string; succeededQuantity: number; succeededCount: number; failedCount: number }>();
  for (const decision of state.decisions.values()) {
    const summary = purchases.get(decision.itemId) ?? { itemId: decision.itemId, succeededQuantity: 0, succeededCount: 0, failedCount: 0 };
    if (decision.type === 'PurchaseSucceeded') {
      summary.succeededQuantity += decision.quantity;
      summary.succeededCount += 1;
    } else {
      summary.failedCount += 1;
    }
    purchases.set(decision.itemId, summary);
  }
  const items = [...state.items.values()].map(({ itemId, restocked, sold, available }) => ({ itemId, restocked, sold, available }));
  const partitionOffsets = (offsets: readonly number[]) => offsets.map((offset, partition) => ({ partition, offset }));
  return {
    items: generated.ghostItemRow ? [...items, { itemId: 'item-ghost', restocked: 0, sold: 0, available: 0 }] : items,
    purchases: [...purchases.values()],
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
      { numRuns },
    );
  });

  it('leaves a report unchanged while the ledger absorbs later cycles', () => {
    fc.assert(
      fc.property(scenario, (generated) => {
        const { cycles, reportInput } = caseOf(generated);
        for (const { report, copy } of absorbInCycles(cycles, reportInput).interim) expect(report).toStrictEqual(copy);
      }),
      { numRuns },
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
