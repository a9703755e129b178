// Goal: work that fails is tried again after pauses that double up to their bound, until it succeeds or is told to stop.
import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from './retry';

describe('retryWithBackoff', () => {
  it('tries again with doubling pauses until the work succeeds', async () => {
    const pauses: number[] = [];
    let attempts = 0;
    const result = await retryWithBackoff(
      async () => {
        attempts += 1;
        if (attempts < 4) throw new Error(`attempt ${attempts}`);
        return 'done';
      },
      { delayMsMin: 1, delayMsMax: 3, onFailure: (_error, _attempt, delayMs) => pauses.push(delayMs) },
    );
    expect(result).toBe('done');
    expect(pauses).toEqual([1, 2, 3]);
  });

  it('gives up with the error once told to stop', async () => {
    await expect(
      retryWithBackoff(async () => Promise.reject(new Error('down')), { delayMsMin: 1, delayMsMax: 1, onFailure: () => undefined, shouldStop: () => true }),
    ).rejects.toThrow('down');
  });
});
