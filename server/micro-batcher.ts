// Gathers concurrent submissions into batches: the first waits up to lingerMs for company (0: only for what
// arrives in the same turn of the event loop), a full batch goes at once, and while one batch is being
// handled the next one fills. One round trip then serves many callers, which is what the Java Kafka client's
// linger.ms does and kafkajs does not; under load the batches grow by themselves while one is in flight.
// A handler answers each input on its own, so one bad input can fail alone while its neighbours succeed;
// a handler that throws fails the whole batch (an outage, say, that no input would survive).
export type BatchAnswer<Output> = { ok: true; value: Output } | { ok: false; error: unknown };
export type BatchHandler<Input, Output> = (inputs: Input[]) => Promise<BatchAnswer<Output>[]>;

type Entry<Input, Output> = { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void };

export class MicroBatcher<Input, Output> {
  private pending: Entry<Input, Output>[] = [];
  private inFlight = false;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(
    private readonly handle: BatchHandler<Input, Output>,
    private readonly options: { lingerMs: number; batchSizeMax: number },
  ) {}

  submit(input: Input): Promise<Output> {
    return this.submitWithdrawable(input).result;
  }

  // withdraw() takes the input back while it still waits for its batch (its result then rejects with the
  // reason, and withdraw answers true); once its batch is being handled the outcome is the handler's. A plain
  // function rather than an AbortSignal: this runs for every message, and a signal with its timer and event
  // listener was a measurable part of the web process's allocations.
  submitWithdrawable(input: Input): { result: Promise<Output>; withdraw(reason: unknown): boolean } {
    let entry: Entry<Input, Output> | undefined;
    const result = new Promise<Output>((resolve, reject) => {
      entry = { input, resolve, reject };
      this.pending.push(entry);
      this.schedule();
    });
    const withdraw = (reason: unknown): boolean => {
      const index = entry === undefined ? -1 : this.pending.indexOf(entry);
      if (index === -1 || entry === undefined) return false;
      this.pending.splice(index, 1);
      entry.reject(reason);
      return true;
    };
    return { result, withdraw };
  }

  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.inFlight) return;
    if (this.pending.length >= this.options.batchSizeMax) {
      void this.flush();
      return;
    }
    this.timer ??= this.options.lingerMs === 0 ? setImmediate(() => void this.flush()) : setTimeout(() => void this.flush(), this.options.lingerMs);
  }

  private async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.options.batchSizeMax);
    this.inFlight = true;
    try {
      const answers = await this.handle(batch.map((entry) => entry.input));
      // A handler answers every input in order; anything else is a bug in the handler.
      if (answers.length !== batch.length) throw new Error(`batch handler answered ${answers.length} of ${batch.length}`);
      batch.forEach((entry, index) => {
        // Present: the lengths were just compared.
        const answer = answers[index] as BatchAnswer<Output>;
        if (answer.ok) entry.resolve(answer.value);
        else entry.reject(answer.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.inFlight = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
