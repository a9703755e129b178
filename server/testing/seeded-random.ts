// Random choices a test can replay: the test prints its seed, and running it again with that seed set
// makes the same choices. Only for tests; the application never reads these variables.
import { randomInt } from 'node:crypto';

const seedMax = 0xffff_ffff;

// mulberry32: 32 bits of state and a few lines, enough spread for picking test timings. Answers in [0, 1),
// like Math.random.
export function createSeededRandom(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > seedMax) throw new Error(`a seed is an integer from 0 to ${seedMax}, got ${seed}`);
  let state = seed;
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

// The seed set in `variableName`, or a fresh one when it is unset or empty. A test knob, not an application
// setting, so it is read here rather than in server/config.ts; the caller passes the environment in.
export function readSeed(environment: Record<string, string | undefined>, variableName: string): number {
  const text = environment[variableName]?.trim();
  if (text === undefined || text === '') return randomInt(0, seedMax + 1);
  // A mistyped seed must stop the run: silently choosing another would replay something else.
  if (!/^\d+$/.test(text) || Number(text) > seedMax) throw new Error(`${variableName} must be an integer from 0 to ${seedMax}, got "${text}"`);
  return Number(text);
}
