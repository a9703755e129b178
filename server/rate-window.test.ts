// Goal: a rate window allows at most its bound within any window, says how long to wait when full, frees a slot as the oldest event leaves the window, and never counts refused events.
import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window';

describe('RateWindow', () => {
  it('allows eventsMax events within a window and answers the wait for the next', () => {
    const window = new RateWindow(2, 60_000);
    expect(window.take(1_000)).toBe(0);
    expect(window.take(2_000)).toBe(0);
    expect(window.take(3_000)).toBe(58_000);
    expect(window.take(60_999)).toBe(1);
  });

  it('allows again once the oldest event has left the window', () => {
    const window = new RateWindow(2, 60_000);
    window.take(1_000);
    window.take(2_000);
    expect(window.take(61_000)).toBe(0);
    expect(window.take(61_500)).toBe(500);
    expect(window.take(62_000)).toBe(0);
  });

  it('does not count refused events: hammering does not push the wait further out', () => {
    const window = new RateWindow(1, 10_000);
    expect(window.take(0)).toBe(0);
    for (let at = 1; at < 10_000; at += 100) expect(window.take(at)).toBe(10_000 - at);
    expect(window.take(10_000)).toBe(0);
  });
});
