// The worker process: the single writer for the items of the partitions it owns. Each partition batch is
// decided in offset order and committed to Postgres in one transaction with its offset (applyPartitionBatch in
// apply-batch.ts); the outbox relay then publishes the results.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Partitioners, type EachBatchPayload } from 'kafkajs';
import { config } from '../config';
import { disconnectPrisma } from '../db/client';
import { closePool } from '../db/pool';
import { claimPartitions, readOffsets } from '../db/stock-store';
import { createKafka } from '../kafka/client';
import { coPartitionedAssigner } from '../kafka/co-partitioned-assigner';
import { ensureTopics, topics } from '../kafka/topics';
import { limits } from '../limits';
import { componentLogger } from '../logger';
import { applyPartitionBatch } from './apply-batch';
import { decodeInputBatch } from './decode-batch';
import { startOutboxRelay } from './outbox-relay';

const log = componentLogger('worker');
const owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const kafka = createKafka(`${config.KAFKA_CLIENT_ID}-worker`);

const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin);
await admin.disconnect();

const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
  // An idempotent producer keeps retrying rather than give up on a result; the outbox holds it meanwhile.
  retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 2_000 },
});
await producer.connect();
const relay = startOutboxRelay(producer, log);

const consumer = kafka.consumer({
  groupId: config.KAFKA_WORKER_GROUP_ID,
  partitionAssigners: [coPartitionedAssigner],
  sessionTimeout: limits.workerSessionTimeoutMs,
  heartbeatInterval: limits.workerHeartbeatIntervalMs,
  maxBytesPerPartition: limits.workerFetchBytesPerPartitionMax,
  maxWaitTimeInMs: limits.workerFetchWaitMsMax,
  readUncommitted: false,
});
const inputTopics = [topics.itemsAdded, topics.purchaseCreated] as const;

// Epoch per owned partition number, claimed on every (re)assignment. Batches wait for the claim.
let epochs = new Map<number, Promise<number | undefined>>();
let malformedCount = 0;

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  const assignment = payload.memberAssignment as Record<string, number[]>;
  const partitions = [...new Set(Object.values(assignment).flat())].sort((a, b) => a - b);
  const claim = claimPartitions(partitions, owner);
  epochs = new Map(partitions.map((partition) => [partition, claim.then((claimed) => claimed.get(partition))]));
  void claim
    .then(async (claimed) => {
      log.info({ partitions, epochs: Object.fromEntries(claimed) }, 'partitions assigned');
      relay.setOwnedPartitions(partitions);
      // Kafka's committed offsets trail Postgres's; start where the stored effects end.
      for (const topic of inputTopics) {
        const stored = await readOffsets(topic, assignment[topic] ?? []);
        for (const [partition, offset] of stored) consumer.seek({ topic, partition, offset: offset.toString() });
      }
    })
    .catch((error: unknown) => log.error({ err: error }, 'could not claim partitions'));
});

async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
  if (batch.messages.length === 0 || !isRunning() || isStale()) return;
  const epoch = await epochs.get(batch.partition);
  if (epoch === undefined) return;

  const decoded = decodeInputBatch(batch);
  for (const problem of decoded.malformed) {
    malformedCount += 1;
    log.warn({ topic: batch.topic, partition: batch.partition, ...problem, malformedCount }, 'malformed message skipped');
  }
  const startedAt = performance.now();
  const nextOffset = BigInt(batch.lastOffset()) + 1n;
  const outcome = await applyPartitionBatch({
    topic: batch.topic,
    epoch,
    input: decoded.input,
    itemIds: decoded.itemIds,
    purchaseIds: decoded.purchaseIds,
    restockIds: decoded.restockIds,
    nextOffset,
    decidedAt: new Date().toISOString(),
  });
  if (outcome.status === 'fenced') {
    log.warn({ partition: batch.partition, epoch, currentEpoch: outcome.currentEpoch }, 'fenced: partition has a newer owner');
    return;
  }
  for (const rejected of outcome.plan.rejectedRestocks) log.warn(rejected, 'restock rejected');
  if (outcome.plan.repeatedRestocks > 0) log.info({ repeated: outcome.plan.repeatedRestocks }, 'restocks with a restockId already decided changed nothing');
  log.debug(
    { topic: batch.topic, partition: batch.partition, messages: batch.messages.length, durationMs: Math.round(performance.now() - startedAt) },
    'batch applied',
  );
  resolveOffset(batch.lastOffset());
  appliedOffsets.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: nextOffset.toString() });
  relay.wake();
  await heartbeat();
}

// Postgres holds the real position. Kafka's group offsets are only for tools (lag, kafka-consumer-groups),
// so they are committed every few seconds instead of after every batch, which would add a broker round
// trip to each batch.
const appliedOffsets = new Map<string, { topic: string; partition: number; offset: string }>();
const commitTimer = setInterval(() => {
  const offsets = [...appliedOffsets.values()];
  appliedOffsets.clear();
  if (offsets.length > 0) consumer.commitOffsets(offsets).catch((error: unknown) => log.warn({ err: error }, 'could not commit offsets to Kafka'));
}, limits.workerKafkaCommitIntervalMs);

await consumer.subscribe({ topics: [...inputTopics], fromBeginning: true });
await consumer.run({
  eachBatchAutoResolve: false,
  autoCommit: false,
  // Batches of different partitions run side by side; one partition's batches stay in order.
  partitionsConsumedConcurrently: config.KAFKA_TOPIC_PARTITIONS * inputTopics.length,
  eachBatch: handleBatch,
});
log.info({ owner, partitions: config.KAFKA_TOPIC_PARTITIONS }, 'worker ready');

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  setTimeout(() => process.exit(1), limits.shutdownTimeoutMs).unref();
  clearInterval(commitTimer);
  await consumer.disconnect();
  await relay.stop();
  await producer.disconnect();
  await Promise.allSettled([disconnectPrisma(), closePool()]);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
