// The chaos run's reads: decisions and stock in Postgres (plain pg, one statement each, so a read during the
// PostgreSQL restart fails fast and is tried again), and every result record on the results topic.
import type { Admin, Kafka } from 'kafkajs';
import { purchaseFinishedMessageSchema, toFinishedResult } from '../contract';
import { getPool } from '../db/pool';
import { getPrisma } from '../db/client';
import { TopicFollower } from '../audit/topic-follower';
import { decodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import type { DatabaseDecision, ItemStock, TopicResult } from './verdict';

// The purchaseIds among these that have a decision.
export async function decidedAmong(purchaseIds: readonly string[]): Promise<string[]> {
  if (purchaseIds.length === 0) return [];
  const { rows } = await getPool().query<{ purchase_id: string }>('SELECT purchase_id FROM purchases WHERE purchase_id = ANY($1::text[])', [purchaseIds]);
  return rows.map((row) => row.purchase_id);
}

export async function readDecisions(itemIds: readonly string[]): Promise<DatabaseDecision[]> {
  const { rows } = await getPool().query<{ purchase_id: string; item_id: string; quantity: number; status: 'SUCCEEDED' | 'FAILED' | 'REFUNDED'; reason: string | null; remaining: number }>(
    'SELECT purchase_id, item_id, quantity, status, reason, remaining FROM purchases WHERE item_id = ANY($1::text[])',
    [itemIds],
  );
  return rows.map((row) => ({ purchaseId: row.purchase_id, itemId: row.item_id, quantity: row.quantity, status: row.status, reason: row.reason, remaining: row.remaining }));
}

export async function readItems(itemIds: readonly string[]): Promise<ItemStock[]> {
  const { rows } = await getPool().query<{ item_id: string; restocked: number; sold: number; available: number; held: number; refunded: number }>(
    'SELECT item_id, restocked, sold, available, held, refunded FROM items WHERE item_id = ANY($1::text[])',
    [itemIds],
  );
  return rows.map((row) => ({ itemId: row.item_id, restocked: row.restocked, sold: row.sold, available: row.available, held: row.held, refunded: row.refunded }));
}

// Results stored but not yet published by the relay.
export async function countOutboxUnsent(itemIds: readonly string[]): Promise<number> {
  const { rows } = await getPool().query<{ count: string }>(
    `SELECT count(*) AS count FROM outbox o LEFT JOIN outbox_positions p ON p.partition = o.partition
     WHERE o.id > COALESCE(p.sent_up_to, 0) AND o.key = ANY($1::text[])`,
    [itemIds],
  );
  return Number(rows[0]?.count ?? 0);
}

// A fresh database starts its worker at the input topics' current ends: records of earlier runs on the same
// broker are neither replayed nor a reason to refuse (the worker's offset guard).
export async function startAtTopicEnds(admin: Admin): Promise<void> {
  for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const nextOffset = BigInt(end.high);
      await getPrisma().consumerOffset.upsert({ where: { topic_partition: { topic, partition: end.partition } }, create: { topic, partition: end.partition, nextOffset }, update: { nextOffset } });
    }
  }
}

// Every purchase result on the results topic up to its current end, for these items; a malformed one is
// counted. Hold results are left out: the chaos buyers only purchase.
export async function readResults(kafka: Kafka, admin: Admin, itemIds: readonly string[]): Promise<{ results: TopicResult[]; malformed: number }> {
  const scope = new Set(itemIds);
  const ends = (await admin.fetchTopicOffsets(topics.purchaseFinished)).map((end) => ({ partition: end.partition, low: Number(end.low), high: Number(end.high) }));
  const follower = await TopicFollower.start(kafka, [topics.purchaseFinished]);
  const results: TopicResult[] = [];
  let malformed = 0;
  try {
    await follower.readUpTo(topics.purchaseFinished, ends, (records) => {
      for (const record of records) {
        const message = decodeMessage(purchaseFinishedMessageSchema, record.value);
        if (!message.ok) {
          malformed += 1;
          continue;
        }
        const finished = toFinishedResult(message.value);
        if (finished.kind === 'purchase' && scope.has(finished.result.itemId)) {
          const { purchaseId, itemId, quantity, status, reason, remaining, decidedAt } = finished.result;
          results.push({ purchaseId, itemId, quantity, status, reason, remaining, decidedAt });
        }
      }
    });
  } finally {
    await follower.stop();
  }
  return { results, malformed };
}
