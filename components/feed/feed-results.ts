// The live feed's memory, without React or sockets: which results are shown, and where each partition's
// stream was last seen, so a reconnect asks for exactly what was missed. Results reach it already checked
// against the contract (components/realtime/socket-events.ts and the feed.resume answer's schema).
// Relative, like every import of a unit-tested module: vitest does not resolve the '@/' alias.
import type { LiveResult } from '../../server/contract';

export type FeedResult = LiveResult;
export type FeedPositions = Record<string, number>;

// A Set that forgets its oldest entries past `capacity`, so a feed left open for days stays small.
class RecentSet {
  private readonly entries = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(key: string): boolean {
    return this.entries.has(key);
  }
  clear(): void {
    this.entries.clear();
  }
  add(key: string): void {
    this.entries.add(key);
    if (this.entries.size <= this.capacity) return;
    const oldest = this.entries.values().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}

// Remembering many more ids than are shown: a repeat of a purchase that has scrolled off still is not shown again.
const rememberedPerShown = 10;

export class FeedResults {
  private shown: FeedResult[] = [];
  private readonly positions = new Map<number, number>();
  private readonly seenPurchaseIds: RecentSet;
  private readonly seenPositions: RecentSet;

  constructor(private readonly shownMax: number) {
    this.seenPurchaseIds = new RecentSet(shownMax * rememberedPerShown);
    this.seenPositions = new RecentSet(shownMax * rememberedPerShown);
  }

  // Adds what is new and answers how many were. A purchaseId seen before is one purchase re-published (the
  // worker repeats the identical result for a repeated request), and a position seen before is one message
  // received twice (live and in a resume): neither is shown again. Both still move the positions on.
  merge(incoming: readonly FeedResult[]): number {
    let added = 0;
    for (const result of incoming) {
      const positionKey = result.position ? `${result.position.partition}:${result.position.sequence}` : undefined;
      if (result.position) {
        const seen = this.positions.get(result.position.partition) ?? 0;
        this.positions.set(result.position.partition, Math.max(seen, result.position.sequence));
      }
      const duplicate = this.seenPurchaseIds.has(result.purchaseId) || (positionKey !== undefined && this.seenPositions.has(positionKey));
      this.seenPurchaseIds.add(result.purchaseId);
      if (positionKey !== undefined) this.seenPositions.add(positionKey);
      if (duplicate) continue;
      this.shown.push(result);
      added += 1;
    }
    if (added > 0) {
      this.shown.sort(newestFirst);
      // The oldest go first when the feed is full.
      this.shown.length = Math.min(this.shown.length, this.shownMax);
    }
    return added;
  }

  // Moves the positions on to where the server read up to (a resume answer's positions): a partition with no
  // result of its own gets one, so results later pruned there are noticed and answered with a reload.
  advance(positions: FeedPositions): void {
    for (const [key, sequence] of Object.entries(positions)) {
      const partition = Number(key);
      this.positions.set(partition, Math.max(this.positions.get(partition) ?? 0, sequence));
    }
  }

  // Forgets everything, for a reload: what was shown may sit before a hole the server can no longer fill, and
  // the results about to be fetched again must not count as already seen.
  clear(): void {
    this.shown = [];
    this.positions.clear();
    this.seenPurchaseIds.clear();
    this.seenPositions.clear();
  }

  results(): readonly FeedResult[] {
    return this.shown;
  }

  // What feed.resume expects: the last sequence seen per partition, partitions as decimal strings.
  resumePositions(): FeedPositions {
    return Object.fromEntries([...this.positions].map(([partition, sequence]) => [String(partition), sequence]));
  }
}

// Newest decision first. Within a partition the sequence is the true order, which also settles results
// decided in the same millisecond.
function newestFirst(a: FeedResult, b: FeedResult): number {
  if (a.decidedAt !== b.decidedAt) return a.decidedAt < b.decidedAt ? 1 : -1;
  if (a.position && b.position && a.position.partition === b.position.partition) return b.position.sequence - a.position.sequence;
  return 0;
}
