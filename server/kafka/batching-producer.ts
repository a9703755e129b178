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
    producer: Pick<Producer, 'sendBatch'>,
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
    const { result, withdraw } = this.batcher.submitWithdrawable({ topic, message });
    // A batch already sent settles when Kafka answers, which may be long after this caller has given up.
    result.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ProduceTimeoutError(`Kafka did not acknowledge within ${this.timeoutMs} ms`);
        // Still waiting for its batch: never sent, so taken back; already sent: it may yet be appended.
        withdraw(error);
        reject(error);
      }, this.timeoutMs);
    });
    try {
      await Promise.race([result, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function groupByTopic(batch: readonly Outgoing[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of batch) {
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
