// Blocking purchase calls wait here for their result. Any number of requests may wait for one purchase;
// the web process's results consumer settles them all at once.
import type { PurchaseResult } from '../contract';
import { limits } from '../limits';

type Listener = (result: PurchaseResult) => void;

export type Wait = { result: Promise<PurchaseResult | undefined>; cancel(): void };

export class PurchaseWaiters {
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;

  constructor(private readonly waitersMax: number = limits.waitersMax) {}

  // Undefined when the process already holds waitersMax waiters: the caller answers PENDING at once.
  wait(purchaseId: string, timeoutMs: number): Wait | undefined {
    if (this.count >= this.waitersMax) return undefined;
    let listener: Listener | undefined;
    let timer: NodeJS.Timeout | undefined;
    const remove = () => {
      clearTimeout(timer);
      const set = this.listeners.get(purchaseId);
      if (!listener || !set?.delete(listener)) return;
      this.count -= 1;
      if (set.size === 0) this.listeners.delete(purchaseId);
    };
    let finish: (value: PurchaseResult | undefined) => void = () => undefined;
    const result = new Promise<PurchaseResult | undefined>((resolve) => {
      finish = (value) => {
        remove();
        resolve(value);
      };
    });
    listener = (value) => finish(value);
    const set = this.listeners.get(purchaseId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(purchaseId, set);
    this.count += 1;
    timer = setTimeout(() => finish(undefined), timeoutMs);
    return { result, cancel: () => finish(undefined) };
  }

  settle(result: PurchaseResult): void {
    for (const listener of [...(this.listeners.get(result.purchaseId) ?? [])]) listener(result);
  }

  // Waiters held now (the bps_web_open_waiters gauge).
  get size(): number {
    return this.count;
  }

  waitingPurchaseIds(): string[] {
    return [...this.listeners.keys()];
  }
}
