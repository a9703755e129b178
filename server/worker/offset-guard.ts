// Whether the worker may start from the offsets Postgres stores. A stored offset past a partition's end means
// the topics are not the ones the database was filled from (a new broker, a deleted data folder): consuming on
// would silently skip everything up to that offset once the new topic grows. One before the partition's first
// offset means retention deleted records that were never applied. Either way the worker refuses to start
// rather than skip; the message names the fix. Pure: the adapter reads the offsets and the ends.
export type PartitionEnds = { partition: number; low: bigint; high: bigint };

export type OffsetCheck = { ok: true } | { ok: false; problems: string[] };

export function checkStoredOffsets(topic: string, stored: ReadonlyMap<number, bigint>, ends: readonly PartitionEnds[]): OffsetCheck {
  const problems: string[] = [];
  for (const [partition, offset] of stored) {
    const end = ends.find((candidate) => candidate.partition === partition);
    if (!end) {
      problems.push(`${topic} has no partition ${partition}, but the database stored offset ${offset} for it`);
    } else if (offset > end.high) {
      problems.push(`${topic} partition ${partition} ends at offset ${end.high}, but the database has applied it up to ${offset}`);
    } else if (offset < end.low) {
      problems.push(`${topic} partition ${partition} starts at offset ${end.low}: records from ${offset} were deleted before they were applied`);
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

export const offsetRefusalAdvice =
  'The database does not belong to these topics. If the broker or its data folder is new, reset the database ' +
  '(npm run db:reset, or a database of its own with DATABASE_URL), or point KAFKA_BROKERS at the broker it came from.';

// Where the worker starts each assigned partition. Postgres holds the real position; a partition it has no
// position for has had nothing applied (a new or reset database), so it starts at the log's start. Kafka's group
// offset is never used: against a reset database it would skip every event before it, silently.
export function startingOffsets(assigned: readonly number[], stored: ReadonlyMap<number, bigint>, ends: readonly PartitionEnds[]): Map<number, bigint> {
  const logStarts = new Map(ends.map((end) => [end.partition, end.low]));
  return new Map(assigned.map((partition) => [partition, stored.get(partition) ?? logStarts.get(partition) ?? 0n]));
}
