// The auditor's adapter: a snapshot of Postgres, then both topics read from the beginning up to the ends
// taken right after it, handed to the pure audit (./audit.ts explains why the snapshot must come first).
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { config } from '../config';
import { getPrisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { createKafka } from '../kafka/client';
import { decodeMessage, itemsAddedSchema, purchaseFinishedSchema, type ItemsAddedMessage, type PurchaseFinishedMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { audit, type AuditReport, type DatabaseSnapshot, type PartitionOffset, type TopicRecord } from './audit';

export type RunAuditOptions = {
  // Only these items are audited (and only their rows and messages are kept); all items when absent.
  itemIds?: readonly string[];
};

export async function runAudit(options: RunAuditOptions = {}): Promise<AuditReport> {
  const database = await readDatabaseSnapshot(options.itemIds);
  const kafka = createKafka(`${config.KAFKA_CLIENT_ID}-audit`);
  const ends = await fetchTopicEnds(kafka);
  const read = await readTopics(kafka, ends, options.itemIds);
  return audit({
    restocks: read.restocks,
    results: read.results,
    malformed: read.malformed,
    inputEnds: { itemsAdded: nextOffsets(ends.itemsAdded), purchaseCreated: nextOffsets(ends.purchaseCreated) },
    truncatedTopics: [
      ...(ends.itemsAdded.some((end) => end.low > 0) ? [topics.itemsAdded] : []),
      ...(ends.purchaseFinished.some((end) => end.low > 0) ? [topics.purchaseFinished] : []),
    ],
    database,
    itemIds: options.itemIds,
  });
}

// One repeatable-read transaction, so the stock view, the purchases, the outbox and the worker's positions
// are all seen at the same instant.
async function readDatabaseSnapshot(itemIds: readonly string[] | undefined): Promise<DatabaseSnapshot> {
  const onlyItems = itemIds === undefined ? {} : { itemId: { in: [...itemIds] } };
  const onlyKeys = itemIds === undefined ? {} : { key: { in: [...itemIds] } };
  return getPrisma().$transaction(
    async (transaction) => {
      const items = await transaction.item.findMany({ where: onlyItems, select: { itemId: true, restocked: true, sold: true, available: true } });
      const purchaseGroups = await transaction.purchase.groupBy({
        by: ['itemId', 'status'],
        where: onlyItems,
        _sum: { quantity: true },
        _count: { _all: true },
      });
      // The relay publishes each outbox row with its key, the result's itemId.
      const unsent = await transaction.outboxMessage.groupBy({
        by: ['key'],
        where: { sentAt: null, topic: topics.purchaseFinished, ...onlyKeys },
        _count: { _all: true },
      });
      const positions = await transaction.consumerOffset.findMany({
        where: { topic: { in: [topics.itemsAdded, topics.purchaseCreated] } },
        select: { topic: true, partition: true, nextOffset: true },
      });
      const positionsOf = (topic: string): PartitionOffset[] =>
        positions.filter((row) => row.topic === topic).map((row) => ({ partition: row.partition, offset: Number(row.nextOffset) }));
      return {
        items,
        purchases: summarisePurchases(purchaseGroups),
        outboxUnsent: unsent.map((group) => ({ itemId: group.key, count: group._count._all })),
        workerPositions: { itemsAdded: positionsOf(topics.itemsAdded), purchaseCreated: positionsOf(topics.purchaseCreated) },
      };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: limits.auditReadTimeoutMs, maxWait: limits.connectTimeoutMs },
  );
}

type PurchaseGroup = { itemId: string; status: 'SUCCEEDED' | 'FAILED'; _sum: { quantity: number | null }; _count: { _all: number } };

function summarisePurchases(groups: readonly PurchaseGroup[]): DatabaseSnapshot['purchases'] {
  const byItem = new Map<string, { itemId: string; succeededQuantity: number; succeededCount: number; failedCount: number }>();
  for (const group of groups) {
    const summary = byItem.get(group.itemId) ?? { itemId: group.itemId, succeededQuantity: 0, succeededCount: 0, failedCount: 0 };
    if (group.status === 'SUCCEEDED') {
      summary.succeededQuantity += group._sum.quantity ?? 0;
      summary.succeededCount += group._count._all;
    } else {
      summary.failedCount += group._count._all;
    }
    byItem.set(group.itemId, summary);
  }
  return [...byItem.values()];
}

type PartitionEnd = { partition: number; low: number; high: number };
type TopicEnds = { itemsAdded: PartitionEnd[]; purchaseCreated: PartitionEnd[]; purchaseFinished: PartitionEnd[] };

async function fetchTopicEnds(kafka: Kafka): Promise<TopicEnds> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const endsOf = async (topic: string): Promise<PartitionEnd[]> =>
      (await admin.fetchTopicOffsets(topic)).map((offsets) => ({ partition: offsets.partition, low: Number(offsets.low), high: Number(offsets.high) }));
    return {
      itemsAdded: await endsOf(topics.itemsAdded),
      purchaseCreated: await endsOf(topics.purchaseCreated),
      purchaseFinished: await endsOf(topics.purchaseFinished),
    };
  } finally {
    await admin.disconnect();
  }
}

function nextOffsets(ends: readonly PartitionEnd[]): PartitionOffset[] {
  return ends.map((end) => ({ partition: end.partition, offset: end.high }));
}

type TopicsRead = {
  restocks: TopicRecord<ItemsAddedMessage>[];
  results: TopicRecord<PurchaseFinishedMessage>[];
  malformed: { itemsAdded: number; purchaseFinished: number };
};

// kafkajs has no assign(): a fresh group that commits nothing reads everything from the beginning, once.
async function readTopics(kafka: Kafka, ends: TopicEnds, itemIds: readonly string[] | undefined): Promise<TopicsRead> {
  const scope = itemIds === undefined ? undefined : new Set(itemIds);
  const read: TopicsRead = { restocks: [], results: [], malformed: { itemsAdded: 0, purchaseFinished: 0 } };
  const endOf = new Map<string, number>();
  for (const [topic, partitionEnds] of [[topics.itemsAdded, ends.itemsAdded], [topics.purchaseFinished, ends.purchaseFinished]] as const) {
    for (const end of partitionEnds) endOf.set(`${topic}/${end.partition}`, end.high);
  }
  // Empty partitions (high = low) are done before they start.
  const unfinished = new Set(
    [...ends.itemsAdded.map((end) => ({ topic: topics.itemsAdded, ...end })), ...ends.purchaseFinished.map((end) => ({ topic: topics.purchaseFinished, ...end }))]
      .filter((end) => end.high > end.low)
      .map((end) => `${end.topic}/${end.partition}`),
  );
  if (unfinished.size > 0) {
    await consumeUntil(kafka, unfinished, endOf, (topic, partition, message) => keep(read, scope, topic, partition, message));
  }
  const byPosition = (left: { partition: number; offset: number }, right: { partition: number; offset: number }): number =>
    left.partition - right.partition || left.offset - right.offset;
  read.restocks.sort(byPosition);
  read.results.sort(byPosition);
  return read;
}

function keep(read: TopicsRead, scope: ReadonlySet<string> | undefined, topic: string, partition: number, message: KafkaMessage): void {
  const position = { partition, offset: Number(message.offset), key: message.key?.toString('utf8') ?? null };
  if (topic === topics.itemsAdded) {
    const decoded = decodeMessage(itemsAddedSchema, message.value);
    if (!decoded.ok) read.malformed.itemsAdded += 1;
    else if (scope === undefined || scope.has(decoded.value.itemId)) read.restocks.push({ ...position, message: decoded.value });
    return;
  }
  const decoded = decodeMessage(purchaseFinishedSchema, message.value);
  if (!decoded.ok) read.malformed.purchaseFinished += 1;
  else if (scope === undefined || scope.has(decoded.value.itemId)) read.results.push({ ...position, message: decoded.value });
}

async function consumeUntil(
  kafka: Kafka,
  unfinished: Set<string>,
  endOf: ReadonlyMap<string, number>,
  onMessage: (topic: string, partition: number, message: KafkaMessage) => void,
): Promise<void> {
  const consumer = kafka.consumer({
    groupId: `${config.KAFKA_CLIENT_ID}-audit-${randomUUID()}`,
    allowAutoTopicCreation: false,
    // Only committed messages count: an aborted transaction's results were never delivered to anyone.
    readUncommitted: false,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.itemsAdded, topics.purchaseFinished], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`audit read timed out after ${limits.auditReadTimeoutMs} ms; unfinished: ${[...unfinished].join(', ')}`)), limits.auditReadTimeoutMs);
      trackProgress(consumer, unfinished, endOf, resolve, reject);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = endOf.get(`${batch.topic}/${batch.partition}`) ?? 0;
            for (const message of batch.messages) {
              // Messages appended after the audit started belong to the next audit.
              if (Number(message.offset) >= end) break;
              onMessage(batch.topic, batch.partition, message);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

// The batch-end event also fires for batches of control records only (a transaction's commit marker can be
// a partition's last offset), which eachBatch never sees; so progress is tracked here, not in eachBatch.
function trackProgress(
  consumer: Consumer,
  unfinished: Set<string>,
  endOf: ReadonlyMap<string, number>,
  resolve: () => void,
  reject: (error: Error) => void,
): void {
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}/${payload.partition}`;
    const end = endOf.get(key);
    if (end === undefined || !unfinished.has(key)) return;
    if (Number(payload.lastOffset) + 1 >= end) unfinished.delete(key);
    if (unfinished.size === 0) resolve();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // kafkajs restarts the consumer after retriable errors; only a crash it gives up on ends the read.
    if (!payload.restart) reject(payload.error);
  });
}
