// Goal: a seed replays the same random choices, and a seed variable that is set wrongly stops the test instead of replaying something else.
import { describe, expect, it } from 'vitest';
import { createSeededRandom, readSeed } from './seeded-random';

const draws = (seed: number, count: number) => Array.from({ length: count }, createSeededRandom(seed));

describe('createSeededRandom', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    expect(draws(123, 20)).toEqual(draws(123, 20));
    expect(draws(124, 20)).not.toEqual(draws(123, 20));
  });

  it('answers in [0, 1), spread over the range, at both ends of the seed range', () => {
    for (const seed of [0, 1, 0xffff_ffff]) {
      const values = draws(seed, 1_000);
      expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
      expect(values.some((value) => value < 0.1)).toBe(true);
      expect(values.some((value) => value > 0.9)).toBe(true);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('refuses a seed outside 0 … 2^32 − 1', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => createSeededRandom(seed)).toThrow(/integer from 0/);
  });
});

describe('readSeed', () => {
  it('reads a set seed, surrounding spaces allowed', () => {
    expect(readSeed({ TEST_SEED: '123' }, 'TEST_SEED')).toBe(123);
    expect(readSeed({ TEST_SEED: ' 0 ' }, 'TEST_SEED')).toBe(0);
    expect(readSeed({ TEST_SEED: '4294967295' }, 'TEST_SEED')).toBe(0xffff_ffff);
  });

  it('chooses a fresh seed in range when the variable is unset or empty', () => {
    for (const environment of [{}, { TEST_SEED: '' }, { TEST_SEED: '  ' }]) {
      const seed = readSeed(environment, 'TEST_SEED');
      expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff).toBe(true);
    }
  });

  it('refuses a value that is not a seed, naming the variable', () => {
    for (const text of ['-1', '1.5', '1e3', '0x10', 'abc', '4294967296', '12 34']) {
      expect(() => readSeed({ TEST_SEED: text }, 'TEST_SEED')).toThrow(/^TEST_SEED must be an integer from 0 to 4294967295/);
    }
  });
});
