// Goal: bisection isolates exactly the record PostgreSQL refuses, applies the rest in offset order with
// contiguous next offsets, and never swallows an error that is not tied to a record.
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { applyBisecting, recordErrorState, type BatchSlice } from './bisect-batch';

function messages(offsets: number[]): KafkaMessage[] {
  return offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from(`m${offset}`), timestamp: '0', attributes: 0, headers: {} }));
}

function sqlError(code: string): Error {
  return Object.assign(new Error(`failed with ${code}`), { code });
}

// A fake transaction: refuses any slice holding a guilty offset, and records what it applied.
function fakeApply(guilty: Set<string>, code = '23514') {
  const applied: { offsets: string[]; nextOffset: bigint; refused: string[] }[] = [];
  const apply = async (slice: BatchSlice) => {
    if (slice.messages.some((message) => guilty.has(message.offset))) throw sqlError(code);
    applied.push({ offsets: slice.messages.map((m) => m.offset), nextOffset: slice.nextOffset, refused: slice.refused.map((r) => r.message.offset) });
    return { status: 'applied' as const };
  };
  return { apply, applied };
}

describe('applyBisecting', () => {
  it('applies a clean batch in one transaction', async () => {
    const { apply, applied } = fakeApply(new Set());
    await applyBisecting(messages([10, 11, 12]), 13n, apply);
    expect(applied).toEqual([{ offsets: ['10', '11', '12'], nextOffset: 13n, refused: [] }]);
  });

  it('dead-letters only the guilty record and applies its neighbours with contiguous offsets', async () => {
    const { apply, applied } = fakeApply(new Set(['13']));
    await applyBisecting(messages([10, 11, 12, 13, 14]), 15n, apply);
    expect(applied.flatMap((slice) => slice.offsets)).toEqual(['10', '11', '12', '14']);
    expect(applied.flatMap((slice) => slice.refused)).toEqual(['13']);
    const refusedSlice = applied.find((slice) => slice.refused.length > 0);
    expect(refusedSlice).toEqual({ offsets: [], nextOffset: 14n, refused: ['13'] });
    expect(applied.at(-1)?.nextOffset).toBe(15n);
    const nextOffsets = applied.map((slice) => slice.nextOffset);
    expect(nextOffsets).toEqual([...nextOffsets].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('finds two guilty records in one batch', async () => {
    const { apply, applied } = fakeApply(new Set(['1', '6']));
    await applyBisecting(messages([0, 1, 2, 3, 4, 5, 6, 7]), 8n, apply);
    expect(applied.flatMap((slice) => slice.refused)).toEqual(['1', '6']);
    expect(applied.flatMap((slice) => slice.offsets)).toEqual(['0', '2', '3', '4', '5', '7']);
  });

  it('rethrows an error that is not tied to a record, without applying anything', async () => {
    const { apply, applied } = fakeApply(new Set(['11']), '08006');
    await expect(applyBisecting(messages([10, 11, 12]), 13n, apply)).rejects.toThrow('08006');
    expect(applied).toEqual([]);
  });

  it('stops at a fenced slice', async () => {
    let calls = 0;
    const outcomes = await applyBisecting(messages([0, 1, 2, 3]), 4n, async (slice) => {
      calls += 1;
      if (slice.messages.some((message) => message.offset === '3')) throw sqlError('22021');
      return { status: 'fenced' as const };
    });
    expect(outcomes).toEqual([{ status: 'fenced' }]);
    expect(calls).toBe(2);
  });
});

describe('recordErrorState', () => {
  it('takes SQLSTATE classes 22 and 23 only', () => {
    expect(recordErrorState(sqlError('22021'))).toBe('22021');
    expect(recordErrorState(sqlError('23514'))).toBe('23514');
    expect(recordErrorState(sqlError('08006'))).toBeUndefined();
    expect(recordErrorState(sqlError('57P01'))).toBeUndefined();
    expect(recordErrorState(sqlError('ECONNREFUSED'))).toBeUndefined();
    expect(recordErrorState(new Error('timeout'))).toBeUndefined();
    expect(recordErrorState(undefined)).toBeUndefined();
  });
});
