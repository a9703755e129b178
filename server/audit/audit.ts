// The auditor's pure core. From what the topics say (restocks on bps-items-added; purchase, hold and refund
// results on bps-purchase-finished, either message version) and what Postgres says (the stock view, the
// purchases, the holds, the outbox, the worker's positions), it decides whether anything was oversold or
// disagrees. It is a fold, so that a long-running auditor reads each record once: absorbRecords adds one read
// cycle's records to an AuditLedger, and reportAudit compares the ledger with a fresh database snapshot.
// audit() is the same fold from an empty ledger over everything from offset 0, in one go.
//
// What it proves, per item (a seller's edits on bps-items-added change no stock, only the settings):
// - no oversell at any point: after every result the replay's stock balances (stockBalances of the domain:
//   available + held + sold − refunded = restocked, every term ≥ 0), with available derived from the others;
// - every hold has exactly one final state: its results are an optional HELD, then at most one of CONFIRMED,
//   CANCELLED, EXPIRED or FAILED (identical copies are duplicates), and a CONFIRMED hold has its SUCCEEDED
//   purchase purchaseId = holdId of the same quantity and unit price;
// - every refund matches exactly one SUCCEEDED purchase, once; its units return to available;
// - prices add up: a SUCCEEDED (or REFUNDED) purchase's total is its unitPrice × quantity (null without a
//   price), and a FAILED one charges nothing (total null). Which price was the item's at the moment of the
//   decision cannot be checked here: the topics do not order edits and purchases against each other.
//
// No I/O: the adapter (server/audit/run-audit.ts) gathers the inputs and must take the database snapshot
// BEFORE the topics' ends, which is what makes the one-sided comparisons below sound:
// - the worker only applies restocks it read from the topic, so the database can never be ahead of it;
// - a result is written to the outbox in the same transaction as its purchase or hold row, and marked sent
//   only after the broker acknowledged it, so with no unsent rows every stored decision is on the topic.
// The other direction (the topic ahead of the database) is normal lag while the worker runs. It is a
// violation only when the item is settled: the worker had applied both input topics up to the ends the
// audit read, so nothing could have been decided after the snapshot.
//
// Duplicate results: copies of one purchaseId must agree on the decision (status, reason, remaining,
// quantity, itemId, purchasedBy, unitPrice, total); any difference there is a violation. Copies that agree on the decision
// but differ in createdAt, decidedAt or resultMessage are counted as duplicates and noted, not violations:
// the worker re-publishes the stored row verbatim, so such a copy breaks that contract without selling
// anything. A purchase's SUCCEEDED or FAILED result, its REFUNDED result and each state of a hold are
// compared with their own first copy: the relay may re-send an older state after a newer one.
import {
  toFinishedResult,
  type AuditReport,
  type AuditTotals,
  type DatabaseHolds,
  type DatabaseItem,
  type DatabasePurchases,
  type HoldResult,
  type HoldStatus,
  type ItemAudit,
  type ItemsAddedMessage,
  type PurchaseFinishedMessage,
  type PurchaseResult,
} from '../contract';
import { decideBatch, emptyState, newItem, stockBalances, type FailureReason, type State } from '../domain/purchase';
import { itemCommandOf } from '../worker/item-command';

export type TopicRecord<Message> = { partition: number; offset: number; key: string | null; message: Message };

// A next offset per partition: where the audit's read ended, or how far the worker has applied a topic.
export type PartitionOffset = { partition: number; offset: number };


export type DatabaseSnapshot = {
  items: readonly DatabaseItem[];
  purchases: readonly (DatabasePurchases & { itemId: string })[];
  holds: readonly (DatabaseHolds & { itemId: string })[];
  // Results decided but not yet published by the relay (outbox rows past their partition's relay position), per item.
  outboxUnsent: readonly { itemId: string; count: number }[];
  // The worker's stored positions (consumer_offsets) on the two input topics.
  workerPositions: { itemsAdded: readonly PartitionOffset[]; purchaseCreated: readonly PartitionOffset[] };
};

// What one read cycle brought: the records after the previous cycle's ends, up to this cycle's.
export type AuditRecords = {
  // Every bps-items-added record (restocks and edits), in partition order: an item's restocks are replayed in
  // the order the worker applied them.
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
  'ITEM_ARCHIVED result with more remaining than everything restocked',
  'SUCCEEDED result whose total is not its unitPrice × quantity',
  'FAILED result with a total',
  'oversold: the stock does not balance after a result',
  'two results for one holdId disagree',
  'hold result whose reason does not fit its status',
  'hold with two final states',
  'hold HELD after its final state',
  'hold FAILED after it was HELD',
  'hold with the id of a purchase decided before it',
  'CONFIRMED hold and its purchase disagree',
  'hold released although its purchase SUCCEEDED',
  'REFUNDED result for a purchase that never SUCCEEDED',
  'REFUNDED result that does not match its SUCCEEDED purchase',
  'two REFUNDED results for one purchaseId disagree',
] as const;
const noteKinds = ['a copy of a result differs in createdAt, decidedAt or resultMessage'] as const;
type ViolationKind = (typeof violationKinds)[number];
type NoteKind = (typeof noteKinds)[number];

// Violations of one kind are counted with one example, so a badly broken history gives a readable report.
type Finding = { count: number; example: string };

type FinalHoldStatus = Exclude<HoldStatus, 'HELD'>;
type HoldCounts = { placed: number; confirmed: number; cancelled: number; expired: number; failed: number };

type ItemLedger = {
  itemId: string;
  partition: number | undefined;
  restockMessages: number;
  // A seller's edits: they count as bps-items-added messages, and change no stock.
  editMessages: number;
  resultMessages: number;
  restocked: number;
  restocksRejected: number;
  // Units ever sold (the sold term of the stock equation), and how many purchases sold them.
  succeededQuantity: number;
  succeededCount: number;
  failedCount: number;
  heldQuantity: number;
  refundedQuantity: number;
  refundsCount: number;
  holds: HoldCounts;
  // Holds with a CONFIRMED result but no SUCCEEDED purchase of their id yet, or the reverse: the second half
  // may still be on its way, so this is a violation only once the item is settled.
  confirmationsUnpaired: number;
  duplicates: number;
  violations: Map<ViolationKind, Finding>;
  notes: Map<NoteKind, Finding>;
};

// The fields that make a purchase's decision: copies of one purchaseId must agree on all of them.
type Decision = {
  itemId: string;
  status: PurchaseResult['status'];
  reason: PurchaseResult['reason'];
  quantity: number;
  remaining: number;
  purchasedBy: string;
  unitPrice: number | null;
  total: number | null;
};

// What a later copy of a result is compared with. The decision is kept as it is, because a violation must be
// exact; createdAt, decidedAt and resultMessage only feed a note, so one 53-bit hash of them stands in, and a
// differing copy goes unnoted once in 2^53.
type FirstCopy = Decision & { detailsHash: number };
// A REFUNDED result's first copy: refundedAt tells two refund decisions apart.
type RefundCopy = FirstCopy & { refundedAt: string };

// One hold as replayed: what every result of it must repeat, its first copy of each state, and where its
// units are counted.
type HoldLedger = {
  itemId: string;
  quantity: number;
  heldBy: string;
  createdAt: string;
  expiresAt: string;
  unitPrice: number | null;
  states: Map<HoldStatus, { reason: HoldResult['reason']; remaining: number; detailsHash: number }>;
  final: FinalHoldStatus | undefined;
  // Its SUCCEEDED purchase came while it was HELD, and counts in confirmationsUnpaired until its CONFIRMED.
  purchasedWhileHeld: boolean;
  // Its units are in the item's heldQuantity: from its HELD result until its final state or its purchase.
  countedInHeld: boolean;
};

// Callers hold the ledger and hand it back; its fields are this module's own.
export type AuditLedger = {
  // The domain's items after every restock absorbed: the next cycle's restocks are decided against it.
  itemState: State;
  items: Map<string, ItemLedger>;
  // One entry per distinct purchaseId ever absorbed: with refunds and holds below, the part of the ledger that
  // grows with the history rather than with the items. About 190 bytes an entry on Node 20 (measured over
  // 200,000 parsed results with UUID purchaseIds, before prices added two numbers), so about 190 MB per million purchases; keeping each whole
  // message cost 340. A hold costs about twice a purchase (its states map).
  firstCopies: Map<string, FirstCopy>;
  refunds: Map<string, RefundCopy>;
  holds: Map<string, HoldLedger>;
  malformed: { itemsAdded: number; purchaseFinished: number };
};

export function emptyAuditLedger(): AuditLedger {
  return { itemState: emptyState, items: new Map(), firstCopies: new Map(), refunds: new Map(), holds: new Map(), malformed: { itemsAdded: 0, purchaseFinished: 0 } };
}

// Changes the ledger in place and returns it: copying it every cycle would cost the whole history again each
// time, which is what the ledger exists to avoid. Its one holder, the auditor's loop, never needs the old one.
//
// A cycle's restocks are absorbed before its results, and each result is checked once, when absorbed,
// against the restocks absorbed so far. Its own restocks are never missing: the worker decides a purchase
// only after reading the restocks before it on bps-items-added, and publishes the result only after deciding.
// So as long as every cycle reads bps-items-added up to an end taken no earlier than the end it reads
// bps-purchase-finished to, each restock a result was decided against is in the result's cycle or an earlier
// one. An honest result therefore passes, and restocks absorbed later cannot excuse a dishonest one. The
// same holds for the stock balance after each result: restocks absorbed early only raise the replay's
// available, so an honest history never falls below zero, and one that does was oversold.
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
    ...database.holds.keys(),
    ...database.outboxUnsent.keys(),
    ...(scope ?? []),
  ]);
  const itemLedgers = [...itemIds]
    .filter((itemId) => scope === undefined || scope.has(itemId))
    .sort()
    .map((itemId) => ledger.items.get(itemId) ?? newItemLedger(itemId));
  // Summed over the reported items, so that a report narrowed by itemIds counts only their messages.
  const messages = {
    itemsAdded: sumOf(itemLedgers, (item) => item.restockMessages + item.editMessages),
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
    editMessages: 0,
    resultMessages: 0,
    restocked: 0,
    restocksRejected: 0,
    succeededQuantity: 0,
    succeededCount: 0,
    failedCount: 0,
    heldQuantity: 0,
    refundedQuantity: 0,
    refundsCount: 0,
    holds: { placed: 0, confirmed: 0, cancelled: 0, expired: 0, failed: 0 },
    confirmationsUnpaired: 0,
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

// The same decide as the worker's, of the same commands (edits included, in log order), continuing from the
// records of earlier cycles, so a restock past limits.stockMax is rejected here exactly as there, whichever
// cycle brings it.
function absorbRestocks(ledger: AuditLedger, records: readonly TopicRecord<ItemsAddedMessage>[]): void {
  // decideBatch copies the item state, which a cycle without restocks need not pay for.
  if (records.length === 0) return;
  // With their restockIds, so that a restock appended twice (a client's retry) counts once, as the worker applies it.
  const commands = records.map(({ message }) => itemCommandOf(message));
  const { events, state } = decideBatch(commands, ledger.itemState);
  ledger.itemState = state;
  records.forEach((record, index) => {
    const item = itemLedgerOf(ledger, record.message.itemId);
    if (commands[index]?.type === 'EditItem') item.editMessages += 1;
    else item.restockMessages += 1;
    item.partition ??= record.partition;
    item.restocked = state.items.get(item.itemId)?.restocked ?? 0;
    if (events[index]?.type === 'RestockRejected') item.restocksRejected += 1;
    if (record.key !== record.message.itemId) {
      addFinding(item.violations, 'restock published with a key other than its itemId', `offset ${record.offset} of partition ${record.partition} has key ${JSON.stringify(record.key)}`);
    }
  });
}

function absorbResult(ledger: AuditLedger, record: TopicRecord<PurchaseFinishedMessage>): void {
  const finished = toFinishedResult(record.message);
  const item = finished.kind === 'hold' ? itemOfHold(ledger, finished.result) : itemOfPurchase(ledger, finished.result);
  item.resultMessages += 1;
  item.partition ??= record.partition;
  if (record.key !== finished.result.itemId) {
    const id = finished.kind === 'hold' ? `hold ${finished.result.holdId}` : `purchase ${finished.result.purchaseId}`;
    addFinding(item.violations, 'result published with a key other than its itemId', `${id} has key ${JSON.stringify(record.key)}`);
  }
  if (finished.kind === 'hold') absorbHoldResult(ledger, item, finished.result);
  else if (finished.result.status === 'REFUNDED') absorbRefund(ledger, item, finished.result);
  else absorbPurchaseResult(ledger, item, finished.result);
}

// A copy is counted with its first copy's item even when it names another: it is that purchase's (or hold's) copy.
function itemOfPurchase(ledger: AuditLedger, result: PurchaseResult): ItemLedger {
  return itemLedgerOf(ledger, ledger.firstCopies.get(result.purchaseId)?.itemId ?? result.itemId);
}

function itemOfHold(ledger: AuditLedger, result: HoldResult): ItemLedger {
  return itemLedgerOf(ledger, ledger.holds.get(result.holdId)?.itemId ?? result.itemId);
}

function absorbPurchaseResult(ledger: AuditLedger, item: ItemLedger, result: PurchaseResult): void {
  const first = ledger.firstCopies.get(result.purchaseId);
  if (first === undefined) absorbFirstCopy(ledger, item, result);
  else absorbCopy(item, first, result);
}

// Only first copies are counted and checked: a copy that differs is already a violation, and one that
// agrees would count the same sale twice.
function absorbFirstCopy(ledger: AuditLedger, item: ItemLedger, result: PurchaseResult): void {
  // The item ledger's itemId string is shared by all its purchases, rather than one string each.
  ledger.firstCopies.set(result.purchaseId, { ...decisionOf(result), itemId: item.itemId, detailsHash: hashDetails(result) });
  checkResult(item, result);
  if (result.status !== 'SUCCEEDED') {
    item.failedCount += 1;
    return;
  }
  item.succeededQuantity += result.quantity;
  item.succeededCount += 1;
  const hold = ledger.holds.get(result.purchaseId);
  if (hold !== undefined) absorbHoldPurchase(item, hold, result);
  checkBalance(item, `purchase ${result.purchaseId}`);
}

// The purchase of a confirmed hold: its units move from held to sold, whichever of the two results comes first.
function absorbHoldPurchase(item: ItemLedger, hold: HoldLedger, purchase: PurchaseResult): void {
  if (hold.countedInHeld) {
    item.heldQuantity -= hold.quantity;
    hold.countedInHeld = false;
  }
  if (hold.final === 'CONFIRMED') {
    item.confirmationsUnpaired -= 1;
    checkConfirmation(item, purchase.purchaseId, hold, purchase);
  } else if (hold.final === undefined) {
    item.confirmationsUnpaired += 1;
    hold.purchasedWhileHeld = true;
  } else {
    addFinding(item.violations, 'hold released although its purchase SUCCEEDED', `hold ${purchase.purchaseId} ${hold.final}, purchase ${describeResult(purchase)}`);
  }
}

function absorbCopy(item: ItemLedger, first: FirstCopy, copy: PurchaseResult): void {
  if (!sameDecision(first, copy)) {
    addFinding(item.violations, 'two results for one purchaseId disagree', `purchase ${copy.purchaseId}: ${describeResult(first)} vs ${describeResult(copy)}`);
    return;
  }
  countDuplicate(item, first.detailsHash, copy, `purchase ${copy.purchaseId}`);
}

function countDuplicate(item: ItemLedger, firstHash: number, copy: Details, what: string): void {
  item.duplicates += 1;
  if (firstHash !== hashDetails(copy)) addFinding(item.notes, 'a copy of a result differs in createdAt, decidedAt or resultMessage', what);
}

// A refund gives a SUCCEEDED purchase's units back, once. Its copies (the relay's re-sends, or the stored
// result re-published for a repeated refund) must repeat it exactly; another refundedAt is a second refund.
function absorbRefund(ledger: AuditLedger, item: ItemLedger, result: Extract<PurchaseResult, { status: 'REFUNDED' }>): void {
  const earlier = ledger.refunds.get(result.purchaseId);
  if (earlier !== undefined) {
    if (sameDecision(earlier, result) && earlier.refundedAt === result.refundedAt) countDuplicate(item, earlier.detailsHash, result, `refund of ${result.purchaseId}`);
    else addFinding(item.violations, 'two REFUNDED results for one purchaseId disagree', `purchase ${result.purchaseId}: refunded at ${earlier.refundedAt} vs ${result.refundedAt}`);
    return;
  }
  ledger.refunds.set(result.purchaseId, { ...decisionOf(result), itemId: item.itemId, detailsHash: hashDetails(result), refundedAt: result.refundedAt });
  const purchase = ledger.firstCopies.get(result.purchaseId);
  if (purchase?.status !== 'SUCCEEDED') {
    const decided = purchase === undefined ? 'no result before it' : describeResult(purchase);
    addFinding(item.violations, 'REFUNDED result for a purchase that never SUCCEEDED', `purchase ${result.purchaseId}: ${decided}`);
    return;
  }
  if (!sameDecision(purchase, { ...result, status: 'SUCCEEDED' })) {
    addFinding(item.violations, 'REFUNDED result that does not match its SUCCEEDED purchase', `purchase ${result.purchaseId}: ${describeResult(purchase)} vs ${describeResult(result)}`);
    return;
  }
  item.refundedQuantity += result.quantity;
  item.refundsCount += 1;
  checkBalance(item, `refund of ${result.purchaseId}`);
}

function absorbHoldResult(ledger: AuditLedger, item: ItemLedger, result: HoldResult): void {
  const hold = ledger.holds.get(result.holdId);
  if (hold === undefined) {
    const created: HoldLedger = { ...holdIdentityOf(result), itemId: item.itemId, states: new Map(), final: undefined, purchasedWhileHeld: false, countedInHeld: false };
    ledger.holds.set(result.holdId, created);
    // Only a confirmed hold's purchase may come first: the worker may publish it before the hold's CONFIRMED
    // when a hold is placed and confirmed in one batch.
    const purchase = ledger.firstCopies.get(result.holdId);
    if (purchase !== undefined && result.status !== 'CONFIRMED') {
      addFinding(item.violations, 'hold with the id of a purchase decided before it', `hold ${result.holdId} ${result.status} after purchase ${describeResult(purchase)}`);
    }
    absorbHoldState(ledger, item, created, result);
    return;
  }
  const state = hold.states.get(result.status);
  if (!sameHold(hold, result) || (state !== undefined && (state.reason !== result.reason || state.remaining !== result.remaining))) {
    addFinding(item.violations, 'two results for one holdId disagree', `hold ${result.holdId}: ${describeHoldLedger(hold)} vs ${describeHold(result)}`);
    return;
  }
  if (state !== undefined) countDuplicate(item, state.detailsHash, result, `hold ${result.holdId}`);
  else absorbHoldState(ledger, item, hold, result);
}

// A hold's first result in a state: HELD sets its units aside; a final state releases them (or, CONFIRMED,
// leaves them to its purchase). HELD is optional (a hold placed and decided in one batch may publish only
// its final state), so a final state without it still counts the hold as placed.
function absorbHoldState(ledger: AuditLedger, item: ItemLedger, hold: HoldLedger, result: HoldResult): void {
  hold.states.set(result.status, { reason: result.reason, remaining: result.remaining, detailsHash: hashDetails(result) });
  checkHoldResult(item, result);
  const { status } = result;
  if (status === 'HELD') {
    if (hold.final !== undefined) {
      addFinding(item.violations, 'hold HELD after its final state', `hold ${result.holdId} was ${hold.final}`);
      return;
    }
    item.holds.placed += 1;
    hold.countedInHeld = true;
    item.heldQuantity += hold.quantity;
    checkBalance(item, `hold ${result.holdId} HELD`);
    return;
  }
  if (hold.final !== undefined) {
    addFinding(item.violations, 'hold with two final states', `hold ${result.holdId}: ${hold.final} then ${status}`);
    return;
  }
  hold.final = status;
  const wasHeld = hold.states.has('HELD');
  if (hold.countedInHeld) {
    item.heldQuantity -= hold.quantity;
    hold.countedInHeld = false;
  }
  countFinalState(ledger, item, hold, result, wasHeld);
  checkBalance(item, `hold ${result.holdId} ${status}`);
}

function countFinalState(ledger: AuditLedger, item: ItemLedger, hold: HoldLedger, result: HoldResult, wasHeld: boolean): void {
  const status = hold.final;
  if (status === 'FAILED') {
    item.holds.failed += 1;
    if (wasHeld) addFinding(item.violations, 'hold FAILED after it was HELD', `hold ${result.holdId}`);
    return;
  }
  if (!wasHeld) item.holds.placed += 1;
  const purchase = ledger.firstCopies.get(result.holdId);
  const purchased = purchase?.status === 'SUCCEEDED';
  switch (status) {
    case 'CONFIRMED':
      item.holds.confirmed += 1;
      // Unpaired until its purchase comes; a purchase that came before the hold was known never counted.
      if (hold.purchasedWhileHeld) item.confirmationsUnpaired -= 1;
      else if (!purchased) item.confirmationsUnpaired += 1;
      if (purchase !== undefined) checkConfirmation(item, result.holdId, hold, purchase);
      return;
    case 'CANCELLED':
    case 'EXPIRED':
      if (status === 'CANCELLED') item.holds.cancelled += 1;
      else item.holds.expired += 1;
      if (purchased) addFinding(item.violations, 'hold released although its purchase SUCCEEDED', `hold ${result.holdId} ${status}, purchase ${describeResult(purchase)}`);
      return;
    case undefined:
      throw new Error(`hold ${result.holdId} counted without a final state`);
    default: {
      const unreachable: never = status;
      throw new Error(`unknown hold status ${String(unreachable)}`);
    }
  }
}

// A confirmed hold becomes the purchase holdId: SUCCEEDED, of the same item, quantity and buyer.
function checkConfirmation(item: ItemLedger, holdId: string, hold: HoldLedger, purchase: Decision): void {
  if (
    purchase.status === 'SUCCEEDED' &&
    purchase.itemId === hold.itemId &&
    purchase.quantity === hold.quantity &&
    purchase.purchasedBy === hold.heldBy &&
    purchase.unitPrice === hold.unitPrice
  ) {
    return;
  }
  addFinding(item.violations, 'CONFIRMED hold and its purchase disagree', `hold ${holdId}: ${describeHoldLedger(hold)} vs purchase ${describeResult(purchase)}`);
}

// The stock equation after a counted result, with available derived from the other terms: it falls below
// zero exactly when more was sold or held than restocked and refunded.
function checkBalance(item: ItemLedger, after: string): void {
  const available = item.restocked - item.heldQuantity - item.succeededQuantity + item.refundedQuantity;
  const stock = { ...newItem(item.itemId, ''), restocked: item.restocked, sold: item.succeededQuantity, available, held: item.heldQuantity, refunded: item.refundedQuantity };
  if (stockBalances(stock)) return;
  addFinding(
    item.violations,
    'oversold: the stock does not balance after a result',
    `after ${after}: available ${available} = restocked ${item.restocked} − held ${item.heldQuantity} − sold ${item.succeededQuantity} + refunded ${item.refundedQuantity}`,
  );
}

function holdIdentityOf(result: HoldResult) {
  return { itemId: result.itemId, quantity: result.quantity, heldBy: result.heldBy, createdAt: result.createdAt, expiresAt: result.expiresAt, unitPrice: result.unitPrice };
}

// What every result of one hold repeats, whatever its state.
function sameHold(hold: HoldLedger, result: HoldResult): boolean {
  return (
    hold.itemId === result.itemId &&
    hold.quantity === result.quantity &&
    hold.heldBy === result.heldBy &&
    hold.createdAt === result.createdAt &&
    hold.expiresAt === result.expiresAt &&
    hold.unitPrice === result.unitPrice
  );
}

function decisionOf(result: PurchaseResult): Decision {
  return {
    itemId: result.itemId,
    status: result.status,
    reason: result.reason,
    quantity: result.quantity,
    remaining: result.remaining,
    purchasedBy: result.purchasedBy,
    unitPrice: result.unitPrice,
    total: result.total,
  };
}

function sameDecision(first: Decision, other: Decision): boolean {
  return (
    first.status === other.status &&
    first.reason === other.reason &&
    first.remaining === other.remaining &&
    first.quantity === other.quantity &&
    first.itemId === other.itemId &&
    first.purchasedBy === other.purchasedBy &&
    first.unitPrice === other.unitPrice &&
    first.total === other.total
  );
}

function describeResult(result: Decision): string {
  const reason = result.reason === null ? '' : ` ${result.reason}`;
  return `${result.status}${reason} ${result.quantity} of ${result.itemId} by ${result.purchasedBy}, remaining ${result.remaining}${describePrice(result.unitPrice, result.total)}`;
}

function describeHold(result: HoldResult): string {
  const reason = result.reason === null ? '' : ` ${result.reason}`;
  return `${result.status}${reason} ${result.quantity} of ${result.itemId} by ${result.heldBy} until ${result.expiresAt}, remaining ${result.remaining}${describePrice(result.unitPrice, null)}`;
}

function describeHoldLedger(hold: HoldLedger): string {
  return `${hold.final ?? 'HELD'} ${hold.quantity} of ${hold.itemId} by ${hold.heldBy} until ${hold.expiresAt}${describePrice(hold.unitPrice, null)}`;
}

// Said only when there is a price, so that the examples of unpriced histories read as they did before prices.
function describePrice(unitPrice: number | null, total: number | null): string {
  const price = unitPrice === null ? '' : `, unit price ${unitPrice}`;
  return total === null ? price : `${price}, total ${total}`;
}

type Details = { createdAt: string; decidedAt: string; resultMessage: string };

// The NUL separator keeps ("a", "bc") and ("ab", "c") apart.
function hashDetails(result: Details): number {
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

// Facts each decision must fit whatever the interleaving of restocks and purchases was, checked against the
// restocks absorbed so far (absorbRecords says why the result's own are among them). Only the checks that
// depend on the restocks name their count, so the other examples read the same however the cycles fell.
// A hold's HELD or FAILED is checked as a purchase's SUCCEEDED or FAILED: the same stock was decided on.
function checkResult(item: ItemLedger, result: PurchaseResult): void {
  const example = `purchase ${result.purchaseId}: ${describeResult(result)}`;
  checkDecision(item, example, result);
  checkTotal(item, example, result);
}

// A FAILED purchase charges nothing; any other charges its unit price, as decided, for every unit.
function checkTotal(item: ItemLedger, example: string, result: PurchaseResult): void {
  if (result.status === 'FAILED') {
    if (result.total !== null) addFinding(item.violations, 'FAILED result with a total', example);
    return;
  }
  const expected = result.unitPrice === null ? null : result.unitPrice * result.quantity;
  if (result.total !== expected) addFinding(item.violations, 'SUCCEEDED result whose total is not its unitPrice × quantity', example);
}

function checkHoldResult(item: ItemLedger, result: HoldResult): void {
  const example = `hold ${result.holdId}: ${describeHold(result)}`;
  if ((result.status === 'FAILED') !== (result.reason !== null)) addFinding(item.violations, 'hold result whose reason does not fit its status', example);
  if (result.status === 'HELD') checkDecision(item, example, { status: 'SUCCEEDED', reason: null, quantity: result.quantity, remaining: result.remaining });
  else if (result.status === 'FAILED' && result.reason !== null) checkDecision(item, example, { status: 'FAILED', reason: result.reason, quantity: result.quantity, remaining: result.remaining });
  else if (result.remaining < 0) addFinding(item.violations, 'result with a negative remaining', example);
}

type Decided = { quantity: number; remaining: number } & ({ status: 'SUCCEEDED' | 'REFUNDED'; reason: null } | { status: 'FAILED'; reason: FailureReason });

function checkDecision(item: ItemLedger, example: string, result: Decided): void {
  const exampleWithRestocks = `${example}, ${item.restocked} restocked so far`;
  if (result.remaining < 0) addFinding(item.violations, 'result with a negative remaining', example);
  if (result.status !== 'FAILED') {
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
    case 'ITEM_ARCHIVED':
      if (result.remaining > item.restocked) addFinding(item.violations, 'ITEM_ARCHIVED result with more remaining than everything restocked', exampleWithRestocks);
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
  holds: Map<string, DatabaseHolds>;
  outboxUnsent: Map<string, number>;
};

const noPurchases: DatabasePurchases = { succeededQuantity: 0, succeededCount: 0, failedCount: 0, refundedQuantity: 0, refundedCount: 0 };
const noHolds: DatabaseHolds = { heldQuantity: 0, held: 0, confirmed: 0, cancelled: 0, expired: 0, failed: 0 };

function indexDatabase(snapshot: DatabaseSnapshot): DatabaseIndex {
  return {
    items: new Map(snapshot.items.map((item) => [item.itemId, item])),
    purchases: new Map(snapshot.purchases.map(({ itemId, ...purchases }) => [itemId, purchases])),
    holds: new Map(snapshot.holds.map(({ itemId, ...holds }) => [itemId, holds])),
    outboxUnsent: new Map(snapshot.outboxUnsent.map(({ itemId, count }) => [itemId, count])),
  };
}

function auditItem(ledger: ItemLedger, database: DatabaseIndex, input: AuditReportInput): ItemAudit {
  const item = database.items.get(ledger.itemId) ?? null;
  const purchases = database.purchases.get(ledger.itemId) ?? noPurchases;
  const holds = database.holds.get(ledger.itemId) ?? noHolds;
  const outboxUnsent = database.outboxUnsent.get(ledger.itemId) ?? 0;
  const lag = workerLag(ledger.partition, input);
  const violations = renderFindings(violationKinds, ledger.violations);
  const notes = renderFindings(noteKinds, ledger.notes);

  violations.push(...checkStockView(item, purchases, holds));
  const differences = [compareRestocks(ledger, item), compareResults(ledger, purchases, holds, outboxUnsent), compareConfirmations(ledger, outboxUnsent)];
  for (const difference of differences) {
    if (difference === undefined) continue;
    if (difference.always || lag === undefined) violations.push(difference.text);
    else notes.push(`${difference.text}; not a violation yet: ${lag}`);
  }
  if (outboxUnsent > 0) notes.push(`${outboxUnsent} results wait in the outbox, so the topic and the purchases and holds tables are not compared`);
  if (ledger.restockMessages + ledger.editMessages === 0 && ledger.resultMessages === 0 && item === null && purchases.succeededCount + purchases.failedCount === 0 && holdCount(holds) === 0) {
    notes.push('no trace of this item on the topics or in the database');
  }

  return {
    itemId: ledger.itemId,
    restocked: ledger.restocked,
    restocksRejected: ledger.restocksRejected,
    succeededQuantity: ledger.succeededQuantity,
    succeededCount: ledger.succeededCount,
    failedCount: ledger.failedCount,
    ...holdAndRefundFiguresOf(ledger),
    duplicates: ledger.duplicates,
    database: { item, purchases, holds, outboxUnsent },
    settled: lag === undefined,
    violations,
    notes,
  };
}

function holdAndRefundFiguresOf(ledger: ItemLedger) {
  return {
    heldQuantity: ledger.heldQuantity,
    refundedQuantity: ledger.refundedQuantity,
    refundsCount: ledger.refundsCount,
    holdsPlaced: ledger.holds.placed,
    holdsConfirmed: ledger.holds.confirmed,
    holdsCancelled: ledger.holds.cancelled,
    holdsExpired: ledger.holds.expired,
    holdsFailed: ledger.holds.failed,
  };
}

function holdCount(holds: DatabaseHolds): number {
  return holds.held + holds.confirmed + holds.cancelled + holds.expired + holds.failed;
}

// The stock view must agree with itself, with the purchases table and with the holds table at every moment:
// all three are written in the same transaction.
function checkStockView(item: DatabaseItem | null, purchases: DatabasePurchases, holds: DatabaseHolds): string[] {
  if (item === null) {
    const sold = purchases.succeededQuantity > 0 ? [`the purchases table sold ${purchases.succeededQuantity} but there is no items row`] : [];
    const held = holds.heldQuantity > 0 ? [`the holds table holds ${holds.heldQuantity} but there is no items row`] : [];
    return [...sold, ...held];
  }
  const violations: string[] = [];
  const pairs = [
    ['items.sold', item.sold, 'the SUCCEEDED and REFUNDED purchases in the purchases table sum', purchases.succeededQuantity],
    ['items.refunded', item.refunded, 'the REFUNDED purchases in the purchases table sum', purchases.refundedQuantity],
    ['items.held', item.held, 'the HELD holds in the holds table sum', holds.heldQuantity],
  ] as const;
  for (const [column, stored, source, sum] of pairs) {
    if (stored !== sum) violations.push(`${column} is ${stored} but ${source} to ${sum}`);
  }
  const balanced = item.restocked - item.held - item.sold + item.refunded;
  if (item.available !== balanced) violations.push(`items.available is ${item.available} but restocked − held − sold + refunded is ${balanced}`);
  if (item.available < 0) violations.push(`items.available is negative (${item.available})`);
  if ([item.restocked, item.held, item.sold, item.refunded].some((term) => term < 0) || item.refunded > item.sold) {
    violations.push(`the items row has a negative term or refunds more than it sold: restocked ${item.restocked}, held ${item.held}, sold ${item.sold}, refunded ${item.refunded}`);
  }
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

// Counts the database can only reach after the topic (always a violation when the database is ahead: every
// stored decision is on the topic once the outbox is empty), and held units, which also fall as holds end.
function compareResults(ledger: ItemLedger, purchases: DatabasePurchases, holds: DatabaseHolds, outboxUnsent: number): Difference | undefined {
  if (outboxUnsent > 0) return undefined;
  const active = ledger.holds.placed - ledger.holds.confirmed - ledger.holds.cancelled - ledger.holds.expired;
  const pairs = [
    ['succeeded quantity', purchases.succeededQuantity, ledger.succeededQuantity, true],
    ['succeeded purchases', purchases.succeededCount, ledger.succeededCount, true],
    ['failed purchases', purchases.failedCount, ledger.failedCount, true],
    ['refunded quantity', purchases.refundedQuantity, ledger.refundedQuantity, true],
    ['refunded purchases', purchases.refundedCount, ledger.refundsCount, true],
    ['CONFIRMED holds', holds.confirmed, ledger.holds.confirmed, true],
    ['CANCELLED holds', holds.cancelled, ledger.holds.cancelled, true],
    ['EXPIRED holds', holds.expired, ledger.holds.expired, true],
    ['FAILED holds', holds.failed, ledger.holds.failed, true],
    ['HELD holds', holds.held, active, false],
    ['held quantity', holds.heldQuantity, ledger.heldQuantity, false],
  ] as const;
  const differing = pairs.filter(([, stored, published]) => stored !== published);
  if (differing.length === 0) return undefined;
  const listed = differing.map(([label, stored, published]) => `${label} ${stored} vs ${published}`).join(', ');
  return {
    text: `the purchases and holds tables and bps-purchase-finished disagree (database vs topic): ${listed}`,
    always: differing.some(([, stored, published, monotonic]) => monotonic && stored > published),
  };
}

// A CONFIRMED hold and its purchase are two results; between them the other may still be on its way.
function compareConfirmations(ledger: ItemLedger, outboxUnsent: number): Difference | undefined {
  if (ledger.confirmationsUnpaired === 0 || outboxUnsent > 0) return undefined;
  return { text: `${ledger.confirmationsUnpaired} CONFIRMED holds without their SUCCEEDED purchase (or purchases of a HELD hold without its CONFIRMED)`, always: false };
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
    heldQuantity: sum((item) => item.heldQuantity),
    refundedQuantity: sum((item) => item.refundedQuantity),
    refundsCount: sum((item) => item.refundsCount),
    holdsPlaced: sum((item) => item.holdsPlaced),
    holdsConfirmed: sum((item) => item.holdsConfirmed),
    holdsCancelled: sum((item) => item.holdsCancelled),
    holdsExpired: sum((item) => item.holdsExpired),
    holdsFailed: sum((item) => item.holdsFailed),
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
