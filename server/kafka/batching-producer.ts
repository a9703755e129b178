// kafkajs has no linger.ms: every send() is its own produce request, and the idempotent producer runs one
// request at a time, so concurrent HTTP requests would queue one broker round trip apiece. Sends are
// gathered into one sendBatch per round trip instead, and each caller's promise settles when its batch is
// acknowledged by all in-sync replicas.
import type { Message, Producer, TopicMessages } from 'kafkajs';
import { limits } from '../limits';
import { MicroBatcher } from '../micro-batcher';

type Outgoing = { topic: string; message: Message };

export class ProduceTimeoutError extends Error {
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
        return batch.map(() => undefined);
      },
      { lingerMs: limits.produceLingerMs, batchSizeMax: limits.produceBatchSizeMax },
    );
  }

  // Resolves once the message is durably appended. Rejects with ProduceTimeoutError when Kafka does not
  // acknowledge in time; the message may still be appended later, so the outcome is unknown, not failed.
  async send(topic: string, message: Message): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProduceTimeoutError(`Kafka did not acknowledge within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.batcher.submit({ topic, message }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function groupByTopic(batch: readonly Outgoing[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of batch) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
