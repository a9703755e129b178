// The three topics keep the original project's names. Both input topics are keyed by itemId and have the
// same partition count, so an item's restocks and purchases land in the same partition number and one
// worker is the single writer for that item.
import type { Admin, ITopicConfig } from 'kafkajs';
import { config } from '../config';

// KAFKA_TOPIC_NAMESPACE (empty for the development stack) goes in front of each name, so that environments
// sharing a broker (the tests, the benchmark, a developer's stack) never read each other's events.
export const topics = {
  itemsAdded: `${config.KAFKA_TOPIC_NAMESPACE}bps-items-added`,
  purchaseCreated: `${config.KAFKA_TOPIC_NAMESPACE}bps-purchase-created`,
  purchaseFinished: `${config.KAFKA_TOPIC_NAMESPACE}bps-purchase-finished`,
} as const;

export function topicConfigs(): ITopicConfig[] {
  return Object.values(topics).map((topic) => ({
    topic,
    numPartitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    configEntries: [
      { name: 'retention.ms', value: String(config.KAFKA_TOPIC_RETENTION_MS) },
      { name: 'cleanup.policy', value: 'delete' },
    ],
  }));
}

export type EnsureTopicsResult = { created: string[]; existing: string[] };

// Idempotent: creates what is missing and refuses to go on when an existing input topic has the wrong
// partition count, because then restocks and purchases of one item would meet different workers.
export async function ensureTopics(admin: Admin): Promise<EnsureTopicsResult> {
  const wanted = topicConfigs();
  const present = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !present.has(topic.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: 30_000 });
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [topics.itemsAdded, topics.purchaseCreated] });
  const counts = metadata.topics.map((topic) => topic.partitions.length);
  if (new Set(counts).size !== 1) {
    throw new Error(
      `${topics.itemsAdded} and ${topics.purchaseCreated} must have the same partition count, found ${counts.join(' and ')}`,
    );
  }
  return {
    created: missing.map((topic) => topic.topic),
    existing: wanted.filter((topic) => present.has(topic.topic)).map((topic) => topic.topic),
  };
}
