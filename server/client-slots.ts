// Per-client bounds at the edge: a client (its network address) may hold at most slotsMax of something at
// once, here blocking waiters or sockets. Counted per process; with WEB_CONCURRENCY processes each holds
// an equal share (see perProcessShare), since node:cluster spreads a client's connections over all of them.
export class ClientSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly slotsMax: number) {}

  // A release function, or undefined when the client already holds slotsMax. Releasing twice is harmless.
  take(client: string): (() => void) | undefined {
    const holding = this.held.get(client) ?? 0;
    if (holding >= this.slotsMax) return undefined;
    this.held.set(client, holding + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.held.get(client) ?? 1) - 1;
      if (now <= 0) this.held.delete(client);
      else this.held.set(client, now);
    };
  }
}

// A machine-wide bound split over the web processes, never below one.
export function perProcessShare(bound: number, processes: number): number {
  return Math.max(1, Math.ceil(bound / Math.max(1, processes)));
}
