// Goal: the feed shows each step of a purchase or a hold once, newest first and bounded, resumes from the right positions, and forgets everything on a reload.
import { describe, expect, it } from 'vitest';
import type { LiveHold, LiveResult } from '../../server/contract';
import { FeedResults, feedIdOf, type FeedResult } from './feed-results';

let clock = Date.parse('2026-11-26T10:00:00.000Z');

function result(purchaseId: string, position: FeedResult['position'], overrides: Partial<LiveResult> = {}): LiveResult {
  clock += 1_000;
  const decidedAt = new Date(clock).toISOString();
  return {
    purchaseId,
    itemId: 'dune',
    quantity: 1,
    purchasedBy: 'ann',
    remaining: 3,
    resultMessage: 'ann bought 1 × dune; 3 left.',
    createdAt: decidedAt,
    decidedAt,
    status: 'SUCCEEDED',
    reason: null,
    position,
    ...overrides,
  } as LiveResult;
}

function hold(holdId: string, status: LiveHold['status'], position: FeedResult['position']): LiveHold {
  clock += 1_000;
  const decidedAt = new Date(clock).toISOString();
  return {
    holdId,
    itemId: 'dune',
    quantity: 1,
    heldBy: 'bea',
    unitPrice: null,
    status,
    reason: status === 'FAILED' ? 'OUT_OF_STOCK' : null,
    remaining: 2,
    createdAt: decidedAt,
    expiresAt: decidedAt,
    decidedAt,
    resultMessage: `bea's hold is ${status}`,
    position,
  };
}

describe('FeedResults', () => {
  it('given live results, shows them newest first and remembers the highest sequence per partition', () => {
    const feed = new FeedResults(10);
    const first = result('p1', { partition: 0, sequence: 5 });
    const second = result('p2', { partition: 1, sequence: 9 });
    const third = result('p3', { partition: 0, sequence: 7 });
    expect(feed.merge([first, second, third])).toBe(3);
    expect(feed.results().map((shown) => feedIdOf(shown))).toEqual(['p3', 'p2', 'p1']);
    expect(feed.resumePositions()).toEqual({ '0': 7, '1': 9 });
  });

  it('given a resume answer overlapping live events, shows each purchase once', () => {
    const feed = new FeedResults(10);
    const missed = [result('m1', { partition: 2, sequence: 1 }), result('m2', { partition: 2, sequence: 2 })];
    const live = result('m3', { partition: 2, sequence: 3 });
    feed.merge([live]);
    // The resume answer is newest first and may contain what already arrived live.
    expect(feed.merge([live, missed[1], missed[0]].filter((shown) => shown !== undefined))).toBe(2);
    expect(feed.results().map((shown) => feedIdOf(shown))).toEqual(['m3', 'm2', 'm1']);
    expect(feed.resumePositions()).toEqual({ '2': 3 });
  });

  it('given a re-published purchase at a new position, shows it once but moves the position on', () => {
    const feed = new FeedResults(10);
    const original = result('same', { partition: 0, sequence: 4 });
    feed.merge([original]);
    expect(feed.merge([{ ...original, position: { partition: 0, sequence: 8 } }])).toBe(0);
    expect(feed.results()).toHaveLength(1);
    expect(feed.resumePositions()).toEqual({ '0': 8 });
  });

  it('given results without a position, shows them and leaves the positions alone', () => {
    const feed = new FeedResults(10);
    expect(feed.merge([result('handmade', null)])).toBe(1);
    expect(feed.merge([result('handmade', null)])).toBe(0);
    expect(feed.resumePositions()).toEqual({});
  });

  it('given more results than it may show, drops the oldest', () => {
    const feed = new FeedResults(3);
    feed.merge(Array.from({ length: 5 }, (_, index) => result(`r${index}`, { partition: 0, sequence: index + 1 })));
    expect(feed.results().map((shown) => feedIdOf(shown))).toEqual(['r4', 'r3', 'r2']);
    // A dropped result that comes again (a late resume answer) stays dropped.
    expect(feed.merge([result('r0', { partition: 0, sequence: 1 })])).toBe(0);
  });

  it('given a resume answer\'s positions, moves each partition on but never back', () => {
    const feed = new FeedResults(10);
    feed.merge([result('a', { partition: 0, sequence: 9 })]);
    feed.advance({ '0': 4, '1': 12, '2': 0 });
    expect(feed.resumePositions()).toEqual({ '0': 9, '1': 12, '2': 0 });
  });

  it('given a reload, forgets what it showed, its positions and what it had seen', () => {
    const feed = new FeedResults(10);
    const shown = result('again', { partition: 0, sequence: 5 });
    feed.merge([shown]);
    feed.advance({ '1': 3 });
    feed.clear();
    expect(feed.results()).toEqual([]);
    expect(feed.resumePositions()).toEqual({});
    // Fetched again after the reload, the same result is shown again.
    expect(feed.merge([shown])).toBe(1);
  });

  it('given a refund of a shown sale, shows it as a row of its own, ordered by when it was refunded', () => {
    const feed = new FeedResults(10);
    const sale = result('sold', { partition: 0, sequence: 1 });
    const later = result('later', { partition: 0, sequence: 2 });
    feed.merge([sale, later]);
    clock += 1_000;
    const refund: LiveResult = { ...sale, status: 'REFUNDED', reason: null, refundedAt: new Date(clock).toISOString(), position: { partition: 0, sequence: 3 } };
    expect(feed.merge([refund])).toBe(1);
    expect(feed.results().map((shown) => `${feedIdOf(shown)} ${shown.status}`)).toEqual(['sold REFUNDED', 'later SUCCEEDED', 'sold SUCCEEDED']);
    expect(feed.merge([{ ...refund, position: null }])).toBe(0);
  });

  it('given a hold\'s steps, shows each once, and its confirm only as the paid purchase', () => {
    const feed = new FeedResults(10);
    expect(feed.merge([hold('h1', 'HELD', { partition: 1, sequence: 1 }), hold('h1', 'HELD', { partition: 1, sequence: 1 })])).toBe(1);
    expect(feed.merge([hold('h1', 'CONFIRMED', { partition: 1, sequence: 2 })])).toBe(0);
    expect(feed.merge([result('h1', { partition: 1, sequence: 3 })])).toBe(1);
    expect(feed.isConfirmedHold('h1')).toBe(true);
    expect(feed.isConfirmedHold('other')).toBe(false);
    expect(feed.merge([hold('h2', 'HELD', { partition: 1, sequence: 4 }), hold('h2', 'EXPIRED', { partition: 1, sequence: 5 }), hold('h3', 'CANCELLED', null)])).toBe(3);
    expect(feed.results().map((shown) => `${feedIdOf(shown)} ${shown.status}`)).toEqual(['h3 CANCELLED', 'h2 EXPIRED', 'h2 HELD', 'h1 SUCCEEDED', 'h1 HELD']);
    expect(feed.resumePositions()).toEqual({ '1': 5 });
  });
});
