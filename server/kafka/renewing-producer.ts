// An idempotent kafkajs producer that is replaced after every failed send. kafkajs 2.2.4 takes a partition's
// sequence numbers before a produce request and gives them back when the request fails
// (src/producer/sendMessages.js), for every partition in it, also for those the broker did append: one request
// carries several partitions and fails as a whole when one of them fails (NOT_LEADER_FOR_PARTITION while a
// restarted broker elects its leaders, a cut connection). The partitions it appended are then behind the broker;
// the next, different batch reuses their sequence numbers and is refused with OUT_OF_ORDER_SEQUENCE_NUMBER for
// ever (which kafkajs does not retry), or, when its size matches, taken by the broker for a duplicate and
// acknowledged without being appended: an acknowledged purchase lost. npm run chaos found both after a broker
// restart (the broker's log: "Out of order sequence number for producer 2005 … 38 (incoming seq. number), 38
// (current end sequence number)"). A new producer gets a new producer id with no history, so nothing it sends
// can be mistaken for an earlier batch. The failed send's callers got an error and retry with their own
// idempotency keys (purchaseId, restockId), which the worker recognises, so a batch the broker did append
// while its request failed is harmless.
import { Partitioners, type Kafka, type Producer, type ProducerBatch, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import type { Logger } from 'pino';

export class RenewingProducer {
  private current: Promise<Producer> | undefined;
  renewals = 0;

  constructor(
    private readonly create: () => Producer,
    private readonly log: Logger,
  ) {}

  // Connects now, so that the first request does not pay for it; a failure is retried by the first send.
  connect(): Promise<void> {
    return this.producer().then(() => undefined);
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.using((producer) => producer.send(record));
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.using((producer) => producer.sendBatch(batch));
  }

  async disconnect(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await (await current?.catch(() => undefined))?.disconnect();
  }

  private producer(): Promise<Producer> {
    if (!this.current) {
      const producer = this.create();
      const connected = producer.connect().then(() => producer);
      // A producer that could not connect is not kept: the next send tries a new one.
      connected.catch(() => {
        if (this.current === connected) this.current = undefined;
      });
      this.current = connected;
    }
    return this.current;
  }

  private async using<T>(work: (producer: Producer) => Promise<T>): Promise<T> {
    const current = this.producer();
    const producer = await current;
    try {
      return await work(producer);
    } catch (error) {
      // Only the producer that failed is replaced (a concurrent send may have replaced it already).
      if (this.current === current) {
        this.current = undefined;
        this.renewals += 1;
        this.log.warn({ renewals: this.renewals }, 'a send failed; the next send uses a new producer (new producer id, fresh sequence numbers)');
        void producer.disconnect().catch(() => undefined);
      }
      throw error;
    }
  }
}

// The one producer shape of the web's intake and the worker's relay: idempotent, one request in flight (so
// order holds through retries), and retrying without end behind the caller's own deadline (the web answers 503
// at limits.produceTimeoutMs; the relay's outbox holds a result meanwhile), renewed after a failed send.
export function createIdempotentProducer(kafka: Kafka, log: Logger): RenewingProducer {
  return new RenewingProducer(
    () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 2_000 },
      }),
    log,
  );
}
