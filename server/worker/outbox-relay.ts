// Publishes decided results from the outbox to bps-purchase-finished, then marks them sent. The decision
// and its outbox row were committed together, so a crash between send and mark only means a re-send of
// the identical result; nothing is lost and nothing changes.
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { getPrisma } from '../db/client';
import { purchaseFinishedMessageSchema } from '../contract';
import { decodeMessage, encodeMessage, resultPositionHeaders } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';

export type OutboxRelay = {
  // Only the owner of a partition relays its results, so they reach the topic in decision order.
  setOwnedPartitions(partitions: readonly number[]): void;
  wake(): void;
  stop(): Promise<void>;
};

export function startOutboxRelay(producer: Producer, log: Logger): OutboxRelay {
  let owned: number[] = [];
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function sendOnce(): Promise<number> {
    if (owned.length === 0) return 0;
    const prisma = getPrisma();
    const rows = await prisma.$queryRaw<{ id: bigint; partition: number; key: string; payload: string }[]>`
      SELECT id, partition, key, payload::text AS payload FROM outbox
      WHERE sent_at IS NULL AND partition = ANY(${owned}::int[])
      ORDER BY id LIMIT ${limits.relayBatchSizeMax}`;
    if (rows.length === 0) return 0;
    const messages = rows.map((row) => {
      const decoded = decodeMessage(purchaseFinishedMessageSchema, Buffer.from(row.payload));
      // The worker validated this result before storing it; a row that fails now was corrupted in the database.
      if (!decoded.ok) throw new Error(`outbox row ${row.id} is not a valid result: ${decoded.error}`);
      return {
        key: row.key,
        value: encodeMessage(purchaseFinishedMessageSchema, decoded.value),
        // The result's place in its partition's outbox: live feeds resume from it (see server/realtime).
        headers: resultPositionHeaders({ partition: row.partition, sequence: Number(row.id) }),
      };
    });
    await producer.send({ topic: topics.purchaseFinished, acks: -1, messages });
    await prisma.$executeRaw`UPDATE outbox SET sent_at = now() WHERE id = ANY(${rows.map((row) => row.id.toString())}::bigint[])`;
    return rows.length;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while (!stopped && (await sendOnce()) === limits.relayBatchSizeMax);
      } catch (error) {
        // Kafka or Postgres is away; the sweep tries again shortly.
        log.warn({ err: error }, 'outbox relay could not publish; will retry');
        return;
      }
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain().finally(() => {
      draining = undefined;
    });
  }

  const sweep = setInterval(wake, limits.relaySweepIntervalMs);
  return {
    setOwnedPartitions(partitions) {
      owned = [...partitions];
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      await draining;
    },
  };
}
