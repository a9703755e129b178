// Goal: the pure auditor, whole or cycle by cycle, tells an honest history (lag, re-sent results, seller's edits and
// prices included) from oversells, conflicting results, totals that do not add up and a database that disagrees with
// the topics, as given/when/then without any infrastructure.
import { describe, expect, it } from 'vitest';
import { holdFinishedMessage, itemsAddedSchemaVersion, purchaseFinishedMessage, type DatabaseHolds, type HoldResult, type PurchaseResult, type DatabaseItem, type DatabasePurchases, type ItemsAddedMessage, type PurchaseFinishedMessage } from '../contract';
import { limits } from '../limits';
import {
  absorbRecords,
  audit,
  emptyAuditLedger,
  reportAudit,
  type AuditInput,
  type AuditReport,
  type ItemAudit,
  type TopicRecord,
} from './audit';

const createdAt = '2026-11-26T10:00:00.000Z';
const decidedAt = '2026-11-26T10:00:01.000Z';

function restock(itemId: string, quantity: number, offset = 0): TopicRecord<ItemsAddedMessage> {
  return { partition: 0, offset, key: itemId, message: { schemaVersion: 1, itemId, description: 'Dune', quantity, addedAt: createdAt } };
}

type Outcome = { status: 'SUCCEEDED' } | { status: 'FAILED'; reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM' | 'ITEM_ARCHIVED' };

function result(purchaseId: string, itemId: string, quantity: number, remaining: number, outcome: Outcome = { status: 'SUCCEEDED' }, offset = 0): TopicRecord<PurchaseFinishedMessage> {
  // A version 1 record has no prices: decoding gives it null ones.
  const fields = { schemaVersion: 1 as const, purchaseId, itemId, quantity, purchasedBy: 'alice', remaining, unitPrice: null, total: null, resultMessage: 'done', createdAt, decidedAt };
  const message: PurchaseFinishedMessage =
    outcome.status === 'SUCCEEDED' ? { ...fields, status: 'SUCCEEDED', reason: null } : { ...fields, status: 'FAILED', reason: outcome.reason };
  return { partition: 0, offset, key: itemId, message };
}

type HoldOutcome = { status: Exclude<HoldResult['status'], 'FAILED'> } | { status: 'FAILED'; reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM' };

// A version 2 hold result, as the worker publishes each state of a hold.
function holdResult(holdId: string, itemId: string, quantity: number, remaining: number, outcome: HoldOutcome, offset = 0): TopicRecord<PurchaseFinishedMessage> {
  const reason = outcome.status === 'FAILED' ? outcome.reason : null;
  const fields = { holdId, itemId, quantity, heldBy: 'alice', remaining, unitPrice: null, resultMessage: outcome.status, createdAt, expiresAt: '2026-11-26T10:10:00.000Z', decidedAt };
  return { partition: 0, offset, key: itemId, message: holdFinishedMessage({ ...fields, status: outcome.status, reason }) };
}

// A version 2 purchase result: SUCCEEDED, or REFUNDED at refundedAt.
function purchaseResult(purchaseId: string, itemId: string, quantity: number, remaining: number, refundedAt?: string, offset = 0): TopicRecord<PurchaseFinishedMessage> {
  const fields = { purchaseId, itemId, quantity, purchasedBy: 'alice', remaining, unitPrice: null, total: null, resultMessage: 'done', createdAt, decidedAt, reason: null };
  const result: PurchaseResult = refundedAt === undefined ? { ...fields, status: 'SUCCEEDED' } : { ...fields, status: 'REFUNDED', refundedAt };
  return { partition: 0, offset, key: itemId, message: purchaseFinishedMessage(result) };
}

type Given = {
  restocks?: TopicRecord<ItemsAddedMessage>[];
  results?: TopicRecord<PurchaseFinishedMessage>[];
  // Rows without holds or refunds may leave those columns out (they are 0).
  items?: (Omit<DatabaseItem, 'held' | 'refunded'> & Partial<DatabaseItem>)[];
  purchases?: (Omit<DatabasePurchases, 'refundedQuantity' | 'refundedCount'> & Partial<DatabasePurchases> & { itemId: string })[];
  holds?: (DatabaseHolds & { itemId: string })[];
  outboxUnsent?: { itemId: string; count: number }[];
  // The worker's positions on partition 0 of both input topics; the audit read up to offset 10 of each.
  workerAt?: number;
  itemIds?: string[];
  truncatedTopics?: string[];
};

function given(history: Given): AuditInput {
  const ends = [{ partition: 0, offset: 10 }];
  const positions = [{ partition: 0, offset: history.workerAt ?? 10 }];
  return {
    restocks: history.restocks ?? [],
    results: history.results ?? [],
    malformed: { itemsAdded: 0, purchaseFinished: 0 },
    inputEnds: { itemsAdded: ends, purchaseCreated: ends },
    truncatedTopics: history.truncatedTopics ?? [],
    database: {
      items: (history.items ?? []).map((item) => ({ held: 0, refunded: 0, ...item })),
      purchases: (history.purchases ?? []).map((purchases) => ({ refundedQuantity: 0, refundedCount: 0, ...purchases })),
      holds: history.holds ?? [],
      outboxUnsent: history.outboxUnsent ?? [],
      workerPositions: { itemsAdded: positions, purchaseCreated: positions },
    },
    itemIds: history.itemIds,
  };
}

// The long-running auditor's way: one absorbRecords per read cycle, then a report on the history's database.
function auditInCycles(cycles: readonly Given[], history: Given): AuditReport {
  const ledger = emptyAuditLedger();
  for (const cycle of cycles) absorbRecords(ledger, given(cycle));
  return reportAudit(ledger, given(history));
}

function itemOf(items: readonly ItemAudit[], itemId: string): ItemAudit {
  const item = items.find((candidate) => candidate.itemId === itemId);
  if (!item) throw new Error(`${itemId} is not in the report`);
  return item;
}

// Five restocked; 2 sold, 4 refused (3 left), 3 sold; the database agrees.
const honest: Given = {
  restocks: [restock('dune', 5)],
  results: [
    result('p1', 'dune', 2, 3),
    result('p2', 'dune', 4, 3, { status: 'FAILED', reason: 'OUT_OF_STOCK' }, 1),
    result('p3', 'dune', 3, 0, { status: 'SUCCEEDED' }, 2),
  ],
  items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 0 }],
  purchases: [{ itemId: 'dune', succeededQuantity: 5, succeededCount: 2, failedCount: 1 }],
};

describe('an honest history', () => {
  it('is clean, with the totals of the topics', () => {
    const report = audit(given(honest));
    expect(report.violations).toEqual([]);
    expect(report.clean).toBe(true);
    expect(itemOf(report.items, 'dune')).toMatchObject({ restocked: 5, succeededQuantity: 5, succeededCount: 2, failedCount: 1, duplicates: 0, settled: true });
    expect(report.totals).toMatchObject({ items: 1, restocked: 5, succeededQuantity: 5, messages: { itemsAdded: 1, purchaseFinished: 3 } });
  });

  it('counts identical copies of a result (relay re-send, repeated purchaseId) as duplicates, and stays clean', () => {
    const report = audit(given({ ...honest, results: [...(honest.results ?? []), result('p1', 'dune', 2, 3, { status: 'SUCCEEDED' }, 3), result('p1', 'dune', 2, 3, { status: 'SUCCEEDED' }, 4)] }));
    expect(report.clean).toBe(true);
    expect(itemOf(report.items, 'dune')).toMatchObject({ duplicates: 2, succeededQuantity: 5, succeededCount: 2 });
    expect(report.notes).toEqual([]);
  });

  it('notes, without failing, a copy that agrees on the decision but not on decidedAt', () => {
    const copy = result('p1', 'dune', 2, 3, { status: 'SUCCEEDED' }, 3);
    copy.message.decidedAt = '2026-11-26T11:00:00.000Z';
    const report = audit(given({ ...honest, results: [...(honest.results ?? []), copy] }));
    expect(report.clean).toBe(true);
    expect(itemOf(report.items, 'dune').duplicates).toBe(1);
    expect(report.notes).toEqual([expect.stringContaining('dune: a copy of a result differs in createdAt, decidedAt or resultMessage')]);
  });

  it('does not count a restock past limits.stockMax, exactly as the domain rejects it', () => {
    const restocksToLimit = limits.stockMax / limits.quantityMax;
    const restocks = Array.from({ length: restocksToLimit + 1 }, (_, offset) => restock('bulk', limits.quantityMax, offset));
    const report = audit(given({ restocks, items: [{ itemId: 'bulk', restocked: limits.stockMax, sold: 0, available: limits.stockMax }] }));
    expect(itemOf(report.items, 'bulk')).toMatchObject({ restocked: limits.stockMax, restocksRejected: 1 });
    expect(report.clean).toBe(true);
  });

  it('counts a restock appended twice with one restockId once, exactly as the worker applies it', () => {
    const keyed = (offset: number): TopicRecord<ItemsAddedMessage> => ({
      partition: 0,
      offset,
      key: 'dune',
      message: { schemaVersion: itemsAddedSchemaVersion, kind: 'restock', restockId: 'r1', itemId: 'dune', description: 'Dune', quantity: 5, addedAt: createdAt },
    });
    const report = audit(given({ ...honest, restocks: [keyed(0), keyed(1)] }));
    expect(report.violations).toEqual([]);
    expect(itemOf(report.items, 'dune')).toMatchObject({ restocked: 5 });
  });
});

describe('an oversold history', () => {
  it('is a violation naming the item when results sold more than was restocked', () => {
    const report = audit(
      given({
        restocks: [restock('dune', 3)],
        results: [result('p1', 'dune', 2, 1), result('p2', 'dune', 2, 0, { status: 'SUCCEEDED' }, 1)],
        items: [{ itemId: 'dune', restocked: 3, sold: 4, available: -1 }],
        purchases: [{ itemId: 'dune', succeededQuantity: 4, succeededCount: 2, failedCount: 0 }],
      }),
    );
    expect(report.clean).toBe(false);
    expect(report.violations).toEqual([
      'dune: oversold: the stock does not balance after a result: after purchase p2: available -1 = restocked 3 − held 0 − sold 4 + refunded 0',
      'dune: items.available is negative (-1)',
    ]);
  });

  it('is a violation when a SUCCEEDED result leaves more than was ever restocked', () => {
    const report = audit(given({ ...honest, results: [result('p1', 'dune', 2, 9)], purchases: [{ itemId: 'dune', succeededQuantity: 2, succeededCount: 1, failedCount: 0 }], items: [{ itemId: 'dune', restocked: 5, sold: 2, available: 3 }] }));
    expect(report.violations).toEqual([expect.stringMatching(/^dune: SUCCEEDED result whose quantity plus remaining exceeds everything restocked: purchase p1/)]);
  });

  it('is a violation when a result carries a negative remaining', () => {
    const report = audit(given({ ...honest, results: [result('p1', 'dune', 2, -1)], purchases: [{ itemId: 'dune', succeededQuantity: 2, succeededCount: 1, failedCount: 0 }], items: [{ itemId: 'dune', restocked: 5, sold: 2, available: 3 }] }));
    expect(report.violations).toEqual([expect.stringMatching(/^dune: result with a negative remaining: purchase p1/)]);
  });

  it('is a violation when a purchase failed as out of stock although enough remained', () => {
    const report = audit(given({ ...honest, results: [result('p1', 'dune', 2, 4, { status: 'FAILED', reason: 'OUT_OF_STOCK' })], purchases: [{ itemId: 'dune', succeededQuantity: 0, succeededCount: 0, failedCount: 1 }], items: [{ itemId: 'dune', restocked: 5, sold: 0, available: 5 }] }));
    expect(report.violations).toEqual([expect.stringMatching(/^dune: OUT_OF_STOCK although the remaining stock covered the quantity/)]);
  });
});

describe('results that contradict each other or their key', () => {
  it('is a violation when two results for one purchaseId differ in the decision', () => {
    const conflicting = result('p1', 'dune', 2, 3, { status: 'FAILED', reason: 'OUT_OF_STOCK' }, 3);
    const report = audit(given({ ...honest, results: [...(honest.results ?? []), conflicting] }));
    expect(report.clean).toBe(false);
    expect(report.violations).toEqual([
      'dune: two results for one purchaseId disagree: purchase p1: SUCCEEDED 2 of dune by alice, remaining 3 vs FAILED OUT_OF_STOCK 2 of dune by alice, remaining 3',
    ]);
    // The first copy is the one counted.
    expect(itemOf(report.items, 'dune')).toMatchObject({ succeededQuantity: 5, failedCount: 1, duplicates: 0 });
  });

  it('summarises many violations of one kind in one line', () => {
    const conflicts = ['p1', 'p3'].map((purchaseId, index) => result(purchaseId, 'dune', 9, 0, { status: 'SUCCEEDED' }, 10 + index));
    const report = audit(given({ ...honest, results: [...(honest.results ?? []), ...conflicts] }));
    expect(report.violations).toEqual([expect.stringMatching(/^dune: two results for one purchaseId disagree: purchase p1: .* \(and 1 more\)$/)]);
  });

  it('is a violation when a message is keyed by something other than its itemId', () => {
    const misrouted = { ...restock('dune', 5), key: 'other' };
    const report = audit(given({ ...honest, restocks: [misrouted] }));
    expect(report.violations).toEqual(['dune: restock published with a key other than its itemId: offset 0 of partition 0 has key "other"']);
  });
});

describe('the database against the topics', () => {
  it('is a violation when items.sold disagrees with the purchases table', () => {
    const report = audit(given({ ...honest, items: [{ itemId: 'dune', restocked: 5, sold: 4, available: 1 }] }));
    expect(report.violations).toEqual(['dune: items.sold is 4 but the SUCCEEDED and REFUNDED purchases in the purchases table sum to 5']);
  });

  it('is a violation when items.available is not restocked − held − sold + refunded', () => {
    const report = audit(given({ ...honest, items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 2 }] }));
    expect(report.violations).toEqual(['dune: items.available is 2 but restocked − held − sold + refunded is 0']);
  });

  it('is a violation when the settled database restocked less than the topic', () => {
    const report = audit(given({ ...honest, items: [{ itemId: 'dune', restocked: 4, sold: 5, available: -1 }] }));
    expect(report.violations).toContain('dune: items.restocked is 4 but bps-items-added restocked 5');
  });

  it('is a violation, even while the worker lags, when the database restocked more than the topic', () => {
    const report = audit(given({ ...honest, workerAt: 3, items: [{ itemId: 'dune', restocked: 7, sold: 5, available: 2 }] }));
    expect(report.violations).toEqual(['dune: items.restocked is 7, more than the 5 accepted on bps-items-added']);
  });

  it('is a violation when the database holds decided purchases the drained outbox never published', () => {
    const report = audit(
      given({ ...honest, workerAt: 3, purchases: [{ itemId: 'dune', succeededQuantity: 5, succeededCount: 2, failedCount: 2 }] }),
    );
    expect(report.violations).toEqual([
      'dune: the purchases and holds tables and bps-purchase-finished disagree (database vs topic): failed purchases 2 vs 1',
    ]);
  });

  it('is a violation when an item in the database never appears on the topics, or a settled topic item is missing from the database', () => {
    const report = audit(
      given({ restocks: [restock('dune', 5)], items: [{ itemId: 'ghost', restocked: 0, sold: 0, available: 0 }] }),
    );
    expect(report.violations).toEqual([
      'dune: 5 restocked on bps-items-added but no items row',
      'ghost: has an items row (restocked 0) but no restock on bps-items-added',
    ]);
  });

  it('is a violation when the purchases table sold units of an item without an items row', () => {
    const report = audit(given({ purchases: [{ itemId: 'ghost', succeededQuantity: 1, succeededCount: 1, failedCount: 0 }] }));
    expect(report.violations).toContain('ghost: the purchases table sold 1 but there is no items row');
  });
});

// Five restocked. h1 holds 2 and is confirmed (the purchase h1); h2 holds 1 and expires; p1 buys 3 and is
// refunded. 3 are left: available 3 + held 0 + sold 5 − refunded 3 = 5. The database agrees.
const refundedAt = '2026-11-26T10:05:00.000Z';
const withHolds: Given = {
  restocks: [restock('dune', 5)],
  results: [
    holdResult('h1', 'dune', 2, 3, { status: 'HELD' }, 0),
    holdResult('h1', 'dune', 2, 3, { status: 'CONFIRMED' }, 1),
    purchaseResult('h1', 'dune', 2, 3, undefined, 2),
    holdResult('h2', 'dune', 1, 2, { status: 'HELD' }, 3),
    holdResult('h2', 'dune', 1, 3, { status: 'EXPIRED' }, 4),
    purchaseResult('p1', 'dune', 3, 0, undefined, 5),
    purchaseResult('p1', 'dune', 3, 0, refundedAt, 6),
    holdResult('h3', 'dune', 9, 3, { status: 'FAILED', reason: 'OUT_OF_STOCK' }, 7),
  ],
  items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 3, held: 0, refunded: 3 }],
  purchases: [{ itemId: 'dune', succeededQuantity: 5, succeededCount: 2, failedCount: 0, refundedQuantity: 3, refundedCount: 1 }],
  holds: [{ itemId: 'dune', heldQuantity: 0, held: 0, confirmed: 1, cancelled: 0, expired: 1, failed: 1 }],
};
const withHoldsResults = withHolds.results ?? [];
const at = (index: number): TopicRecord<PurchaseFinishedMessage> => {
  const record = withHoldsResults[index];
  if (record === undefined) throw new Error(`no result ${index} in withHolds`);
  return record;
};

describe('holds and refunds', () => {
  it('is clean for an honest history of holds, a confirmation and a refund, with their figures', () => {
    const report = audit(given(withHolds));
    expect(report.violations).toEqual([]);
    expect(report.notes).toEqual([]);
    expect(itemOf(report.items, 'dune')).toMatchObject({
      succeededQuantity: 5,
      succeededCount: 2,
      heldQuantity: 0,
      refundedQuantity: 3,
      refundsCount: 1,
      holdsPlaced: 2,
      holdsConfirmed: 1,
      holdsExpired: 1,
      holdsCancelled: 0,
      holdsFailed: 1,
      duplicates: 0,
    });
    expect(report.totals).toMatchObject({ refundedQuantity: 3, holdsPlaced: 2, holdsConfirmed: 1 });
  });

  it('stays clean when a confirmed hold\'s purchase comes before its CONFIRMED, or its HELD was never published', () => {
    const reordered = [at(0), at(2), at(1), ...withHoldsResults.slice(3)];
    expect(audit(given({ ...withHolds, results: reordered })).violations).toEqual([]);
    const withoutHeld = [at(2), at(1), ...withHoldsResults.slice(3)];
    expect(audit(given({ ...withHolds, results: withoutHeld })).violations).toEqual([]);
  });

  it('counts re-sent states, even an older HELD after CONFIRMED, and a re-published refund as duplicates', () => {
    const report = audit(given({ ...withHolds, results: [...withHoldsResults, { ...at(0), offset: 8 }, { ...at(6), offset: 9 }, { ...at(5), offset: 10 }] }));
    expect(report.violations).toEqual([]);
    expect(itemOf(report.items, 'dune')).toMatchObject({ duplicates: 3, refundsCount: 1, holdsConfirmed: 1 });
  });

  it('is a violation when a hold reaches two final states, or is HELD again after its final state', () => {
    const cancelled = holdResult('h1', 'dune', 2, 5, { status: 'CANCELLED' }, 8);
    const report = audit(given({ ...withHolds, results: [...withHoldsResults, cancelled] }));
    expect(report.violations).toEqual(['dune: hold with two final states: hold h1: CONFIRMED then CANCELLED']);
    const heldAgain = holdResult('h2', 'dune', 1, 2, { status: 'HELD' }, 8);
    const late = audit(given({ ...withHolds, results: [...withHoldsResults.filter((record) => record !== at(3)), heldAgain] }));
    expect(late.violations).toContain('dune: hold HELD after its final state: hold h2 was EXPIRED');
  });

  it('is a violation when a refund matches no succeeded purchase, when one is refunded twice, or refunded with other data', () => {
    const orphan = purchaseResult('p9', 'dune', 1, 0, refundedAt, 8);
    expect(audit(given({ ...withHolds, results: [...withHoldsResults, orphan] })).violations).toContain(
      'dune: REFUNDED result for a purchase that never SUCCEEDED: purchase p9: no result before it',
    );
    const second = purchaseResult('p1', 'dune', 3, 0, '2026-11-26T10:06:00.000Z', 8);
    expect(audit(given({ ...withHolds, results: [...withHoldsResults, second] })).violations).toEqual([
      `dune: two REFUNDED results for one purchaseId disagree: purchase p1: refunded at ${refundedAt} vs 2026-11-26T10:06:00.000Z`,
    ]);
    const other = [...withHoldsResults.slice(0, 6), purchaseResult('p1', 'dune', 2, 0, refundedAt, 6)];
    expect(audit(given({ ...withHolds, results: other })).violations).toContain(
      'dune: REFUNDED result that does not match its SUCCEEDED purchase: purchase p1: SUCCEEDED 3 of dune by alice, remaining 0 vs REFUNDED 2 of dune by alice, remaining 0',
    );
  });

  it('is a violation when held units are sold: the stock stops balancing at that result', () => {
    const report = audit(
      given({
        restocks: [restock('dune', 1)],
        results: [holdResult('h1', 'dune', 1, 0, { status: 'HELD' }), purchaseResult('p1', 'dune', 1, 0, undefined, 1)],
        items: [{ itemId: 'dune', restocked: 1, sold: 1, available: 0, held: 1, refunded: 0 }],
        purchases: [{ itemId: 'dune', succeededQuantity: 1, succeededCount: 1, failedCount: 0 }],
        holds: [{ itemId: 'dune', heldQuantity: 1, held: 1, confirmed: 0, cancelled: 0, expired: 0, failed: 0 }],
      }),
    );
    expect(report.violations).toContain('dune: oversold: the stock does not balance after a result: after purchase p1: available -1 = restocked 1 − held 1 − sold 1 + refunded 0');
  });

  it('is a violation when a settled CONFIRMED hold has no purchase, or a purchase that disagrees; a note while the worker lags', () => {
    const withoutPurchase = { ...withHolds, results: withHoldsResults.filter((record) => record !== at(2)), purchases: [{ itemId: 'dune', succeededQuantity: 3, succeededCount: 1, failedCount: 0, refundedQuantity: 3, refundedCount: 1 }], items: [{ itemId: 'dune', restocked: 5, sold: 3, available: 5, held: 0, refunded: 3 }] };
    expect(audit(given(withoutPurchase)).violations).toEqual([
      'dune: 1 CONFIRMED holds without their SUCCEEDED purchase (or purchases of a HELD hold without its CONFIRMED)',
    ]);
    expect(audit(given({ ...withoutPurchase, workerAt: 5 })).notes).toEqual([
      'dune: 1 CONFIRMED holds without their SUCCEEDED purchase (or purchases of a HELD hold without its CONFIRMED); not a violation yet: the worker was at offset 5 of 10 on bps-items-added partition 0 and at offset 5 of 10 on bps-purchase-created partition 0',
    ]);
    const larger = [at(0), at(1), purchaseResult('h1', 'dune', 1, 3, undefined, 2)];
    expect(audit(given({ ...withHolds, results: larger })).violations).toContain(
      'dune: CONFIRMED hold and its purchase disagree: hold h1: CONFIRMED 2 of dune by alice until 2026-11-26T10:10:00.000Z vs purchase SUCCEEDED 1 of dune by alice, remaining 3',
    );
  });

  it('is a violation when items.held, items.refunded or the holds table disagree with the topic or each other', () => {
    const report = audit(given({ ...withHolds, items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 2, held: 1, refunded: 3 }] }));
    expect(report.violations).toEqual(['dune: items.held is 1 but the HELD holds in the holds table sum to 0']);
    const holds = [{ itemId: 'dune', heldQuantity: 0, held: 0, confirmed: 1, cancelled: 1, expired: 1, failed: 1 }];
    expect(audit(given({ ...withHolds, holds, workerAt: 5 })).violations).toEqual([
      'dune: the purchases and holds tables and bps-purchase-finished disagree (database vs topic): CANCELLED holds 1 vs 0',
    ]);
    const refunded = { ...withHolds, items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 0, held: 0, refunded: 0 }] };
    expect(audit(given(refunded)).violations).toEqual(['dune: items.refunded is 0 but the REFUNDED purchases in the purchases table sum to 3']);
  });
});

describe('lag', () => {
  it('is not a violation while results wait in the outbox', () => {
    // p3 is decided and stored, but the relay has not published it yet.
    const report = audit(given({ ...honest, results: (honest.results ?? []).slice(0, 2), outboxUnsent: [{ itemId: 'dune', count: 1 }] }));
    expect(report.clean).toBe(true);
    expect(report.totals.outboxUnsent).toBe(1);
    expect(report.notes).toEqual(['dune: 1 results wait in the outbox, so the topic and the purchases and holds tables are not compared']);
  });

  it('is not a violation while the worker has not applied the input the topics already hold', () => {
    const report = audit(given({ ...honest, restocks: [restock('dune', 5), restock('dune', 2, 1)], workerAt: 1 }));
    expect(report.clean).toBe(true);
    expect(itemOf(report.items, 'dune').settled).toBe(false);
    expect(report.notes).toEqual([
      'dune: items.restocked is 5 but bps-items-added restocked 7; not a violation yet: the worker was at offset 1 of 10 on bps-items-added partition 0 and at offset 1 of 10 on bps-purchase-created partition 0',
    ]);
  });
});

describe('scope and bad input', () => {
  it('audits only the given items and reports a given item nothing mentions', () => {
    const report = audit(given({ ...honest, restocks: [...(honest.restocks ?? []), restock('other', 1, 1)], itemIds: ['dune', 'absent'] }));
    expect(report.items.map((item) => item.itemId)).toEqual(['absent', 'dune']);
    expect(report.clean).toBe(true);
    expect(report.notes).toEqual(['absent: no trace of this item on the topics or in the database']);
    expect(report.totals.messages).toEqual({ itemsAdded: 1, purchaseFinished: 3 });
  });

  it('reports malformed messages as notes, not violations', () => {
    const report = audit({ ...given(honest), malformed: { itemsAdded: 2, purchaseFinished: 1 } });
    expect(report.clean).toBe(true);
    expect(report.totals.malformed).toEqual({ itemsAdded: 2, purchaseFinished: 1 });
    expect(report.notes).toEqual(['bps-items-added: 2 malformed messages skipped', 'bps-purchase-finished: 1 malformed messages skipped']);
  });

  it('is a violation when retention deleted the beginning of a topic, since its totals are then incomplete', () => {
    const report = audit(given({ ...honest, truncatedTopics: ['bps-items-added'] }));
    expect(report.violations).toEqual(['bps-items-added: history does not start at offset 0 (retention deleted messages), so its totals are incomplete']);
  });

  it('is clean for an empty history', () => {
    const report = audit(given({}));
    expect(report).toMatchObject({ items: [], violations: [], notes: [], clean: true, totals: { items: 0 } });
  });
});

describe('the incremental ledger, one read cycle at a time', () => {
  it('reports an honest history read over three cycles exactly as the one-shot audit', () => {
    const results = honest.results ?? [];
    const report = auditInCycles([{ restocks: honest.restocks }, { results: results.slice(0, 2) }, { results: results.slice(2) }], honest);
    expect(report).toStrictEqual(audit(given(honest)));
    expect(report.clean).toBe(true);
  });

  it('checks a result read in a later cycle than its restock against that restock', () => {
    const history: Given = { ...honest, purchases: [{ itemId: 'dune', succeededQuantity: 2, succeededCount: 1, failedCount: 0 }], items: [{ itemId: 'dune', restocked: 5, sold: 2, available: 3 }] };
    expect(auditInCycles([{ restocks: [restock('dune', 5)] }, { results: [result('p1', 'dune', 2, 3)] }], history).clean).toBe(true);
    const report = auditInCycles([{ restocks: [restock('dune', 5)] }, { results: [result('p1', 'dune', 2, 9)] }], history);
    expect(report.violations).toEqual([
      'dune: SUCCEEDED result whose quantity plus remaining exceeds everything restocked: purchase p1: SUCCEEDED 2 of dune by alice, remaining 9, 5 restocked so far',
    ]);
  });

  it('does not let a restock read in a later cycle excuse a result read before it, which the one-shot audit cannot tell', () => {
    // Leaving 7 after selling 2 needs 9 units, but only 5 had been restocked when the result was published.
    const history: Given = {
      restocks: [restock('dune', 5), restock('dune', 5, 1)],
      results: [result('p1', 'dune', 2, 7)],
      items: [{ itemId: 'dune', restocked: 10, sold: 2, available: 8 }],
      purchases: [{ itemId: 'dune', succeededQuantity: 2, succeededCount: 1, failedCount: 0 }],
    };
    const report = auditInCycles([{ restocks: [restock('dune', 5)], results: [result('p1', 'dune', 2, 7)] }, { restocks: [restock('dune', 5, 1)] }], history);
    expect(report.violations).toEqual([expect.stringMatching(/^dune: SUCCEEDED result whose quantity plus remaining exceeds everything restocked: .*, 5 restocked so far$/)]);
    expect(audit(given(history)).clean).toBe(true);
  });

  it('rejects a restock past limits.stockMax read in a later cycle, exactly as the domain does', () => {
    const restocksToLimit = limits.stockMax / limits.quantityMax;
    const toLimit = Array.from({ length: restocksToLimit }, (_, offset) => restock('bulk', limits.quantityMax, offset));
    const history: Given = { items: [{ itemId: 'bulk', restocked: limits.stockMax, sold: 0, available: limits.stockMax }] };
    const report = auditInCycles([{ restocks: toLimit }, { restocks: [restock('bulk', 1, restocksToLimit)] }], history);
    expect(itemOf(report.items, 'bulk')).toMatchObject({ restocked: limits.stockMax, restocksRejected: 1 });
    expect(report.clean).toBe(true);
  });

  it('counts a copy read in a later cycle as a duplicate, and a conflicting one as a violation', () => {
    const copy = result('p1', 'dune', 2, 3, { status: 'SUCCEEDED' }, 3);
    const conflicting = result('p1', 'dune', 2, 3, { status: 'FAILED', reason: 'OUT_OF_STOCK' }, 4);
    const report = auditInCycles([honest, { results: [copy] }, { results: [conflicting] }], honest);
    expect(itemOf(report.items, 'dune')).toMatchObject({ duplicates: 1, succeededQuantity: 5, succeededCount: 2, failedCount: 1 });
    expect(report.violations).toEqual([expect.stringMatching(/^dune: two results for one purchaseId disagree: purchase p1: /)]);
  });

  it('adds up malformed messages over cycles, and a report stays as it was when the ledger absorbs more', () => {
    const ledger = emptyAuditLedger();
    const earlier = reportAudit(absorbRecords(ledger, { ...given(honest), malformed: { itemsAdded: 2, purchaseFinished: 0 } }), given(honest));
    const later = reportAudit(absorbRecords(ledger, { restocks: [], results: [], malformed: { itemsAdded: 1, purchaseFinished: 1 } }), given(honest));
    expect(earlier.totals.malformed).toEqual({ itemsAdded: 2, purchaseFinished: 0 });
    expect(later.totals.malformed).toEqual({ itemsAdded: 3, purchaseFinished: 1 });
    expect(reportAudit(ledger, given(honest))).toStrictEqual(later);
  });

  it('reports only the given items of a ledger that absorbed every item, counting only their messages', () => {
    const ledger = absorbRecords(emptyAuditLedger(), given({ ...honest, restocks: [...(honest.restocks ?? []), restock('other', 1, 1)] }));
    const report = reportAudit(ledger, given({ ...honest, itemIds: ['dune', 'absent'] }));
    expect(report.items.map((item) => item.itemId)).toEqual(['absent', 'dune']);
    expect(report.totals.messages).toEqual({ itemsAdded: 1, purchaseFinished: 3 });
  });
});

// A version 3 record of bps-items-added: a restock with its price, or a seller's edit.
function pricedRestock(itemId: string, quantity: number, unitPrice: number, offset = 0): TopicRecord<ItemsAddedMessage> {
  return { partition: 0, offset, key: itemId, message: { schemaVersion: itemsAddedSchemaVersion, kind: 'restock', itemId, description: 'Dune', quantity, unitPrice, addedAt: createdAt } };
}
function edit(itemId: string, changes: Extract<ItemsAddedMessage, { kind: 'edit' }>['changes'], offset = 0): TopicRecord<ItemsAddedMessage> {
  return { partition: 0, offset, key: itemId, message: { schemaVersion: itemsAddedSchemaVersion, kind: 'edit', itemId, changes, requestedAt: createdAt } };
}
const priced = (record: TopicRecord<PurchaseFinishedMessage>, unitPrice: number | null, total: number | null): TopicRecord<PurchaseFinishedMessage> => ({
  ...record,
  message: { ...record.message, unitPrice, ...('purchaseId' in record.message ? { total } : {}) } as PurchaseFinishedMessage,
});

// Five restocked at 1250; p1 buys 2 (2500); the price becomes 900 and p2 buys 3 (2700); p3 fails, charging
// nothing; the item is archived and p4 fails ITEM_ARCHIVED; an edit of an item never restocked changes nothing.
const withPrices: Given = {
  restocks: [pricedRestock('dune', 5, 1250, 0), edit('dune', { unitPrice: 900 }, 1), edit('dune', { archived: true }, 2), edit('emma', { unitPrice: 1 }, 3)],
  results: [
    priced(result('p1', 'dune', 2, 3), 1250, 2500),
    priced(result('p2', 'dune', 3, 0, { status: 'SUCCEEDED' }, 1), 900, 2700),
    priced(result('p3', 'dune', 1, 0, { status: 'FAILED', reason: 'OUT_OF_STOCK' }, 2), 900, null),
    priced(result('p4', 'dune', 1, 0, { status: 'FAILED', reason: 'ITEM_ARCHIVED' }, 3), 900, null),
  ],
  items: [{ itemId: 'dune', restocked: 5, sold: 5, available: 0 }],
  purchases: [{ itemId: 'dune', succeededQuantity: 5, succeededCount: 2, failedCount: 2 }],
};
const withPricesResults = withPrices.results ?? [];
const pricedAt = (index: number): TopicRecord<PurchaseFinishedMessage> => {
  const record = withPricesResults[index];
  if (record === undefined) throw new Error(`no result ${index} in withPrices`);
  return record;
};

describe('prices and edits', () => {
  it('is clean for an honest priced history with edits, which count as messages and change no stock', () => {
    const report = audit(given(withPrices));
    expect(report.violations).toEqual([]);
    expect(itemOf(report.items, 'dune')).toMatchObject({ restocked: 5, succeededQuantity: 5, succeededCount: 2, failedCount: 2 });
    expect(report.totals.messages.itemsAdded).toBe(4);
    // The edit of an item never restocked leaves a trace on the topic, and no stock.
    expect(itemOf(report.items, 'emma')).toMatchObject({ restocked: 0 });
    expect(report.notes).not.toContain('emma: no trace of this item on the topics or in the database');
  });

  it('is a violation when the database has an item whose only records are edits', () => {
    const report = audit(given({ restocks: [edit('emma', { unitPrice: 1 })], items: [{ itemId: 'emma', restocked: 0, sold: 0, available: 0 }] }));
    expect(report.violations).toEqual(['emma: has an items row (restocked 0) but no restock on bps-items-added']);
  });

  it('is a violation when a succeeded total is not unitPrice × quantity, or a price without a total, or a total without a price', () => {
    const wrong = [priced(result('p1', 'dune', 2, 3), 1250, 2499), priced(result('p2', 'dune', 1, 2, { status: 'SUCCEEDED' }, 1), 1250, null), priced(result('p3', 'dune', 1, 1, { status: 'SUCCEEDED' }, 2), null, 5)];
    const report = audit(given({ restocks: [pricedRestock('dune', 5, 1250)], results: wrong, items: [{ itemId: 'dune', restocked: 5, sold: 4, available: 1 }], purchases: [{ itemId: 'dune', succeededQuantity: 4, succeededCount: 3, failedCount: 0 }] }));
    expect(report.violations).toEqual([
      'dune: SUCCEEDED result whose total is not its unitPrice × quantity: purchase p1: SUCCEEDED 2 of dune by alice, remaining 3, unit price 1250, total 2499 (and 2 more)',
    ]);
  });

  it('is a violation when a FAILED result charges a total', () => {
    const results = [...withPricesResults.slice(0, 2), priced(pricedAt(2), 900, 900), pricedAt(3)];
    expect(audit(given({ ...withPrices, results })).violations).toEqual(['dune: FAILED result with a total: purchase p3: FAILED OUT_OF_STOCK 1 of dune by alice, remaining 0, unit price 900, total 900']);
  });

  it('is a violation when two copies of a purchase disagree on the price, or a refund on its purchase\'s total', () => {
    const copy = { ...priced(pricedAt(0), 900, 1800), offset: 9 };
    expect(audit(given({ ...withPrices, results: [...withPricesResults, copy] })).violations).toEqual([
      'dune: two results for one purchaseId disagree: purchase p1: SUCCEEDED 2 of dune by alice, remaining 3, unit price 1250, total 2500 vs SUCCEEDED 2 of dune by alice, remaining 3, unit price 900, total 1800',
    ]);
    const refund = priced(purchaseResult('p1', 'dune', 2, 3, '2026-11-26T10:05:00.000Z', 9), 1250, 2000);
    expect(audit(given({ ...withPrices, results: [...withPricesResults, refund] })).violations).toContain(
      'dune: REFUNDED result that does not match its SUCCEEDED purchase: purchase p1: SUCCEEDED 2 of dune by alice, remaining 3, unit price 1250, total 2500 vs REFUNDED 2 of dune by alice, remaining 3, unit price 1250, total 2000',
    );
  });

  it("is a violation when a confirmed hold's purchase charges another price than the hold fixed", () => {
    const hold = (status: 'HELD' | 'CONFIRMED', offset: number) => priced(holdResult('h1', 'dune', 2, 3, { status }, offset), 1250, null);
    const honestHold: Given = {
      restocks: [pricedRestock('dune', 5, 1250), edit('dune', { unitPrice: 2000 }, 1)],
      results: [hold('HELD', 0), hold('CONFIRMED', 1), priced(purchaseResult('h1', 'dune', 2, 3, undefined, 2), 1250, 2500)],
      items: [{ itemId: 'dune', restocked: 5, sold: 2, available: 3 }],
      purchases: [{ itemId: 'dune', succeededQuantity: 2, succeededCount: 1, failedCount: 0 }],
      holds: [{ itemId: 'dune', heldQuantity: 0, held: 0, confirmed: 1, cancelled: 0, expired: 0, failed: 0 }],
    };
    expect(audit(given(honestHold)).violations).toEqual([]);
    const repriced = [hold('HELD', 0), hold('CONFIRMED', 1), priced(purchaseResult('h1', 'dune', 2, 3, undefined, 2), 2000, 4000)];
    expect(audit(given({ ...honestHold, results: repriced })).violations).toEqual([
      'dune: CONFIRMED hold and its purchase disagree: hold h1: CONFIRMED 2 of dune by alice until 2026-11-26T10:10:00.000Z, unit price 1250 vs purchase SUCCEEDED 2 of dune by alice, remaining 3, unit price 2000, total 4000',
    ]);
    const heldAgain = { ...priced(holdResult('h1', 'dune', 2, 3, { status: 'HELD' }, 3), 900, null) };
    expect(audit(given({ ...honestHold, results: [...(honestHold.results ?? []), heldAgain] })).violations).toContain(
      'dune: two results for one holdId disagree: hold h1: CONFIRMED 2 of dune by alice until 2026-11-26T10:10:00.000Z, unit price 1250 vs HELD 2 of dune by alice until 2026-11-26T10:10:00.000Z, remaining 3, unit price 900',
    );
  });

  it('is a violation when an ITEM_ARCHIVED result leaves more than was ever restocked', () => {
    const results = [...withPricesResults.slice(0, 3), priced(result('p4', 'dune', 1, 6, { status: 'FAILED', reason: 'ITEM_ARCHIVED' }, 3), 900, null)];
    expect(audit(given({ ...withPrices, results })).violations).toEqual([
      'dune: ITEM_ARCHIVED result with more remaining than everything restocked: purchase p4: FAILED ITEM_ARCHIVED 1 of dune by alice, remaining 6, unit price 900, 5 restocked so far',
    ]);
  });

  it('decides an edit read in a later cycle after the restocks of earlier cycles, as the one-shot audit does', () => {
    const cycles: Given[] = [
      { restocks: [pricedRestock('dune', 5, 1250, 0)], results: [pricedAt(0)] },
      { restocks: (withPrices.restocks ?? []).slice(1), results: withPricesResults.slice(1) },
    ];
    expect(auditInCycles(cycles, withPrices)).toEqual(audit(given(withPrices)));
  });
});
