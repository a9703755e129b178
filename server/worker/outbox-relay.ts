// Publishes decided results from the outbox to bps-purchase-finished, then moves each partition's position
// (outbox_positions) past them. The decision and its outbox row were committed together, so a crash between
// send and move only means a re-send of the identical result; nothing is lost and nothing changes. Every
// limits.outboxPruneIntervalMs it also prunes its partitions' sent results older than the resume window.
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { getPool } from '../db/pool';
import { purchaseFinishedMessageSchema } from '../contract';
import { decodeMessage, resultPositionHeaders } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import { pruneOutbox } from './outbox-pruning';

export type OutboxRelay = {
  // Only the owner of a partition relays its results, so they reach the topic in decision order.
  setOwnedPartitions(partitions: readonly number[]): void;
  wake(): void;
  stop(): Promise<void>;
};

export function startOutboxRelay(producer: Pick<Producer, 'send'>, log: Logger): OutboxRelay {
  let owned: number[] = [];
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function sendOnce(): Promise<number> {
    if (owned.length === 0) return 0;
    // Plain pg, like the batch transaction: the relay is on the path of every result (see server/db/pool.ts).
    // Each partition is read from its position through the (partition, id) index.
    const pool = getPool();
    const { rows } = await pool.query<{ id: string; partition: number; key: string; payload: string }>(
      `SELECT r.id, r.partition, r.key, r.payload FROM unnest($1::int[]) AS owned(partition)
       LEFT JOIN outbox_positions p ON p.partition = owned.partition
       CROSS JOIN LATERAL (
         SELECT o.id, o.partition, o.key, o.payload::text AS payload FROM outbox o
         WHERE o.partition = owned.partition AND o.id > COALESCE(p.sent_up_to, 0) ORDER BY o.id LIMIT $2) AS r
       ORDER BY r.id LIMIT $2`,
      [owned, limits.relayBatchSizeMax],
    );
    if (rows.length === 0) return 0;
    const messages = rows.map((row) => {
      const value = Buffer.from(row.payload);
      const decoded = decodeMessage(purchaseFinishedMessageSchema, value);
      // The worker validated this result before storing it; a row that fails now was corrupted in the database.
      if (!decoded.ok) throw new Error(`outbox row ${row.id} is not a valid result: ${decoded.error}`);
      return {
        key: row.key,
        // The stored JSON as it is: just checked against the contract, so encoding it again would only cost.
        value,
        // The result's place in its partition's outbox: live feeds resume from it (see server/realtime).
        headers: resultPositionHeaders({ partition: row.partition, sequence: Number(row.id) }),
      };
    });
    await producer.send({ topic: topics.purchaseFinished, acks: -1, messages });
    // GREATEST: a previous owner still finishing its last send can never move a position back.
    const sentUpTo = new Map<number, string>();
    for (const row of rows) sentUpTo.set(row.partition, row.id);
    await pool.query(
      `INSERT INTO outbox_positions (partition, sent_up_to, updated_at) SELECT p, s, now() FROM unnest($1::int[], $2::bigint[]) AS t(p, s)
       ON CONFLICT (partition) DO UPDATE SET sent_up_to = GREATEST(outbox_positions.sent_up_to, EXCLUDED.sent_up_to), updated_at = now()`,
      [[...sentUpTo.keys()], [...sentUpTo.values()]],
    );
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

  // Pruning runs beside the sending, one run at a time: a run's batches are short statements of their own,
  // so results keep flowing between them.
  let pruning: Promise<void> | undefined;
  function prune(): void {
    if (stopped || pruning || owned.length === 0) return;
    pruning = pruneOutbox(owned, { stopped: () => stopped })
      .then((run) => {
        const rowsDeleted = run.reduce((sum, partition) => sum + partition.batchRows.reduce((a, b) => a + b, 0), 0);
        if (rowsDeleted > 0) log.info({ rowsDeleted, horizons: run.map(({ partition, prunedUpTo }) => ({ partition, prunedUpTo })) }, 'outbox pruned');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'outbox prune failed; will retry'))
      .finally(() => {
        pruning = undefined;
      });
  }

  const sweep = setInterval(wake, limits.relaySweepIntervalMs);
  const pruneTimer = setInterval(prune, limits.outboxPruneIntervalMs);
  return {
    setOwnedPartitions(partitions) {
      owned = [...partitions];
      wake();
    },
    wake,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      clearInterval(pruneTimer);
      await Promise.all([draining, pruning]);
    },
  };
}
