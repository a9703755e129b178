// The auditor's adapter: a snapshot of Postgres, then both topics read up to the ends taken right after it,
// absorbed into the pure audit's ledger (./audit.ts explains why the snapshot must come first). An Auditor
// keeps its ledger and its place on the topics between cycles, so each cycle reads only what is new: the
// auditor process (./main.ts) runs one for ever; a full audit (npm run audit, a seller's job) is a fresh one
// run for one cycle.
import type { Admin, Kafka } from 'kafkajs';
import type { z } from 'zod';
import { itemsAddedMessageSchema, purchaseFinishedMessageSchema, type AuditReport, type HoldStatus } from '../contract';
import { config } from '../config';
import { getPrisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { createKafka } from '../kafka/client';
import { decodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { absorbRecords, emptyAuditLedger, reportAudit, type AuditLedger, type DatabaseSnapshot, type PartitionOffset, type TopicRecord } from './audit';
import { TopicFollower, type FollowedRecord, type PartitionEnd } from './topic-follower';

export type AuditProgress = { messagesRead: number; messagesTotal: number };

export type CycleOptions = {
  // Only these items are audited (and only their records are absorbed); all items when absent. Meant for a
  // one-cycle Auditor (runAudit): a long-running one would drop the other items' records for good.
  itemIds?: readonly string[];
  onProgress?: (progress: AuditProgress) => void;
};

type TopicEnds = { itemsAdded: PartitionEnd[]; purchaseCreated: PartitionEnd[]; purchaseFinished: PartitionEnd[] };

export class Auditor {
  private readonly ledger: AuditLedger = emptyAuditLedger();

  private constructor(
    private readonly admin: Admin,
    private readonly follower: TopicFollower,
  ) {}

  static async start(kafka: Kafka): Promise<Auditor> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return new Auditor(admin, await TopicFollower.start(kafka, [topics.itemsAdded, topics.purchaseFinished]));
    } catch (error) {
      await admin.disconnect();
      throw error;
    }
  }

  // Snapshot, ends, then restocks before results: a result's restocks are always absorbed before it.
  async cycle(options: CycleOptions = {}): Promise<AuditReport> {
    const scope = options.itemIds === undefined ? undefined : new Set(options.itemIds);
    const database = await readDatabaseSnapshot(options.itemIds);
    const deadLettered = await readDeadLetteredRestocks();
    const ends = await fetchTopicEnds(this.admin);
    const progress: AuditProgress = { messagesRead: 0, messagesTotal: countBetween(ends.itemsAdded) + countBetween(ends.purchaseFinished) };
    const absorb = (records: FollowedRecord[], restocks: boolean) => {
      absorbRecords(this.ledger, restocks ? decodeRestocks(records, scope, deadLettered) : decodeResults(records, scope));
      progress.messagesRead += records.length;
      options.onProgress?.({ ...progress });
    };
    await this.follower.readUpTo(topics.itemsAdded, ends.itemsAdded, (records) => absorb(records, true));
    await this.follower.readUpTo(topics.purchaseFinished, ends.purchaseFinished, (records) => absorb(records, false));
    return reportAudit(this.ledger, {
      inputEnds: { itemsAdded: nextOffsets(ends.itemsAdded), purchaseCreated: nextOffsets(ends.purchaseCreated) },
      truncatedTopics: [
        ...(ends.itemsAdded.some((end) => end.low > 0) ? [topics.itemsAdded] : []),
        ...(ends.purchaseFinished.some((end) => end.low > 0) ? [topics.purchaseFinished] : []),
      ],
      database,
      itemIds: options.itemIds,
    });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.follower.stop(), this.admin.disconnect()]);
  }
}

// A full audit: both topics from their first offset, once.
export async function runAudit(options: CycleOptions = {}): Promise<AuditReport> {
  const auditor = await Auditor.start(createKafka(`${config.KAFKA_CLIENT_ID}-audit`));
  try {
    return await auditor.cycle(options);
  } finally {
    await auditor.stop();
  }
}

// For a full audit from an empty ledger this is everything there is to read; a later cycle reads less.
function countBetween(ends: readonly PartitionEnd[]): number {
  return ends.reduce((total, end) => total + (end.high - end.low), 0);
}

const inScope = (scope: ReadonlySet<string> | undefined, itemId: string) => scope === undefined || scope.has(itemId);

// A restock the worker dead-lettered was never applied, so it is not absorbed either: one PostgreSQL refused
// passes the contract and would otherwise count as stock the items row lacks. (Malformed ones are counted below.)
function decodeRestocks(records: readonly FollowedRecord[], scope: ReadonlySet<string> | undefined, deadLettered: ReadonlySet<string>) {
  const applied = records.filter((record) => !deadLettered.has(recordPosition(record.partition, record.offset)));
  const { decoded, malformed } = decodeInScope(itemsAddedMessageSchema, applied, scope);
  return { restocks: decoded, results: [], malformed: { itemsAdded: malformed, purchaseFinished: 0 } };
}

function decodeResults(records: readonly FollowedRecord[], scope: ReadonlySet<string> | undefined) {
  const { decoded, malformed } = decodeInScope(purchaseFinishedMessageSchema, records, scope);
  return { restocks: [], results: decoded, malformed: { itemsAdded: 0, purchaseFinished: malformed } };
}

// A message that fails the contract is counted, not absorbed: the report says how many were skipped.
function decodeInScope<Message extends { itemId: string }>(schema: z.ZodType<Message>, records: readonly FollowedRecord[], scope: ReadonlySet<string> | undefined) {
  const decoded: TopicRecord<Message>[] = [];
  let malformed = 0;
  for (const record of records) {
    const message = decodeMessage(schema, record.value);
    if (!message.ok) malformed += 1;
    else if (inScope(scope, message.value.itemId)) decoded.push({ partition: record.partition, offset: record.offset, key: record.key, message: message.value });
  }
  return { decoded, malformed };
}

const recordPosition = (partition: number, offset: number | bigint | string) => `${partition}:${offset}`;

// Read after the snapshot and before the topics' ends: every restock the worker had passed by then that it
// dead-lettered is in this set. One dead-lettered after a cycle absorbed it stays counted until the next full
// audit; dead letters are rare, and GET /api/dead-letters lists them. Not bounded: each row is an operator's
// problem that someone must look at, so their number stays small.
async function readDeadLetteredRestocks(): Promise<Set<string>> {
  const rows = await getPrisma().deadLetter.findMany({ where: { topic: topics.itemsAdded }, select: { partition: true, offset: true } });
  return new Set(rows.map((row) => recordPosition(row.partition, row.offset)));
}

// One repeatable-read transaction, so the stock view, the purchases, the holds, the outbox and the worker's positions
// are all seen at the same instant.
async function readDatabaseSnapshot(itemIds: readonly string[] | undefined): Promise<DatabaseSnapshot> {
  const onlyItems = itemIds === undefined ? {} : { itemId: { in: [...itemIds] } };
  return getPrisma().$transaction(
    async (transaction) => {
      const items = await transaction.item.findMany({ where: onlyItems, select: { itemId: true, restocked: true, sold: true, available: true, held: true, refunded: true } });
      const purchaseGroups = await transaction.purchase.groupBy({
        by: ['itemId', 'status'],
        where: onlyItems,
        _sum: { quantity: true },
        _count: { _all: true },
      });
      const holdGroups = await transaction.hold.groupBy({ by: ['itemId', 'status'], where: onlyItems, _sum: { quantity: true }, _count: { _all: true } });
      // The relay publishes each outbox row with its key, the result's itemId; unsent rows lie past their
      // partition's position.
      const unsent = await transaction.$queryRaw<{ key: string; count: bigint }[]>`
        SELECT o.key, count(*) AS count FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
        WHERE o.id > COALESCE(p.sent_up_to, 0) AND o.topic = ${topics.purchaseFinished}
          AND (${itemIds === undefined} OR o.key = ANY(${[...(itemIds ?? [])]}::text[]))
        GROUP BY o.key`;
      const positions = await transaction.consumerOffset.findMany({
        where: { topic: { in: [topics.itemsAdded, topics.purchaseCreated] } },
        select: { topic: true, partition: true, nextOffset: true },
      });
      const positionsOf = (topic: string): PartitionOffset[] =>
        positions.filter((row) => row.topic === topic).map((row) => ({ partition: row.partition, offset: Number(row.nextOffset) }));
      return {
        items,
        purchases: summarisePurchases(purchaseGroups),
        holds: summariseHolds(holdGroups),
        outboxUnsent: unsent.map((group) => ({ itemId: group.key, count: Number(group.count) })),
        workerPositions: { itemsAdded: positionsOf(topics.itemsAdded), purchaseCreated: positionsOf(topics.purchaseCreated) },
      };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: limits.auditReadTimeoutMs, maxWait: limits.connectTimeoutMs },
  );
}

type Group<Status> = { itemId: string; status: Status; _sum: { quantity: number | null }; _count: { _all: number } };

// Per item, as the stock view counts: a REFUNDED purchase was sold (and then refunded).
function summarisePurchases(groups: readonly Group<'SUCCEEDED' | 'FAILED' | 'REFUNDED'>[]): DatabaseSnapshot['purchases'] {
  const byItem = new Map<string, DatabaseSnapshot['purchases'][number]>();
  for (const group of groups) {
    const summary = byItem.get(group.itemId) ?? { itemId: group.itemId, succeededQuantity: 0, succeededCount: 0, failedCount: 0, refundedQuantity: 0, refundedCount: 0 };
    const quantity = group._sum.quantity ?? 0;
    if (group.status === 'FAILED') {
      summary.failedCount += group._count._all;
    } else {
      summary.succeededQuantity += quantity;
      summary.succeededCount += group._count._all;
    }
    if (group.status === 'REFUNDED') {
      summary.refundedQuantity += quantity;
      summary.refundedCount += group._count._all;
    }
    byItem.set(group.itemId, summary);
  }
  return [...byItem.values()];
}

function summariseHolds(groups: readonly Group<HoldStatus>[]): DatabaseSnapshot['holds'] {
  const byItem = new Map<string, DatabaseSnapshot['holds'][number]>();
  const field = { HELD: 'held', CONFIRMED: 'confirmed', CANCELLED: 'cancelled', EXPIRED: 'expired', FAILED: 'failed' } as const;
  for (const group of groups) {
    const summary = byItem.get(group.itemId) ?? { itemId: group.itemId, heldQuantity: 0, held: 0, confirmed: 0, cancelled: 0, expired: 0, failed: 0 };
    summary[field[group.status]] += group._count._all;
    if (group.status === 'HELD') summary.heldQuantity += group._sum.quantity ?? 0;
    byItem.set(group.itemId, summary);
  }
  return [...byItem.values()];
}

// The results' end first: every result read up to it was decided from restocks and purchases already on the
// input topics, so their ends, taken after it, cover them. The other order could read a result whose restock
// or purchase lies past the input ends: a false violation, and one the incremental ledger would keep.
async function fetchTopicEnds(admin: Admin): Promise<TopicEnds> {
  const endsOf = async (topic: string): Promise<PartitionEnd[]> =>
    (await admin.fetchTopicOffsets(topic)).map((offsets) => ({ partition: offsets.partition, low: Number(offsets.low), high: Number(offsets.high) }));
  const purchaseFinished = await endsOf(topics.purchaseFinished);
  return { purchaseFinished, itemsAdded: await endsOf(topics.itemsAdded), purchaseCreated: await endsOf(topics.purchaseCreated) };
}

function nextOffsets(ends: readonly PartitionEnd[]): PartitionOffset[] {
  return ends.map((end) => ({ partition: end.partition, offset: end.high }));
}
