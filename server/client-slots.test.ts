// Goal: a client holds at most its bound of slots, released slots are free again, other clients are unaffected, and the per-process share never rounds to nothing.
import { describe, expect, it } from 'vitest';
import { ClientSlots, perProcessShare } from './client-slots';

describe('ClientSlots', () => {
  it('gives a client at most its bound, and a slot again once one is released', () => {
    const slots = new ClientSlots(2);
    const first = slots.take('10.0.0.1');
    const second = slots.take('10.0.0.1');
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(slots.take('10.0.0.1')).toBeUndefined();
    expect(slots.take('10.0.0.2')).toBeTypeOf('function');
    first?.();
    first?.();
    expect(slots.take('10.0.0.1')).toBeTypeOf('function');
    expect(slots.take('10.0.0.1')).toBeUndefined();
  });

  it('splits a bound over processes, rounding up and never to zero', () => {
    expect(perProcessShare(64, 1)).toBe(64);
    expect(perProcessShare(64, 3)).toBe(22);
    expect(perProcessShare(1, 4)).toBe(1);
    expect(perProcessShare(32, 0)).toBe(32);
  });
});
