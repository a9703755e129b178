// A backlog of purchases appended straight to bps-purchase-created, bypassing the web tier, so that the
// workers alone are measured: npm run bench's worker backlog and npm run bench:scaling share it. Every message
// is encoded (and so checked against the contract) before any is sent, so the workers stay paused only for
// the sends themselves.
import type { Message, Producer } from 'kafkajs';
import { purchaseCreatedMessageSchema, purchaseCreatedSchemaVersion } from '../contract';
import { encodeMessage } from '../kafka/messages';

export type PurchaseBacklog = {
  // Purchases go to these items in turn, so a list spread evenly over the partitions loads them evenly.
  itemIds: readonly string[];
  count: number;
  // purchaseId is `${idPrefix}-${index}`: unique within a run, so every purchase is decided once.
  idPrefix: string;
  purchasedBy: string;
  createdAt: string;
};

// One produce request per chunk: 1,000 purchases of about 200 bytes stay well under the broker's 1 MB.
export const backlogChunkSizeMax = 1_000;

// Quantity 1 each, keyed by itemId as the web tier keys them, in the version the web tier writes.
export function backlogChunks(backlog: PurchaseBacklog, chunkSize = backlogChunkSizeMax): Message[][] {
  if (backlog.itemIds.length === 0) throw new Error('a purchase backlog needs at least one item');
  const chunks: Message[][] = [];
  for (let start = 0; start < backlog.count; start += chunkSize) {
    chunks.push(Array.from({ length: Math.min(chunkSize, backlog.count - start) }, (_, offset) => backlogMessage(backlog, start + offset)));
  }
  return chunks;
}

function backlogMessage(backlog: PurchaseBacklog, index: number): Message {
  const itemId = backlog.itemIds[index % backlog.itemIds.length] ?? '';
  const value = encodeMessage(purchaseCreatedMessageSchema, {
    schemaVersion: purchaseCreatedSchemaVersion,
    kind: 'purchase',
    purchaseId: `${backlog.idPrefix}-${index}`,
    itemId,
    quantity: 1,
    purchasedBy: backlog.purchasedBy,
    createdAt: backlog.createdAt,
  });
  return { key: itemId, value };
}

// One chunk after another, each acknowledged by all in-sync replicas, as the web tier's purchases are. The
// sender is a producer or one of its transactions (whose records no worker sees before the commit).
export async function appendBacklog(producer: Pick<Producer, 'send'>, topic: string, chunks: readonly Message[][]): Promise<void> {
  for (const messages of chunks) await producer.send({ topic, acks: -1, messages });
}
