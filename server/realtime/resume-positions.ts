// Reads a feed.resume request into the last sequence seen per partition. Sent by anyone, so bounded like any
// other input: at most one entry per partition of the topics, each naming a partition that exists.
import { feedResumeRequestSchema } from '../contract';

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
