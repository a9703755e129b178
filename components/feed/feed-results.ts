// The live feed's memory, without React or sockets: which results are shown, and where each partition's
// stream was last seen, so a reconnect asks for exactly what was missed. Results reach it already checked
// against the contract (components/realtime/socket-events.ts and the feed.resume answer's schema).
// A result is a purchase's (purchase.finished: SUCCEEDED, FAILED, or REFUNDED later) or a hold's
// (hold.changed: HELD, then CONFIRMED, CANCELLED or EXPIRED, or FAILED). One purchase or hold can thus have
// several rows, one per step: a refund is its own row, after the sale's.
// Relative, like every import of a unit-tested module: vitest does not resolve the '@/' alias.
import type { LiveHold, LiveResult } from '../../server/contract';

export type FeedResult = LiveResult | LiveHold;
export type FeedPositions = Record<string, number>;

export function isHoldResult(result: FeedResult): result is LiveHold {
  return 'holdId' in result;
}

// The purchase's or the hold's id.
export function feedIdOf(result: FeedResult): string {
  return isHoldResult(result) ? result.holdId : result.purchaseId;
}

// One row per step of a purchase or a hold: the same step again (re-published, or seen live and in a resume)
// is the same row.
export function feedKeyOf(result: FeedResult): string {
  if (isHoldResult(result)) return `hold:${result.holdId}:${result.status}`;
  return `purchase:${result.purchaseId}:${result.status === 'REFUNDED' ? 'refund' : 'decision'}`;
}

// When the step happened: a refund keeps its purchase's decidedAt, so its own moment is refundedAt.
export function feedTimeOf(result: FeedResult): string {
  return !isHoldResult(result) && result.status === 'REFUNDED' ? result.refundedAt : result.decidedAt;
}

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
  private readonly seenKeys: RecentSet;
  private readonly seenPositions: RecentSet;
  private readonly seenHoldIds: RecentSet;

  constructor(private readonly shownMax: number) {
    this.seenKeys = new RecentSet(shownMax * rememberedPerShown);
    this.seenPositions = new RecentSet(shownMax * rememberedPerShown);
    this.seenHoldIds = new RecentSet(shownMax * rememberedPerShown);
  }

  // Adds what is new and answers how many were. A step seen before is one result re-published (the worker
  // repeats the identical result for a repeated request), and a position seen before is one message received
  // twice (live and in a resume): neither is shown again. Both still move the positions on.
  merge(incoming: readonly FeedResult[]): number {
    let added = 0;
    for (const result of incoming) {
      const positionKey = result.position ? `${result.position.partition}:${result.position.sequence}` : undefined;
      if (result.position) {
        const seen = this.positions.get(result.position.partition) ?? 0;
        this.positions.set(result.position.partition, Math.max(seen, result.position.sequence));
      }
      const key = feedKeyOf(result);
      const duplicate = this.seenKeys.has(key) || (positionKey !== undefined && this.seenPositions.has(positionKey));
      this.seenKeys.add(key);
      if (isHoldResult(result)) this.seenHoldIds.add(result.holdId);
      if (positionKey !== undefined) this.seenPositions.add(positionKey);
      // A confirmed hold's row is its purchase's (purchaseId = holdId), labelled as paid: not shown twice.
      if (duplicate || (isHoldResult(result) && result.status === 'CONFIRMED')) continue;
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
    this.seenKeys.clear();
    this.seenPositions.clear();
    this.seenHoldIds.clear();
  }

  // A purchase whose id is a hold this feed has seen is that hold, confirmed: the buyer paid for it.
  isConfirmedHold(purchaseId: string): boolean {
    return this.seenHoldIds.has(purchaseId);
  }

  results(): readonly FeedResult[] {
    return this.shown;
  }

  // What feed.resume expects: the last sequence seen per partition, partitions as decimal strings.
  resumePositions(): FeedPositions {
    return Object.fromEntries([...this.positions].map(([partition, sequence]) => [String(partition), sequence]));
  }
}

// Newest step first. Within a partition the sequence is the true order, which also settles results
// decided in the same millisecond.
function newestFirst(a: FeedResult, b: FeedResult): number {
  const aTime = feedTimeOf(a);
  const bTime = feedTimeOf(b);
  if (aTime !== bTime) return aTime < bTime ? 1 : -1;
  if (a.position && b.position && a.position.partition === b.position.partition) return b.position.sequence - a.position.sequence;
  return 0;
}
