// Goal: the feed merges a resume answer only when it matches the contract, reloads when told to (unless it asked from nothing, which would loop), and shows why otherwise.
import { describe, expect, it } from 'vitest';
import { readResumeAnswer } from './resume-answer';

const result = {
  purchaseId: 'p-1',
  itemId: 'dune',
  quantity: 1,
  purchasedBy: 'Ann',
  remaining: 3,
  resultMessage: 'Ann bought 1 × dune; 3 left.',
  createdAt: '2026-11-30T10:00:00.000Z',
  decidedAt: '2026-11-30T10:00:00.050Z',
  status: 'SUCCEEDED',
  reason: null,
  unitPrice: 1_250,
  total: 1_250,
  position: { partition: 0, sequence: 7 },
};

describe('readResumeAnswer', () => {
  it('given missed results and positions, merges them', () => {
    expect(readResumeAnswer({ results: [result], positions: { '0': 7, '1': 0 } }, { '0': 3 })).toEqual({
      kind: 'merge',
      results: [result],
      positions: { '0': 7, '1': 0 },
    });
  });

  it('given a reload, reloads with the reason', () => {
    expect(readResumeAnswer({ reload: true, reason: 'pruned' }, { '0': 3 })).toEqual({ kind: 'reload', reason: 'pruned' });
  });

  it('given a reload for a request without positions, fails rather than reload again', () => {
    expect(readResumeAnswer({ reload: true, reason: 'pruned' }, {})).toEqual({ kind: 'failed', error: 'told to reload a feed that is empty (pruned)' });
  });

  it('given a refusal, a rate limit or an answer outside the contract, fails with why', () => {
    expect(readResumeAnswer({ error: 'could not read' }, {})).toEqual({ kind: 'failed', error: 'could not read' });
    expect(readResumeAnswer({ error: 'RATE_LIMITED', retryAfterSeconds: 4 }, {})).toEqual({ kind: 'failed', error: 'too many catch-ups from this tab; try again in 4 s' });
    const outside = { kind: 'failed', error: 'an answer that does not match the contract' };
    // Results without positions: the answer of a server before prune horizons.
    expect(readResumeAnswer({ results: [result] }, {})).toEqual(outside);
    expect(readResumeAnswer({ reload: false, reason: 'x' }, { '0': 1 })).toEqual(outside);
    expect(readResumeAnswer({ reload: true }, { '0': 1 })).toEqual(outside);
    expect(readResumeAnswer(undefined, {})).toEqual(outside);
  });
});
