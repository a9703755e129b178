// Goal: against the real broker, a produced message is consumed back, and the project's topics are created
// idempotently with the configured partition count and replay-friendly retention.
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { createKafka } from './client';
import { ensureTopics, topics } from './topics';

const kafka = createKafka('bps-test-topics');
const admin = kafka.admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

describe('the real broker', () => {
  it('gives back a message produced to a topic', async () => {
    const topic = `bps-test-roundtrip-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `bps-test-${randomUUID()}` });
    try {
      await producer.connect();
      const value = JSON.stringify({ hello: randomUUID() });
      await producer.send({ topic, acks: -1, messages: [{ key: 'item-1', value }] });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
          },
        });
      });
      expect(received).toEqual({ key: 'item-1', value });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] });
    }
  });

  it('has the three topics with the configured partitions and retention, and a second ensure creates nothing', async () => {
    await ensureTopics(admin);
    const second = await ensureTopics(admin);
    expect(second.created).toEqual([]);
    expect(second.existing.sort()).toEqual(Object.values(topics).sort());

    const metadata = await admin.fetchTopicMetadata({ topics: Object.values(topics) });
    for (const topic of metadata.topics) {
      expect(topic.partitions).toHaveLength(config.KAFKA_TOPIC_PARTITIONS);
    }
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: Object.values(topics).map((name) => ({ type: 2, name, configNames: ['retention.ms'] })),
    });
    for (const resource of described.resources) {
      expect(resource.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue).toBe(
        String(config.KAFKA_TOPIC_RETENTION_MS),
      );
    }
  });
});
