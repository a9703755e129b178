// Goal: the micro-batcher gathers concurrent submissions into batches, keeps order, answers each input on its
// own (one failed input never fails its neighbours), fails a whole batch only when the handler throws, and
// withdraws an input taken back before its batch was sent.
import { describe, expect, it } from 'vitest';
import { MicroBatcher, type BatchAnswer } from './micro-batcher';

const ok = <Output>(value: Output): BatchAnswer<Output> => ({ ok: true, value });

describe('MicroBatcher', () => {
  it('handles submissions that arrive together in one batch, answering each in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((input) => ok(input * 10));
    }, { lingerMs: 5, batchSizeMax: 100 });
    const outputs = await Promise.all([1, 2, 3].map((input) => batcher.submit(input)));
    expect(outputs).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('never puts more than batchSizeMax in a batch, and fills the next batch while one is handled', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return inputs.map(ok);
    }, { lingerMs: 1, batchSizeMax: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, index) => batcher.submit(index)));
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, index) => index));
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect(batches.length).toBeLessThanOrEqual(4);
  });

  it('rejects every input of a failed batch, and goes on with the next', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      calls += 1;
      if (calls === 1) throw new Error('broker away');
      return inputs.map(ok);
    }, { lingerMs: 1, batchSizeMax: 10 });
    const failed = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.submit(3)).resolves.toBe(3);
  });

  it('withdraws an input taken back while it waits for its batch, and only then', async () => {
    const handled: number[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      handled.push(...inputs);
      await blocked;
      return inputs.map(ok);
    }, { lingerMs: 1, batchSizeMax: 1 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = batcher.submitWithdrawable(2);
    expect(batcher.waiting).toBe(1);
    expect(second.withdraw(new Error('gave up'))).toBe(true);
    await expect(second.result).rejects.toThrow('gave up');
    expect(second.withdraw(new Error('again'))).toBe(false);
    release();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(handled).toEqual([1]);
  });

  it('rejects only the inputs the handler answers with an error; their batch neighbours get their values', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((input): BatchAnswer<number> => (input % 3 === 0 ? { ok: false, error: new Error(`bad ${input}`) } : ok(input)));
    }, { lingerMs: 5, batchSizeMax: 100 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((input) => batcher.submit(input)));
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : String(outcome.reason)))).toEqual([
      1,
      2,
      'Error: bad 3',
      4,
      5,
      'Error: bad 6',
    ]);
  });

  it('rejects a handler that answers a different number of outputs', async () => {
    const batcher = new MicroBatcher<number, number>(async () => [], { lingerMs: 1, batchSizeMax: 10 });
    await expect(batcher.submit(1)).rejects.toThrow(/answered 0 of 1/);
  });
});
