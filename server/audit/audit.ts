// The oversell auditor's pure core. From what the topics say (restocks on bps-items-added, results on
// bps-purchase-finished) and what Postgres says (the stock view, the purchases, the outbox, the worker's
// positions), it decides whether anything was oversold or disagrees. It is a fold, so that a long-running
// auditor reads each record once: absorbRecords adds one read cycle's records to an AuditLedger, and
// reportAudit compares the ledger with a fresh database snapshot. audit() is the same fold from an empty
// ledger over everything from offset 0, in one go.
//
// No I/O: the adapter (server/audit/run-audit.ts) gathers the inputs and must take the database snapshot
// BEFORE the topics' ends, which is what makes the one-sided comparisons below sound:
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
import { restockIdOf, type AuditReport, type AuditTotals, type DatabaseItem, type DatabasePurchases, type ItemAudit, type ItemsAddedMessage, type PurchaseFinishedMessage } from '../contract';
import { decideBatch, emptyState, type Command, type State } from '../domain/purchase';

export type TopicRecord<Message> = { partition: number; offset: number; key: string | null; message: Message };

// A next offset per partition: where the audit's read ended, or how far the worker has applied a topic.
export type PartitionOffset = { partition: number; offset: number };


export type DatabaseSnapshot = {
  items: readonly DatabaseItem[];
  purchases: readonly (DatabasePurchases & { itemId: string })[];
  // Results decided but not yet published by the relay (outbox rows past their partition's relay position), per item.
  outboxUnsent: readonly { itemId: string; count: number }[];
  // The worker's stored positions (consumer_offsets) on the two input topics.
  workerPositions: { itemsAdded: readonly PartitionOffset[]; purchaseCreated: readonly PartitionOffset[] };
};

// What one read cycle brought: the records after the previous cycle's ends, up to this cycle's.
export type AuditRecords = {
  // In partition order: an item's restocks are replayed in the order the worker applied them.
  restocks: readonly TopicRecord<ItemsAddedMessage>[];
  results: readonly TopicRecord<PurchaseFinishedMessage>[];
  malformed: { itemsAdded: number; purchaseFinished: number };
};

// The moment a report describes.
export type AuditReportInput = {
  // The input topics' ends (high watermarks), taken after the database snapshot.
  inputEnds: { itemsAdded: readonly PartitionOffset[]; purchaseCreated: readonly PartitionOffset[] };
  // Topics whose first offset is not 0: retention deleted history, so the totals read from them are incomplete.
  truncatedTopics: readonly string[];
  database: DatabaseSnapshot;
  // When given, only these items are reported, each one even when nothing mentions it. audit() also absorbs
  // only their records. A ledger fed every item's records can differ in one corner: a copy of a result counts
  // with its first copy's item, whichever item the copy names.
  itemIds?: readonly string[];
};

export type AuditInput = AuditRecords & AuditReportInput;

// The report's shapes are the contract's (server/contract.ts): the auditor process stores them, the web
// answers them and the dashboard reads them.
export type { AuditReport, AuditTotals, ItemAudit } from '../contract';

// Rendered in this order, not in the order first seen, so that a report does not depend on how the records
// were split into read cycles.
const violationKinds = [
  'restock published with a key other than its itemId',
  'result published with a key other than its itemId',
  'two results for one purchaseId disagree',
  'result with a negative remaining',
  'SUCCEEDED result whose quantity plus remaining exceeds everything restocked',
  'OUT_OF_STOCK although the remaining stock covered the quantity',
  'OUT_OF_STOCK result with more remaining than everything restocked',
  'UNKNOWN_ITEM result with a remaining other than 0',
] as const;
const noteKinds = ['a copy of a result differs in createdAt, decidedAt or resultMessage'] as const;
type ViolationKind = (typeof violationKinds)[number];
type NoteKind = (typeof noteKinds)[number];

// Violations of one kind are counted with one example, so a badly broken history gives a readable report.
type Finding = { count: number; example: string };

type ItemLedger = {
  itemId: string;
  partition: number | undefined;
  restockMessages: number;
  resultMessages: number;
  restocked: number;
  restocksRejected: number;
  succeededQuantity: number;
  succeededCount: number;
  failedCount: number;
  duplicates: number;
  violations: Map<ViolationKind, Finding>;
  notes: Map<NoteKind, Finding>;
};

// The fields that make a decision: copies of one purchaseId must agree on all of them.
type Decision = {
  itemId: string;
  status: PurchaseFinishedMessage['status'];
  reason: PurchaseFinishedMessage['reason'];
  quantity: number;
  remaining: number;
  purchasedBy: string;
};

// What a later copy of a result is compared with. The decision is kept as it is, because a violation must be
// exact; createdAt, decidedAt and resultMessage only feed a note, so one 53-bit hash of them stands in, and a
// differing copy goes unnoted once in 2^53.
type FirstCopy = Decision & { detailsHash: number };

// Callers hold the ledger and hand it back; its fields are this module's own.
export type AuditLedger = {
  // The domain's items after every restock absorbed: the next cycle's restocks are decided against it.
  itemState: State;
  items: Map<string, ItemLedger>;
  // One entry per distinct purchaseId ever absorbed: the one part of the ledger that grows with the history
  // rather than with the items. About 190 bytes an entry on Node 20 (measured over 200,000 parsed results
  // with UUID purchaseIds), so about 190 MB per million purchases; keeping each whole message cost 340.
  firstCopies: Map<string, FirstCopy>;
  malformed: { itemsAdded: number; purchaseFinished: number };
};

export function emptyAuditLedger(): AuditLedger {
  return { itemState: emptyState, items: new Map(), firstCopies: new Map(), malformed: { itemsAdded: 0, purchaseFinished: 0 } };
}

// Changes the ledger in place and returns it: copying it every cycle would cost the whole history again each
// time, which is what the ledger exists to avoid. Its one holder, the auditor's loop, never needs the old one.
//
// A cycle's restocks are absorbed before its results, and each result is checked once, when absorbed,
// against the restocks absorbed so far. Its own restocks are never missing: the worker decides a purchase
// only after reading the restocks before it on bps-items-added, and publishes the result only after deciding.
// So as long as every cycle reads bps-items-added up to an end taken no earlier than the end it reads
// bps-purchase-finished to, each restock a result was decided against is in the result's cycle or an earlier
// one. An honest result therefore passes, and restocks absorbed later cannot excuse a dishonest one.
export function absorbRecords(ledger: AuditLedger, records: AuditRecords): AuditLedger {
  absorbRestocks(ledger, records.restocks);
  for (const record of records.results) absorbResult(ledger, record);
  ledger.malformed.itemsAdded += records.malformed.itemsAdded;
  ledger.malformed.purchaseFinished += records.malformed.purchaseFinished;
  return ledger;
}

// Reads the ledger without changing it, so the loop may report after every cycle.
export function reportAudit(ledger: AuditLedger, input: AuditReportInput): AuditReport {
  const scope = input.itemIds === undefined ? undefined : new Set(input.itemIds);
  const database = indexDatabase(input.database);
  const itemIds = new Set<string>([
    ...ledger.items.keys(),
    ...database.items.keys(),
    ...database.purchases.keys(),
    ...database.outboxUnsent.keys(),
    ...(scope ?? []),
  ]);
  const itemLedgers = [...itemIds]
    .filter((itemId) => scope === undefined || scope.has(itemId))
    .sort()
    .map((itemId) => ledger.items.get(itemId) ?? newItemLedger(itemId));
  // Summed over the reported items, so that a report narrowed by itemIds counts only their messages.
  const messages = {
    itemsAdded: sumOf(itemLedgers, (item) => item.restockMessages),
    purchaseFinished: sumOf(itemLedgers, (item) => item.resultMessages),
  };
  const items = itemLedgers.map((item) => auditItem(item, database, input));
  return report(items, messages, ledger.malformed, input);
}

// The one-shot form: everything from offset 0 into an empty ledger. With itemIds, other items' records are
// left out before they are absorbed.
export function audit(input: AuditInput): AuditReport {
  const records = input.itemIds === undefined ? input : withinItems(input, new Set(input.itemIds));
  return reportAudit(absorbRecords(emptyAuditLedger(), records), input);
}

function withinItems(records: AuditRecords, itemIds: ReadonlySet<string>): AuditRecords {
  return {
    restocks: records.restocks.filter((record) => itemIds.has(record.message.itemId)),
    results: records.results.filter((record) => itemIds.has(record.message.itemId)),
    malformed: records.malformed,
  };
}

function itemLedgerOf(ledger: AuditLedger, itemId: string): ItemLedger {
  let item = ledger.items.get(itemId);
  if (!item) {
    item = newItemLedger(itemId);
    ledger.items.set(itemId, item);
  }
  return item;
}

function newItemLedger(itemId: string): ItemLedger {
  return {
    itemId,
    partition: undefined,
    restockMessages: 0,
    resultMessages: 0,
    restocked: 0,
    restocksRejected: 0,
    succeededQuantity: 0,
    succeededCount: 0,
    failedCount: 0,
    duplicates: 0,
    violations: new Map(),
    notes: new Map(),
  };
}

function addFinding<Kind>(findings: Map<Kind, Finding>, kind: Kind, example: string): void {
  const finding = findings.get(kind);
  if (finding) finding.count += 1;
  else findings.set(kind, { count: 1, example });
}

function renderFindings<Kind extends string>(kinds: readonly Kind[], findings: ReadonlyMap<Kind, Finding>): string[] {
  return kinds.flatMap((kind) => {
    const finding = findings.get(kind);
    if (finding === undefined) return [];
    return [`${kind}: ${finding.example}${finding.count > 1 ? ` (and ${finding.count - 1} more)` : ''}`];
  });
}

// The same decide as the worker's, continuing from the restocks of earlier cycles, so a restock past
// limits.stockMax is rejected here exactly as there, whichever cycle brings it.
function absorbRestocks(ledger: AuditLedger, records: readonly TopicRecord<ItemsAddedMessage>[]): void {
  // decideBatch copies the item state, which a cycle without restocks need not pay for.
  if (records.length === 0) return;
  // With their restockIds, so that a restock appended twice (a client's retry) counts once, as the worker applies it.
  const commands: Command[] = records.map(({ message }) => {
    const restockId = restockIdOf(message);
    const command: Command = { type: 'RestockItem', itemId: message.itemId, description: message.description, quantity: message.quantity };
    return restockId === undefined ? command : { ...command, restockId };
  });
  const { events, state } = decideBatch(commands, ledger.itemState);
  ledger.itemState = state;
  records.forEach((record, index) => {
    const item = itemLedgerOf(ledger, record.message.itemId);
    item.restockMessages += 1;
    item.partition ??= record.partition;
    item.restocked = state.items.get(item.itemId)?.restocked ?? 0;
    if (events[index]?.type === 'RestockRejected') item.restocksRejected += 1;
    if (record.key !== record.message.itemId) {
      addFinding(item.violations, 'restock published with a key other than its itemId', `offset ${record.offset} of partition ${record.partition} has key ${JSON.stringify(record.key)}`);
    }
  });
}

function absorbResult(ledger: AuditLedger, record: TopicRecord<PurchaseFinishedMessage>): void {
  const result = record.message;
  const first = ledger.firstCopies.get(result.purchaseId);
  // A copy is counted with its first copy's item even when it names another: it is that purchase's copy.
  const item = itemLedgerOf(ledger, first?.itemId ?? result.itemId);
  item.resultMessages += 1;
  item.partition ??= record.partition;
  if (record.key !== result.itemId) {
    addFinding(item.violations, 'result published with a key other than its itemId', `purchase ${result.purchaseId} has key ${JSON.stringify(record.key)}`);
  }
  if (first === undefined) absorbFirstCopy(ledger, item, result);
  else absorbCopy(item, first, result);
}

// Only first copies are counted and checked: a copy that differs is already a violation, and one that
// agrees would count the same sale twice.
function absorbFirstCopy(ledger: AuditLedger, item: ItemLedger, result: PurchaseFinishedMessage): void {
  // The item ledger's itemId string is shared by all its purchases, rather than one string each.
  ledger.firstCopies.set(result.purchaseId, {
    itemId: item.itemId,
    status: result.status,
    reason: result.reason,
    quantity: result.quantity,
    remaining: result.remaining,
    purchasedBy: result.purchasedBy,
    detailsHash: hashDetails(result),
  });
  countResult(item, result);
  checkResult(item, result);
}

function absorbCopy(item: ItemLedger, first: FirstCopy, copy: PurchaseFinishedMessage): void {
  if (!sameDecision(first, copy)) {
    addFinding(item.violations, 'two results for one purchaseId disagree', `purchase ${copy.purchaseId}: ${describeResult(first)} vs ${describeResult(copy)}`);
    return;
  }
  item.duplicates += 1;
  if (first.detailsHash !== hashDetails(copy)) {
    addFinding(item.notes, 'a copy of a result differs in createdAt, decidedAt or resultMessage', `purchase ${copy.purchaseId}`);
  }
}

function countResult(item: ItemLedger, result: PurchaseFinishedMessage): void {
  if (result.status === 'SUCCEEDED') {
    item.succeededQuantity += result.quantity;
    item.succeededCount += 1;
  } else {
    item.failedCount += 1;
  }
}

function sameDecision(first: Decision, other: Decision): boolean {
  return (
    first.status === other.status &&
    first.reason === other.reason &&
    first.remaining === other.remaining &&
    first.quantity === other.quantity &&
    first.itemId === other.itemId &&
    first.purchasedBy === other.purchasedBy
  );
}

function describeResult(result: Decision): string {
  const reason = result.reason === null ? '' : ` ${result.reason}`;
  return `${result.status}${reason} ${result.quantity} of ${result.itemId} by ${result.purchasedBy}, remaining ${result.remaining}`;
}

// The NUL separator keeps ("a", "bc") and ("ab", "c") apart.
function hashDetails(result: PurchaseFinishedMessage): number {
  return hash53(`${result.createdAt}\u0000${result.decidedAt}\u0000${result.resultMessage}`);
}

// cyrb53 (public domain): two 32-bit multiply-xor lanes mixed into 53 bits, so the hash is a safe integer.
function hash53(text: string): number {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return 4294967296 * (2097151 & second) + (first >>> 0);
}

// Facts each result must fit whatever the interleaving of restocks and purchases was, checked against the
// restocks absorbed so far (absorbRecords says why the result's own are among them). Only the checks that
// depend on the restocks name their count, so the other examples read the same however the cycles fell.
function checkResult(item: ItemLedger, result: PurchaseFinishedMessage): void {
  const example = `purchase ${result.purchaseId}: ${describeResult(result)}`;
  const exampleWithRestocks = `${example}, ${item.restocked} restocked so far`;
  if (result.remaining < 0) addFinding(item.violations, 'result with a negative remaining', example);
  if (result.status === 'SUCCEEDED') {
    if (result.remaining + result.quantity > item.restocked) {
      addFinding(item.violations, 'SUCCEEDED result whose quantity plus remaining exceeds everything restocked', exampleWithRestocks);
    }
    return;
  }
  switch (result.reason) {
    case 'OUT_OF_STOCK':
      if (result.remaining >= result.quantity) addFinding(item.violations, 'OUT_OF_STOCK although the remaining stock covered the quantity', example);
      if (result.remaining > item.restocked) addFinding(item.violations, 'OUT_OF_STOCK result with more remaining than everything restocked', exampleWithRestocks);
      return;
    case 'UNKNOWN_ITEM':
      if (result.remaining !== 0) addFinding(item.violations, 'UNKNOWN_ITEM result with a remaining other than 0', example);
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

function auditItem(ledger: ItemLedger, database: DatabaseIndex, input: AuditReportInput): ItemAudit {
  const item = database.items.get(ledger.itemId) ?? null;
  const purchases = database.purchases.get(ledger.itemId) ?? { succeededQuantity: 0, succeededCount: 0, failedCount: 0 };
  const outboxUnsent = database.outboxUnsent.get(ledger.itemId) ?? 0;
  const lag = workerLag(ledger.partition, input);
  const violations = renderFindings(violationKinds, ledger.violations);
  const notes = renderFindings(noteKinds, ledger.notes);

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

function compareRestocks(ledger: ItemLedger, item: DatabaseItem | null): Difference | undefined {
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

function compareResults(ledger: ItemLedger, purchases: DatabasePurchases, outboxUnsent: number): Difference | undefined {
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
function workerLag(partition: number | undefined, input: AuditReportInput): string | undefined {
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

function report(items: ItemAudit[], messages: AuditTotals['messages'], malformed: AuditTotals['malformed'], input: AuditReportInput): AuditReport {
  const sum = (pick: (item: ItemAudit) => number): number => sumOf(items, pick);
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
    // A copy, so that the report does not change as the ledger absorbs the next cycle.
    malformed: { ...malformed },
  };
  const violations = [
    ...input.truncatedTopics.map((topic) => `${topic}: history does not start at offset 0 (retention deleted messages), so its totals are incomplete`),
    ...items.flatMap((item) => item.violations.map((violation) => `${item.itemId}: ${violation}`)),
  ];
  const notes = [
    ...(malformed.itemsAdded > 0 ? [`bps-items-added: ${malformed.itemsAdded} malformed messages skipped`] : []),
    ...(malformed.purchaseFinished > 0 ? [`bps-purchase-finished: ${malformed.purchaseFinished} malformed messages skipped`] : []),
    ...items.flatMap((item) => item.notes.map((note) => `${item.itemId}: ${note}`)),
  ];
  return { items, totals, violations, notes, clean: violations.length === 0 };
}

function sumOf<Value>(values: readonly Value[], pick: (value: Value) => number): number {
  return values.reduce((total, value) => total + pick(value), 0);
}
