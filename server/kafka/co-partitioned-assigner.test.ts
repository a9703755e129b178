// Goal: partition number N of every input topic goes to the same worker, every partition to exactly one,
// and the spread is even.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignPartitionNumbers } from './co-partitioned-assigner';

describe('assignPartitionNumbers', () => {
  it('spreads 3 partitions over 2 members by member order', () => {
    expect(Object.fromEntries(assignPartitionNumbers(['b', 'a'], [2, 0, 1]))).toEqual({ a: [0, 2], b: [1] });
  });

  it('gives every partition to exactly one member, at most one more than any other member has', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 50 }), (members, count) => {
        const partitions = Array.from({ length: count }, (_, index) => index);
        const assignment = assignPartitionNumbers(members, partitions);
        const assigned = [...assignment.values()].flat().sort((a, b) => a - b);
        expect(assigned).toEqual(partitions);
        const sizes = [...assignment.values()].map((list) => list.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(assignment.size).toBe(members.length);
      }),
    );
  });
});
