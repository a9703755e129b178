// feed.resume, the pure parts: reading a request into the last sequence seen per partition (sent by anyone, so
// bounded like any other input: at most one entry per partition of the topics, each naming a partition that
// exists), and deciding between a replay from those positions and a reload.
import { feedResumeRequestSchema, type FeedResumeAnswer, type LiveResult } from '../contract';

export type ResumePositions = { ok: true; positions: Map<number, number> } | { ok: false; error: string };

export function readResumePositions(request: unknown, partitionCount: number): ResumePositions {
  // Counted before zod parses them, so an object of a million keys costs nothing but this count.
  const given = typeof request === 'object' && request !== null ? (request as { positions?: unknown }).positions : undefined;
  const entryCount = typeof given === 'object' && given !== null ? Object.keys(given).length : 0;
  if (entryCount > partitionCount) return { ok: false, error: `positions has ${entryCount} entries; there are only ${partitionCount} partitions` };
  const parsed = feedResumeRequestSchema.safeParse(request ?? {});
  if (!parsed.success) return { ok: false, error: 'positions must map partition numbers to sequences' };
  const positions = new Map<number, number>();
  for (const [key, sequence] of Object.entries(parsed.data.positions)) {
    const partition = Number(key);
    if (partition >= partitionCount) return { ok: false, error: `partition ${key} does not exist; there are ${partitionCount}` };
    if (positions.has(partition)) return { ok: false, error: `partition ${partition} is given more than once` };
    positions.set(partition, sequence);
  }
  return { ok: true, positions };
}

export type ResumeDecision = { reload: false } | { reload: true; reason: string };

// Whether a feed can be replayed from its positions. The outbox keeps every row of a partition above its prune
// horizon (prunedUpTo) and none at or below it, so a position at or above the horizon replays whole, and one
// below it may have lost results after it: that feed must reload rather than show a hole. A partition the feed
// did not name is read from its newest result and so never needs a reload.
export function decideResume(positions: ReadonlyMap<number, number>, prunedUpTo: ReadonlyMap<number, number>): ResumeDecision {
  for (const [partition, sequence] of positions) {
    const horizon = prunedUpTo.get(partition) ?? 0;
    if (sequence < horizon) {
      return { reload: true, reason: `partition ${partition} is kept only after sequence ${horizon}, and this feed last saw ${sequence}: reload it` };
    }
  }
  return { reload: false };
}

type OutboxMarks = ReadonlyMap<number, { prunedUpTo: number; head: number }>;

// The answer to a valid feed.resume, from what one snapshot read: a reload, or the missed results with the
// positions to resume from next (each partition's newest sequence, so a partition without a result of its own
// still gets one, and a prune there later is noticed).
export function answerResume(positions: ReadonlyMap<number, number>, results: readonly LiveResult[], marks: OutboxMarks): FeedResumeAnswer {
  const horizons = new Map([...marks].map(([partition, mark]) => [partition, mark.prunedUpTo]));
  const decision = decideResume(positions, horizons);
  if (decision.reload) return { reload: true, reason: decision.reason };
  return { results: [...results], positions: Object.fromEntries([...marks].map(([partition, mark]) => [String(partition), mark.head])) };
}
