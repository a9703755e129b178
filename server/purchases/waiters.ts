// Blocking calls wait here for a result: a purchase's (purchases, refunds) or a hold's (holds, confirms,
// cancels), by id. Any number of requests may wait for one id, each for the result it accepts (a confirm waits
// for a final hold, not the HELD one); the web process's results consumer settles them all at once. One bound
// (waitersMax) covers both kinds: each waiter costs the process the same.
import type { FinishedResult, HoldResult, PurchaseResult } from '../contract';
import { limits } from '../limits';

export type Wait<Result> = { result: Promise<Result | undefined>; cancel(): void };

type Listener<Result> = (result: Result) => void;
type Budget = { count: number; readonly waitersMax: number };

// The waiters of one kind of result, keyed by its id.
export class WaiterTable<Result> {
  private readonly listeners = new Map<string, Set<Listener<Result>>>();

  constructor(private readonly budget: Budget) {}

  // Undefined when the process already holds waitersMax waiters: the caller answers PENDING at once. The wait
  // ends with the first result for id that accepts (any, by default), or undefined after timeoutMs.
  wait(id: string, timeoutMs: number, accepts: (result: Result) => boolean = () => true): Wait<Result> | undefined {
    if (this.budget.count >= this.budget.waitersMax) return undefined;
    let listener: Listener<Result> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const remove = () => {
      clearTimeout(timer);
      const set = this.listeners.get(id);
      if (!listener || !set?.delete(listener)) return;
      this.budget.count -= 1;
      if (set.size === 0) this.listeners.delete(id);
    };
    let finish: (value: Result | undefined) => void = () => undefined;
    const result = new Promise<Result | undefined>((resolve) => {
      finish = (value) => {
        remove();
        resolve(value);
      };
    });
    listener = (value) => {
      if (accepts(value)) finish(value);
    };
    const set = this.listeners.get(id) ?? new Set<Listener<Result>>();
    set.add(listener);
    this.listeners.set(id, set);
    this.budget.count += 1;
    timer = setTimeout(() => finish(undefined), timeoutMs);
    return { result, cancel: () => finish(undefined) };
  }

  settle(id: string, result: Result): void {
    for (const listener of [...(this.listeners.get(id) ?? [])]) listener(result);
  }

  waitingIds(): string[] {
    return [...this.listeners.keys()];
  }
}

export class ResultWaiters {
  private readonly budget: Budget;
  readonly purchases: WaiterTable<PurchaseResult>;
  readonly holds: WaiterTable<HoldResult>;

  constructor(waitersMax: number = limits.waitersMax) {
    this.budget = { count: 0, waitersMax };
    this.purchases = new WaiterTable(this.budget);
    this.holds = new WaiterTable(this.budget);
  }

  settle(finished: FinishedResult): void {
    if (finished.kind === 'purchase') this.purchases.settle(finished.result.purchaseId, finished.result);
    else this.holds.settle(finished.result.holdId, finished.result);
  }

  // Waiters held now, both kinds (the bps_web_open_waiters gauge).
  get size(): number {
    return this.budget.count;
  }
}
