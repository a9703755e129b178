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

  // An abort while the input still waits for its batch withdraws it; once its batch is being handled the
  // outcome is whatever the handler makes of it.
  submit(input: Input, signal?: AbortSignal): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      const entry: Entry<Input, Output> = { input, resolve, reject };
      signal?.addEventListener('abort', () => {
        const index = this.pending.indexOf(entry);
        if (index === -1) return;
        this.pending.splice(index, 1);
        reject(signal.reason);
      });
      this.pending.push(entry);
      this.schedule();
    });
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
