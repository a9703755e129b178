// The oversell auditor's pure core. From what the topics say (restocks on bps-items-added, results on
// bps-purchase-finished) and what Postgres says (the stock view, the purchases, the outbox, the worker's
// positions), it decides whether anything was oversold or disagrees. No I/O: server/audit/run-audit.ts
// gathers the inputs and must take the database snapshot BEFORE the topics' ends, which is what makes the
// one-sided comparisons below sound:
// - the worker only applies restocks it read from the topic, so the database can never be ahead of it;
// - a result is written to the outbox in the same transaction as its purchase row, and marked sent only
//   after the broker acknowledged it, so with no unsent rows every stored decision is on the topic.
// The other direction (the topic ahead of the database) is normal lag while the worker runs. It is a
// violation only when the item is settled: the worker had applied both input topics up to the ends the
// audit read, so nothing could have been decided after the snapshot.
//
// Duplicate results: copies of one purchaseId must agree on the decision (status, reason, remaining,
// quantity, itemId, purchasedBy); any difference there is a violation. Copies that agree on the decision
// but differ in createdAt, decidedAt or resultMessage are counted as duplicates and noted, not violations:
// the worker re-publishes the stored row verbatim, so such a copy breaks that contract without selling anything.
import { decideBatch, emptyState, type Command } from '../domain/purchase';
import type { ItemsAddedMessage, PurchaseFinishedMessage } from '../kafka/messages';

export type TopicRecord<Message> = { partition: number; offset: number; key: string | null; message: Message };

// A next offset per partition: where the audit's read ended, or how far the worker has applied a topic.
export type PartitionOffset = { partition: number; offset: number };

export type DatabaseItem = { itemId: string; restocked: number; sold: number; available: number };
export type DatabasePurchases = { succeededQuantity: number; succeededCount: number; failedCount: number };

export type DatabaseSnapshot = {
  items: readonly DatabaseItem[];
  purchases: readonly (DatabasePurchases & { itemId: string })[];
  // Results decided but not yet published by the relay (outbox rows without sentAt), per item.
  outboxUnsent: readonly { itemId: string; count: number }[];
  // The worker's stored positions (consumer_offsets) on the two input topics.
  workerPositions: { itemsAdded: readonly PartitionOffset[]; purchaseCreated: readonly PartitionOffset[] };
};

export type AuditInput = {
  // In partition order: an item's restocks are replayed in the order the worker applied them.
  restocks: readonly TopicRecord<ItemsAddedMessage>[];
  results: readonly TopicRecord<PurchaseFinishedMessage>[];
  malformed: { itemsAdded: number; purchaseFinished: number };
  // The input topics' ends (high watermarks), taken after the database snapshot.
  inputEnds: { itemsAdded: readonly PartitionOffset[]; purchaseCreated: readonly PartitionOffset[] };
  // Topics whose first offset is not 0: retention deleted history, so the totals read from them are incomplete.
  truncatedTopics: readonly string[];
  database: DatabaseSnapshot;
  // When given, only these items are audited, and each one is reported even when nothing mentions it.
  itemIds?: readonly string[];
};

export type ItemAudit = {
  itemId: string;
  // Sum of the restocks the domain accepts, replayed in order (a restock past limits.stockMax does not count).
  restocked: number;
  restocksRejected: number;
  succeededQuantity: number;
  succeededCount: number;
  failedCount: number;
  // Extra copies of a result for a purchaseId already seen (re-sent by the relay, or re-published for a repeat).
  duplicates: number;
  database: { item: DatabaseItem | null; purchases: DatabasePurchases; outboxUnsent: number };
  settled: boolean;
  violations: string[];
  notes: string[];
};

export type AuditTotals = {
  items: number;
  itemsWithViolations: number;
  restocked: number;
  restocksRejected: number;
  succeededQuantity: number;
  succeededCount: number;
  failedCount: number;
  duplicates: number;
  outboxUnsent: number;
  messages: { itemsAdded: number; purchaseFinished: number };
  malformed: { itemsAdded: number; purchaseFinished: number };
};

export type AuditReport = {
  items: ItemAudit[];
  totals: AuditTotals;
  // Every violation, each prefixed by its item (or its topic for the global ones).
  violations: string[];
  notes: string[];
  clean: boolean;
};

// Violations of one kind are counted with one example, so a badly broken history gives a readable report.
type Finding = { count: number; example: string };

type Ledger = {
  itemId: string;
  partition: number | undefined;
  restockMessages: number;
  restocked: number;
  restocksRejected: number;
  succeededQuantity: number;
  succeededCount: number;
  failedCount: number;
  duplicates: number;
  findings: Map<string, Finding>;
  noteFindings: Map<string, Finding>;
};

export function audit(input: AuditInput): AuditReport {
  const scope = input.itemIds === undefined ? undefined : new Set(input.itemIds);
  const inScope = (itemId: string): boolean => scope === undefined || scope.has(itemId);
  const ledgers = new Map<string, Ledger>();
  const ledgerOf = (itemId: string): Ledger => {
    let ledger = ledgers.get(itemId);
    if (!ledger) {
      ledger = newLedger(itemId);
      ledgers.set(itemId, ledger);
    }
    return ledger;
  };

  const restocks = input.restocks.filter((record) => inScope(record.message.itemId));
  const results = input.results.filter((record) => inScope(record.message.itemId));
  replayRestocks(restocks, ledgerOf);
  tallyResults(results, ledgerOf);

  const database = indexDatabase(input.database);
  const itemIds = new Set<string>([...ledgers.keys(), ...database.items.keys(), ...database.purchases.keys(), ...database.outboxUnsent.keys()]);
  for (const itemId of scope ?? []) itemIds.add(itemId);

  const items = [...itemIds]
    .filter(inScope)
    .sort()
    .map((itemId) => auditItem(ledgers.get(itemId) ?? newLedger(itemId), database, input));
  return report(items, { itemsAdded: restocks.length, purchaseFinished: results.length }, input);
}

function newLedger(itemId: string): Ledger {
  return {
    itemId,
    partition: undefined,
    restockMessages: 0,
    restocked: 0,
    restocksRejected: 0,
    succeededQuantity: 0,
    succeededCount: 0,
    failedCount: 0,
    duplicates: 0,
    findings: new Map(),
    noteFindings: new Map(),
  };
}

function addFinding(findings: Map<string, Finding>, summary: string, example: string): void {
  const finding = findings.get(summary);
  if (finding) finding.count += 1;
  else findings.set(summary, { count: 1, example });
}

function renderFindings(findings: ReadonlyMap<string, Finding>): string[] {
  return [...findings].map(([summary, { count, example }]) => `${summary}: ${example}${count > 1 ? ` (and ${count - 1} more)` : ''}`);
}

// The same decide/evolve as the worker, so a restock past limits.stockMax is rejected here exactly as there.
function replayRestocks(records: readonly TopicRecord<ItemsAddedMessage>[], ledgerOf: (itemId: string) => Ledger): void {
  const commands: Command[] = records.map(({ message }) => ({
    type: 'RestockItem',
    itemId: message.itemId,
    description: message.description,
    quantity: message.quantity,
  }));
  const { events, state } = decideBatch(commands, emptyState);
  records.forEach((record, index) => {
    const ledger = ledgerOf(record.message.itemId);
    ledger.restockMessages += 1;
    ledger.partition ??= record.partition;
    if (events[index]?.type === 'RestockRejected') ledger.restocksRejected += 1;
    if (record.key !== record.message.itemId) {
      addFinding(ledger.findings, 'restock published with a key other than its itemId', `offset ${record.offset} of partition ${record.partition} has key ${JSON.stringify(record.key)}`);
    }
  });
  for (const [itemId, stock] of state.items) ledgerOf(itemId).restocked = stock.restocked;
}

function tallyResults(records: readonly TopicRecord<PurchaseFinishedMessage>[], ledgerOf: (itemId: string) => Ledger): void {
  const firstCopies = new Map<string, PurchaseFinishedMessage>();
  for (const record of records) {
    const result = record.message;
    const first = firstCopies.get(result.purchaseId);
    const ledger = ledgerOf(first?.itemId ?? result.itemId);
    ledger.partition ??= record.partition;
    if (record.key !== result.itemId) {
      addFinding(ledger.findings, 'result published with a key other than its itemId', `purchase ${result.purchaseId} has key ${JSON.stringify(record.key)}`);
    }
    if (!first) {
      firstCopies.set(result.purchaseId, result);
      countResult(ledger, result);
    } else if (sameDecision(first, result)) {
      ledger.duplicates += 1;
      if (first.createdAt !== result.createdAt || first.decidedAt !== result.decidedAt || first.resultMessage !== result.resultMessage) {
        addFinding(ledger.noteFindings, 'a copy of a result differs in createdAt, decidedAt or resultMessage', `purchase ${result.purchaseId}`);
      }
    } else {
      addFinding(ledger.findings, 'two results for one purchaseId disagree', `purchase ${result.purchaseId}: ${describeResult(first)} vs ${describeResult(result)}`);
    }
  }
  // Checked once all restocks are known; only first copies, since a differing copy is already a violation.
  for (const result of firstCopies.values()) checkResult(ledgerOf(result.itemId), result);
}

function countResult(ledger: Ledger, result: PurchaseFinishedMessage): void {
  if (result.status === 'SUCCEEDED') {
    ledger.succeededQuantity += result.quantity;
    ledger.succeededCount += 1;
  } else {
    ledger.failedCount += 1;
  }
}

function sameDecision(first: PurchaseFinishedMessage, other: PurchaseFinishedMessage): boolean {
  return (
    first.status === other.status &&
    first.reason === other.reason &&
    first.remaining === other.remaining &&
    first.quantity === other.quantity &&
    first.itemId === other.itemId &&
    first.purchasedBy === other.purchasedBy
  );
}

function describeResult(result: PurchaseFinishedMessage): string {
  const reason = result.reason === null ? '' : ` ${result.reason}`;
  return `${result.status}${reason} ${result.quantity} of ${result.itemId} by ${result.purchasedBy}, remaining ${result.remaining}`;
}

// Facts each result must fit whatever the interleaving of restocks and purchases was.
function checkResult(ledger: Ledger, result: PurchaseFinishedMessage): void {
  const example = `purchase ${result.purchaseId}: ${describeResult(result)}, ${ledger.restocked} restocked in all`;
  if (result.remaining < 0) addFinding(ledger.findings, 'result with a negative remaining', example);
  if (result.status === 'SUCCEEDED') {
    if (result.remaining + result.quantity > ledger.restocked) {
      addFinding(ledger.findings, 'SUCCEEDED result whose quantity plus remaining exceeds everything restocked', example);
    }
    return;
  }
  switch (result.reason) {
    case 'OUT_OF_STOCK':
      if (result.remaining >= result.quantity) addFinding(ledger.findings, 'OUT_OF_STOCK although the remaining stock covered the quantity', example);
      if (result.remaining > ledger.restocked) addFinding(ledger.findings, 'OUT_OF_STOCK result with more remaining than everything restocked', example);
      return;
    case 'UNKNOWN_ITEM':
      if (result.remaining !== 0) addFinding(ledger.findings, 'UNKNOWN_ITEM result with a remaining other than 0', example);
      return;
    default: {
      const unreachable: never = result;
      throw new Error(`unknown failure reason in ${JSON.stringify(unreachable)}`);
    }
  }
}

type DatabaseIndex = {
  items: Map<string, DatabaseItem>;
  purchases: Map<string, DatabasePurchases>;
  outboxUnsent: Map<string, number>;
};

function indexDatabase(snapshot: DatabaseSnapshot): DatabaseIndex {
  return {
    items: new Map(snapshot.items.map((item) => [item.itemId, item])),
    purchases: new Map(snapshot.purchases.map(({ itemId, ...purchases }) => [itemId, purchases])),
    outboxUnsent: new Map(snapshot.outboxUnsent.map(({ itemId, count }) => [itemId, count])),
  };
}

function auditItem(ledger: Ledger, database: DatabaseIndex, input: AuditInput): ItemAudit {
  const item = database.items.get(ledger.itemId) ?? null;
  const purchases = database.purchases.get(ledger.itemId) ?? { succeededQuantity: 0, succeededCount: 0, failedCount: 0 };
  const outboxUnsent = database.outboxUnsent.get(ledger.itemId) ?? 0;
  const lag = workerLag(ledger.partition, input);
  const violations = renderFindings(ledger.findings);
  const notes = renderFindings(ledger.noteFindings);

  if (ledger.succeededQuantity > ledger.restocked) {
    violations.push(`oversold: ${ledger.succeededCount} SUCCEEDED results sold ${ledger.succeededQuantity}, but only ${ledger.restocked} were restocked`);
  }
  violations.push(...checkStockView(item, purchases));
  const restocks = compareRestocks(ledger, item);
  const results = compareResults(ledger, purchases, outboxUnsent);
  for (const difference of [restocks, results]) {
    if (difference === undefined) continue;
    if (difference.always || lag === undefined) violations.push(difference.text);
    else notes.push(`${difference.text}; not a violation yet: ${lag}`);
  }
  if (outboxUnsent > 0) notes.push(`${outboxUnsent} results wait in the outbox, so the topic and the purchases table are not compared`);
  if (ledger.restockMessages === 0 && ledger.succeededCount + ledger.failedCount === 0 && item === null && purchases.succeededCount + purchases.failedCount === 0) {
    notes.push('no trace of this item on the topics or in the database');
  }

  return {
    itemId: ledger.itemId,
    restocked: ledger.restocked,
    restocksRejected: ledger.restocksRejected,
    succeededQuantity: ledger.succeededQuantity,
    succeededCount: ledger.succeededCount,
    failedCount: ledger.failedCount,
    duplicates: ledger.duplicates,
    database: { item, purchases, outboxUnsent },
    settled: lag === undefined,
    violations,
    notes,
  };
}

// The stock view must agree with itself and with the purchases table at every moment: both are written in
// the same transaction.
function checkStockView(item: DatabaseItem | null, purchases: DatabasePurchases): string[] {
  if (item === null) {
    return purchases.succeededQuantity > 0 ? [`the purchases table sold ${purchases.succeededQuantity} but there is no items row`] : [];
  }
  const violations: string[] = [];
  if (item.sold !== purchases.succeededQuantity) {
    violations.push(`items.sold is ${item.sold} but the SUCCEEDED purchases in the purchases table sum to ${purchases.succeededQuantity}`);
  }
  if (item.available !== item.restocked - item.sold) {
    violations.push(`items.available is ${item.available} but restocked − sold is ${item.restocked - item.sold}`);
  }
  if (item.available < 0) violations.push(`items.available is negative (${item.available})`);
  if (item.sold > item.restocked) violations.push(`oversold in the database: items.sold ${item.sold} > items.restocked ${item.restocked}`);
  return violations;
}

// always: the database is ahead of the topic, which no lag explains.
type Difference = { text: string; always: boolean };

function compareRestocks(ledger: Ledger, item: DatabaseItem | null): Difference | undefined {
  if (item !== null && ledger.restockMessages === 0) {
    return { text: `has an items row (restocked ${item.restocked}) but no restock on bps-items-added`, always: true };
  }
  const restocked = item?.restocked ?? 0;
  if (restocked > ledger.restocked) {
    return { text: `items.restocked is ${restocked}, more than the ${ledger.restocked} accepted on bps-items-added`, always: true };
  }
  if (restocked < ledger.restocked) {
    const text = item === null ? `${ledger.restocked} restocked on bps-items-added but no items row` : `items.restocked is ${restocked} but bps-items-added restocked ${ledger.restocked}`;
    return { text, always: false };
  }
  return undefined;
}

function compareResults(ledger: Ledger, purchases: DatabasePurchases, outboxUnsent: number): Difference | undefined {
  if (outboxUnsent > 0) return undefined;
  const pairs = [
    ['succeeded quantity', purchases.succeededQuantity, ledger.succeededQuantity],
    ['succeeded purchases', purchases.succeededCount, ledger.succeededCount],
    ['failed purchases', purchases.failedCount, ledger.failedCount],
  ] as const;
  const differing = pairs.filter(([, stored, published]) => stored !== published);
  if (differing.length === 0) return undefined;
  const listed = differing.map(([label, stored, published]) => `${label} ${stored} vs ${published}`).join(', ');
  return {
    text: `the purchases table and bps-purchase-finished disagree (database vs topic): ${listed}`,
    always: differing.some(([, stored, published]) => stored > published),
  };
}

// Why the item is not settled, or undefined when the worker had applied both input topics up to the ends the
// audit read, for the item's partition (the same number on every topic: they are co-partitioned by itemId).
function workerLag(partition: number | undefined, input: AuditInput): string | undefined {
  if (partition === undefined) return 'the item is on no topic';
  const topics = [
    ['bps-items-added', input.inputEnds.itemsAdded, input.database.workerPositions.itemsAdded],
    ['bps-purchase-created', input.inputEnds.purchaseCreated, input.database.workerPositions.purchaseCreated],
  ] as const;
  const behind = topics.flatMap(([topic, ends, positions]) => {
    const end = offsetOf(ends, partition);
    const position = offsetOf(positions, partition);
    return position < end ? [`at offset ${position} of ${end} on ${topic} partition ${partition}`] : [];
  });
  return behind.length === 0 ? undefined : `the worker was ${behind.join(' and ')}`;
}

function offsetOf(offsets: readonly PartitionOffset[], partition: number): number {
  return offsets.find((offset) => offset.partition === partition)?.offset ?? 0;
}

function report(items: ItemAudit[], messages: AuditTotals['messages'], input: AuditInput): AuditReport {
  const sum = (pick: (item: ItemAudit) => number): number => items.reduce((total, item) => total + pick(item), 0);
  const totals: AuditTotals = {
    items: items.length,
    itemsWithViolations: items.filter((item) => item.violations.length > 0).length,
    restocked: sum((item) => item.restocked),
    restocksRejected: sum((item) => item.restocksRejected),
    succeededQuantity: sum((item) => item.succeededQuantity),
    succeededCount: sum((item) => item.succeededCount),
    failedCount: sum((item) => item.failedCount),
    duplicates: sum((item) => item.duplicates),
    outboxUnsent: sum((item) => item.database.outboxUnsent),
    messages,
    malformed: { ...input.malformed },
  };
  const violations = [
    ...input.truncatedTopics.map((topic) => `${topic}: history does not start at offset 0 (retention deleted messages), so its totals are incomplete`),
    ...items.flatMap((item) => item.violations.map((violation) => `${item.itemId}: ${violation}`)),
  ];
  const notes = [
    ...(input.malformed.itemsAdded > 0 ? [`bps-items-added: ${input.malformed.itemsAdded} malformed messages skipped`] : []),
    ...(input.malformed.purchaseFinished > 0 ? [`bps-purchase-finished: ${input.malformed.purchaseFinished} malformed messages skipped`] : []),
    ...items.flatMap((item) => item.notes.map((note) => `${item.itemId}: ${note}`)),
  ];
  return { items, totals, violations, notes, clean: violations.length === 0 };
}
