// Reads topics forward in steps for the auditor, from the beginning and never twice: each step reads one
// topic up to given ends and hands every record below them over as it arrives. Between steps the topics are
// paused, so what waits in memory is at most what was fetched past the ends. kafkajs has no assign(), so
// the follower is a consumer in a group of its own that commits nothing.
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { config } from '../config';
import { limits } from '../limits';

export type FollowedRecord = { partition: number; offset: number; key: string | null; value: Buffer | null };
// The first and next offset of each partition, as the broker reported them.
export type PartitionEnd = { partition: number; low: number; high: number };

type Step = {
  topic: string;
  ends: ReadonlyMap<number, number>;
  onRecords: (records: FollowedRecord[]) => void;
  resolve: () => void;
  reject: (error: Error) => void;
};

export class TopicFollower {
  // The next offset not yet seen, per "topic/partition"; records fetched past a step's ends wait in waiting.
  private readonly positions = new Map<string, number>();
  private readonly waiting = new Map<string, FollowedRecord[]>();
  private step: Step | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly topics: readonly string[],
  ) {}

  static async start(kafka: Kafka, topics: readonly string[]): Promise<TopicFollower> {
    const consumer = kafka.consumer({
      groupId: `${config.KAFKA_CLIENT_ID}-audit-${randomUUID()}`,
      allowAutoTopicCreation: false,
      // Only committed messages count: an aborted transaction's records were never delivered to anyone.
      readUncommitted: false,
    });
    const follower = new TopicFollower(consumer, topics);
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    follower.watchProgress();
    await consumer.run({ autoCommit: false, eachBatch: async ({ batch }) => follower.receive(batch.topic, batch.partition, batch.messages) });
    // Paused until the first step (kafkajs only pauses a running consumer); a first fetch that came before
    // the pause waits in memory like any record fetched past a step's ends.
    consumer.pause(topics.map((topic) => ({ topic })));
    return follower;
  }

  // Resolves once every partition of the topic has been read up to its end; records below the ends go to
  // onRecords in offset order per partition.
  async readUpTo(topic: string, ends: readonly PartitionEnd[], onRecords: (records: FollowedRecord[]) => void): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.topics.includes(topic)) throw new Error(`the follower does not read ${topic}`);
    for (const end of ends) {
      const key = `${topic}/${end.partition}`;
      this.positions.set(key, Math.max(this.positions.get(key) ?? 0, end.low));
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`audit read of ${topic} timed out after ${limits.auditReadTimeoutMs} ms`)), limits.auditReadTimeoutMs);
      this.step = {
        topic,
        ends: new Map(ends.map((end) => [end.partition, end.high])),
        onRecords,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      for (const end of ends) this.handOver(topic, end.partition);
      this.finishIfDone();
      if (this.step) this.consumer.resume([{ topic }]);
    }).finally(() => {
      this.step = undefined;
      this.consumer.pause([{ topic }]);
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private receive(topic: string, partition: number, messages: KafkaMessage[]): void {
    const key = `${topic}/${partition}`;
    const records = this.waiting.get(key) ?? [];
    for (const message of messages) {
      records.push({ partition, offset: Number(message.offset), key: message.key?.toString('utf8') ?? null, value: message.value });
      this.positions.set(key, Math.max(this.positions.get(key) ?? 0, Number(message.offset) + 1));
    }
    this.waiting.set(key, records);
    this.handOver(topic, partition);
    this.finishIfDone();
  }

  // Hands over what is below the current step's end and keeps the rest for the next step.
  private handOver(topic: string, partition: number): void {
    const step = this.step;
    if (step?.topic !== topic) return;
    const end = step.ends.get(partition);
    if (end === undefined) return;
    const key = `${topic}/${partition}`;
    const records = this.waiting.get(key) ?? [];
    const below = records.filter((record) => record.offset < end);
    if (below.length === 0) return;
    this.waiting.set(key, records.filter((record) => record.offset >= end));
    step.onRecords(below);
  }

  private finishIfDone(): void {
    const step = this.step;
    if (!step) return;
    const done = [...step.ends].every(([partition, end]) => (this.positions.get(`${step.topic}/${partition}`) ?? 0) >= end);
    if (done) step.resolve();
  }

  // A batch of only control records (a transaction's commit marker can be a partition's last offset) never
  // reaches eachBatch, so progress is also taken from the batch-end event.
  private watchProgress(): void {
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}/${payload.partition}`;
      this.positions.set(key, Math.max(this.positions.get(key) ?? 0, Number(payload.lastOffset) + 1));
      this.finishIfDone();
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer after retriable errors; only a crash it gives up on ends the reading.
      if (payload.restart) return;
      this.failure = payload.error;
      this.step?.reject(payload.error);
    });
  }
}
