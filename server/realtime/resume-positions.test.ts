// Goal: a feed.resume request is read into positions only when it names each existing partition at most once; too many entries, unknown partitions and malformed values are refused with a reason.
import { describe, expect, it } from 'vitest';
import { readResumePositions } from './resume-positions';

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
