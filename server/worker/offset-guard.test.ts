// Goal: the worker starts only from stored offsets that lie within their partitions, and names every one that does not.
import { describe, expect, it } from 'vitest';
import { checkStoredOffsets, startingOffsets } from './offset-guard';

const ends = [
  { partition: 0, low: 0n, high: 10n },
  { partition: 1, low: 5n, high: 7n },
];

describe('checkStoredOffsets', () => {
  it('accepts offsets from a partition start to its end, and partitions with nothing stored', () => {
    expect(checkStoredOffsets('t', new Map([[0, 0n], [1, 7n]]), ends)).toEqual({ ok: true });
    expect(checkStoredOffsets('t', new Map([[0, 10n]]), ends)).toEqual({ ok: true });
    expect(checkStoredOffsets('t', new Map(), ends)).toEqual({ ok: true });
  });

  it('refuses an offset past the end (a fresh broker under an old database)', () => {
    const check = checkStoredOffsets('t', new Map([[0, 11n]]), ends);
    expect(check).toEqual({ ok: false, problems: ['t partition 0 ends at offset 10, but the database has applied it up to 11'] });
  });

  it('refuses an offset before the first one left, and one for a partition that does not exist', () => {
    const check = checkStoredOffsets('t', new Map([[1, 4n], [2, 0n]]), ends);
    expect(check.ok).toBe(false);
    expect(check.ok ? [] : check.problems).toEqual([
      't partition 1 starts at offset 5: records from 4 were deleted before they were applied',
      't has no partition 2, but the database stored offset 0 for it',
    ]);
  });
});

describe('startingOffsets', () => {
  it('starts a partition at its stored offset, and at the log start where the database has nothing (never at Kafka\'s group offset)', () => {
    expect(startingOffsets([0, 1], new Map([[0, 4n]]), ends)).toEqual(new Map([[0, 4n], [1, 5n]]));
    expect(startingOffsets([1], new Map(), ends)).toEqual(new Map([[1, 5n]]));
  });
});
