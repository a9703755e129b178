// Goal: a feed.resume request is read into positions only when it names each existing partition at most once (too many entries, unknown partitions and malformed values are refused with a reason), and a feed is replayed only from positions the outbox still holds whole, else told to reload.
import { describe, expect, it } from 'vitest';
import { feedResumeAnswerSchema, type LiveResult } from '../contract';
import { answerResume, decideResume, readResumePositions } from './resume-positions';

describe('readResumePositions', () => {
  it('reads the last sequence per partition, and nothing for an empty or absent request', () => {
    expect(readResumePositions({ positions: { '0': 5, '2': 7 } }, 3)).toEqual({ ok: true, positions: new Map([[0, 5], [2, 7]]) });
    expect(readResumePositions({}, 3)).toEqual({ ok: true, positions: new Map() });
    expect(readResumePositions(undefined, 3)).toEqual({ ok: true, positions: new Map() });
  });

  it('refuses more entries than there are partitions, before reading them', () => {
    const positions = Object.fromEntries(Array.from({ length: 4 }, (_, partition) => [String(partition), 1]));
    expect(readResumePositions({ positions }, 3)).toEqual({ ok: false, error: 'positions has 4 entries; there are only 3 partitions' });
    const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, partition) => [`x${partition}`, -1]));
    expect(readResumePositions({ positions: huge }, 3)).toMatchObject({ ok: false, error: expect.stringMatching(/100000 entries/) });
  });

  it('refuses a partition that does not exist, and one partition written twice', () => {
    expect(readResumePositions({ positions: { '3': 1 } }, 3)).toEqual({ ok: false, error: 'partition 3 does not exist; there are 3' });
    expect(readResumePositions({ positions: { '99999999999999999999': 1 } }, 3)).toMatchObject({ ok: false });
    expect(readResumePositions({ positions: { '1': 1, '01': 2 } }, 3)).toEqual({ ok: false, error: 'partition 1 is given more than once' });
  });

  it('refuses what is not a map of partition numbers to sequences', () => {
    const refused = { ok: false, error: 'positions must map partition numbers to sequences' };
    expect(readResumePositions({ positions: { a: 1 } }, 3)).toEqual(refused);
    expect(readResumePositions({ positions: { '0': -1 } }, 3)).toEqual(refused);
    expect(readResumePositions({ positions: { '0': 1.5 } }, 3)).toEqual(refused);
    expect(readResumePositions({ positions: [1, 2] }, 3)).toEqual(refused);
    expect(readResumePositions({ positions: { '0': 1 }, extra: true }, 3)).toEqual(refused);
    expect(readResumePositions('positions', 3)).toEqual(refused);
  });
});

describe('decideResume', () => {
  const horizons = new Map([
    [0, 100],
    [1, 0],
  ]);

  it('given positions at or above every horizon, replays', () => {
    expect(decideResume(new Map([[0, 100]]), horizons)).toEqual({ reload: false });
    expect(decideResume(new Map([[0, 150], [1, 0]]), horizons)).toEqual({ reload: false });
  });

  it('given a position below its partition\'s horizon, reloads and says which', () => {
    expect(decideResume(new Map([[1, 3], [0, 99]]), horizons)).toEqual({
      reload: true,
      reason: 'partition 0 is kept only after sequence 100, and this feed last saw 99: reload it',
    });
    // A partition seen empty (0) where results were since pruned has lost them too.
    expect(decideResume(new Map([[0, 0]]), horizons)).toMatchObject({ reload: true });
  });

  it('given no positions, or partitions never pruned, replays: a partition not named is read from its newest', () => {
    expect(decideResume(new Map(), horizons)).toEqual({ reload: false });
    expect(decideResume(new Map([[2, 0]]), horizons)).toEqual({ reload: false });
  });
});

describe('answerResume', () => {
  const missed: LiveResult = {
    purchaseId: 'p-1',
    itemId: 'dune',
    quantity: 1,
    purchasedBy: 'Ann',
    remaining: 3,
    unitPrice: 1250,
    total: 1250,
    resultMessage: 'Ann bought 1 × dune; 3 left.',
    createdAt: '2026-11-30T10:00:00.000Z',
    decidedAt: '2026-11-30T10:00:00.050Z',
    status: 'SUCCEEDED',
    reason: null,
    position: { partition: 0, sequence: 120 },
  };
  const marks = new Map([
    [0, { prunedUpTo: 100, head: 120 }],
    [1, { prunedUpTo: 0, head: 0 }],
  ]);

  it('given a replayable feed, answers the missed results and every partition\'s newest sequence, within the contract', () => {
    const answer = answerResume(new Map([[0, 110]]), [missed], marks);
    expect(answer).toEqual({ results: [missed], positions: { '0': 120, '1': 0 } });
    expect(feedResumeAnswerSchema.parse(answer)).toEqual(answer);
  });

  it('given a feed behind the horizon, answers a reload without the results, within the contract', () => {
    const answer = answerResume(new Map([[0, 50]]), [missed], marks);
    expect(answer).toEqual({ reload: true, reason: expect.stringContaining('partition 0') });
    expect(feedResumeAnswerSchema.parse(answer)).toEqual(answer);
  });
});
