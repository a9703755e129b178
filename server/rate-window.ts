// A sliding-window rate bound: at most eventsMax events within any windowMs. It keeps the times of the
// allowed events only (at most eventsMax of them), so a caller hammering past the bound holds no more memory
// and does not push its own wait further out. Time is passed in, so tests need no clock.
export class RateWindow {
  private readonly allowedAt: number[] = [];

  constructor(
    private readonly eventsMax: number,
    private readonly windowMs: number,
  ) {}

  // 0 when the event is allowed now (and counted); otherwise the milliseconds until one would be.
  take(nowMs: number): number {
    while ((this.allowedAt[0] ?? Number.POSITIVE_INFINITY) <= nowMs - this.windowMs) this.allowedAt.shift();
    const oldest = this.allowedAt[0];
    if (this.allowedAt.length < this.eventsMax || oldest === undefined) {
      this.allowedAt.push(nowMs);
      return 0;
    }
    return oldest + this.windowMs - nowMs;
  }
}
