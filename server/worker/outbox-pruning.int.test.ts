// Goal: against the real Postgres, pruning deletes exactly the sent rows older than the window, as a prefix of each partition in bounded batches, keeps unsent rows and rows inside the window (and old rows behind a young one), and stores the prune horizon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePool, getPool } from '../db/pool';
import { pruneOutbox } from './outbox-pruning';

// Partition numbers no topic has, so no worker relays or prunes them while this test runs.
const sentPartition = 901;
const interleavedPartition = 902;
const neverSentPartition = 903;
const testPartitions = [sentPartition, interleavedPartition, neverSentPartition];
const retentionMs = 60_000;
const batchRowsMax = 7;

// Appends rows to a partition's outbox, created `ageSeconds` ago, and answers their ids in order.
async function appendRows(partition: number, count: number, ageSeconds: number): Promise<number[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO outbox (topic, partition, key, payload, created_at)
     SELECT 'test.pruning', $1, 'item-' || n, jsonb_build_object('n', n), now() - make_interval(secs => $2)
     FROM generate_series(1, $3) AS n ORDER BY n RETURNING id`,
    [partition, ageSeconds, count],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

async function markSentUpTo(partition: number, sentUpTo: number): Promise<void> {
  await getPool().query(`INSERT INTO outbox_positions (partition, sent_up_to, updated_at) VALUES ($1, $2, now())`, [partition, sentUpTo]);
}

async function remainingIds(partition: number): Promise<number[]> {
  const { rows } = await getPool().query<{ id: string }>(`SELECT id FROM outbox WHERE partition = $1 ORDER BY id`, [partition]);
  return rows.map((row) => Number(row.id));
}

async function storedPosition(partition: number): Promise<{ sentUpTo: number; prunedUpTo: number } | undefined> {
  const { rows } = await getPool().query<{ sent_up_to: string; pruned_up_to: string }>(
    `SELECT sent_up_to, pruned_up_to FROM outbox_positions WHERE partition = $1`,
    [partition],
  );
  const row = rows[0];
  return row && { sentUpTo: Number(row.sent_up_to), prunedUpTo: Number(row.pruned_up_to) };
}

const hourSeconds = 3_600;
let sent: { old: number[]; young: number[] };
let interleaved: { old: number[]; young: number[]; oldBehindYoung: number[] };
let neverSent: number[];

beforeAll(async () => {
  await getPool().query(`DELETE FROM outbox WHERE partition = ANY($1::int[])`, [testPartitions]);
  await getPool().query(`DELETE FROM outbox_positions WHERE partition = ANY($1::int[])`, [testPartitions]);

  // 25 old rows of which the relay has sent 20, then 5 young ones.
  sent = { old: await appendRows(sentPartition, 25, hourSeconds), young: await appendRows(sentPartition, 5, 0) };
  await markSentUpTo(sentPartition, sent.old[19] ?? Number.NaN);

  // All sent: 10 old, 3 young, then 4 old behind them (a batch that started early and waited for the owner lock).
  interleaved = {
    old: await appendRows(interleavedPartition, 10, hourSeconds),
    young: await appendRows(interleavedPartition, 3, 0),
    oldBehindYoung: await appendRows(interleavedPartition, 4, hourSeconds),
  };
  await markSentUpTo(interleavedPartition, interleaved.oldBehindYoung.at(-1) ?? Number.NaN);

  // Old, but the relay has never sent anything of this partition.
  neverSent = await appendRows(neverSentPartition, 5, hourSeconds);
});

afterAll(async () => {
  await getPool().query(`DELETE FROM outbox WHERE partition = ANY($1::int[])`, [testPartitions]);
  await getPool().query(`DELETE FROM outbox_positions WHERE partition = ANY($1::int[])`, [testPartitions]);
  await closePool();
});

describe('pruneOutbox', () => {
  it('deletes sent rows older than the window in batches of at most batchRowsMax, and records the horizon', async () => {
    const run = await pruneOutbox(testPartitions, { retentionMs, batchRowsMax });

    expect(run).toEqual([
      { partition: sentPartition, batchRows: [7, 7, 6], prunedUpTo: sent.old[19] },
      { partition: interleavedPartition, batchRows: [7, 3], prunedUpTo: interleaved.old.at(-1) },
      { partition: neverSentPartition, batchRows: [], prunedUpTo: 0 },
    ]);
    // Unsent rows stay however old; rows inside the window stay, and so do old rows behind them.
    expect(await remainingIds(sentPartition)).toEqual([...sent.old.slice(20), ...sent.young]);
    expect(await remainingIds(interleavedPartition)).toEqual([...interleaved.young, ...interleaved.oldBehindYoung]);
    expect(await remainingIds(neverSentPartition)).toEqual(neverSent);
    expect(await storedPosition(sentPartition)).toEqual({ sentUpTo: sent.old[19], prunedUpTo: sent.old[19] });
    expect(await storedPosition(interleavedPartition)).toEqual({ sentUpTo: interleaved.oldBehindYoung.at(-1), prunedUpTo: interleaved.old.at(-1) });
    expect(await storedPosition(neverSentPartition)).toBeUndefined();
  });

  it('deletes nothing more when run again, and leaves the horizons where they were', async () => {
    const run = await pruneOutbox(testPartitions, { retentionMs, batchRowsMax });
    expect(run.map((partition) => partition.batchRows)).toEqual([[], [], []]);
    expect(run.map((partition) => partition.prunedUpTo)).toEqual([sent.old[19], interleaved.old.at(-1), 0]);
  });

  it('goes on once the young rows are old enough: the rows behind them follow', async () => {
    // A window of 0: every sent row is old. The partition is then empty up to its sent position.
    const run = await pruneOutbox([interleavedPartition], { retentionMs: 0, batchRowsMax });
    expect(run).toEqual([{ partition: interleavedPartition, batchRows: [7], prunedUpTo: interleaved.oldBehindYoung.at(-1) }]);
    expect(await remainingIds(interleavedPartition)).toEqual([]);
  });

  it('refuses a batch size or window that could not bound or make sense of a run', async () => {
    await expect(pruneOutbox([sentPartition], { batchRowsMax: 0 })).rejects.toThrow('batchRowsMax must be a positive integer, not 0');
    await expect(pruneOutbox([sentPartition], { batchRowsMax: 1.5 })).rejects.toThrow('batchRowsMax must be a positive integer');
    await expect(pruneOutbox([sentPartition], { retentionMs: -1 })).rejects.toThrow('retentionMs must be at least 0, not -1');
    await expect(pruneOutbox([sentPartition], { retentionMs: Number.NaN })).rejects.toThrow('retentionMs must be at least 0');
  });
});
