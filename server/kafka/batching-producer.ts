// kafkajs has no linger.ms: every send() is its own produce request, and the idempotent producer runs one
// request at a time, so concurrent HTTP requests would queue one broker round trip apiece. Sends are
// gathered into one sendBatch per round trip instead, and each caller's promise settles when its batch is
// acknowledged by all in-sync replicas.
import kafkajs, { type Message, type Producer, type TopicMessages } from 'kafkajs';
import { DependencyUnavailableError } from '../errors';
import { limits } from '../limits';
import { MicroBatcher } from '../micro-batcher';

// kafkajs spreads its error classes into module.exports, which Node's ESM loader cannot see as named exports.
const { KafkaJSError } = kafkajs;

type Outgoing = { topic: string; message: Message };

class ProduceTimeoutError extends Error {
  override name = 'ProduceTimeoutError';
}

export class BatchingProducer {
  private readonly batcher: MicroBatcher<Outgoing, void>;

  constructor(
    producer: Producer,
    private readonly timeoutMs: number = limits.produceTimeoutMs,
  ) {
    this.batcher = new MicroBatcher<Outgoing, void>(
      async (batch) => {
        await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(batch) });
        return batch.map(() => ({ ok: true, value: undefined }));
      },
      { lingerMs: limits.produceLingerMs, batchSizeMax: limits.produceBatchSizeMax },
    );
  }

  // Resolves once the message is durably appended. Rejects with DependencyUnavailableError when Kafka does
  // not acknowledge in time or fails: a message still waiting for its batch is withdrawn, but one already
  // sent may be appended later, so the outcome is unknown rather than failed (idempotency keys make a retry safe).
  async send(topic: string, message: Message): Promise<void> {
    try {
      await this.sendOrTimeOut(topic, message);
    } catch (error) {
      if (error instanceof ProduceTimeoutError || error instanceof KafkaJSError) throw new DependencyUnavailableError('kafka', error);
      throw error;
    }
  }

  private async sendOrTimeOut(topic: string, message: Message): Promise<void> {
    if (this.batcher.waiting >= limits.produceQueueMax) {
      throw new ProduceTimeoutError(`${this.batcher.waiting} messages already wait for Kafka`);
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    const submitted = this.batcher.submit({ topic, message }, signal);
    // A batch already sent settles when Kafka answers, which may be long after this caller has given up.
    submitted.catch(() => undefined);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new ProduceTimeoutError(`Kafka did not acknowledge within ${this.timeoutMs} ms`))),
    );
    try {
      await Promise.race([submitted, timedOut]);
    } catch (error) {
      // A message withdrawn from its batch rejects with the signal's own reason, which can win the race.
      if (signal.aborted) throw new ProduceTimeoutError(`Kafka did not acknowledge within ${this.timeoutMs} ms`);
      throw error;
    }
  }
}

function groupByTopic(batch: readonly Outgoing[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of batch) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
