// The worker process: the single writer for the items of the partitions it owns. Each partition batch is
// decided in offset order and committed to Postgres in one transaction with its offset (applyPartitionBatch in
// apply-batch.ts); the outbox relay then publishes the results.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EachBatchPayload } from 'kafkajs';
import { config } from '../config';
import { disconnectPrisma } from '../db/client';
import { closePool } from '../db/pool';
import { countDeadLetters, countOutboxBacklog } from '../db/metrics-store';
import { claimPartitions, findDueHolds, readOffsets } from '../db/stock-store';
import { createMetricsServer } from '../http/metrics-endpoint';
import { createKafka } from '../kafka/client';
import { coPartitionedAssigner } from '../kafka/co-partitioned-assigner';
import { exitWhenConsumerGivesUp } from '../kafka/consumer-crash';
import { createIdempotentProducer } from '../kafka/renewing-producer';
import { ensureTopics, topics } from '../kafka/topics';
import { limits } from '../limits';
import { componentLogger } from '../logger';
import { batchDuration, batchRecords, collectProcessMetrics, deadLettered, workerRegistry, purchasesDecided, readWhenScraped } from '../metrics';
import { retryWithBackoff } from '../retry';
import { applyPartitionBatch, type PartitionBatch } from './apply-batch';
import { applyBisecting, type BatchSlice } from './bisect-batch';
import { trackConsumerLag, type LagPosition } from './consumer-lag';
import { decodeInputBatch } from './decode-batch';
import { startHoldExpiry } from './hold-expiry';
import { checkStoredOffsets, offsetRefusalAdvice, startingOffsets, type PartitionEnds } from './offset-guard';
import { startOutboxRelay } from './outbox-relay';
import type { StoredPurchase } from '../purchases/stored-purchase';

const log = componentLogger('worker');
// Several workers may run side by side (npm run up's WORKER_COUNT): BPS_PROCESS_NAME tells them apart in the
// group's member ids (kafka-consumer-groups --describe) and in partition_owners.owner.
const processName = config.BPS_PROCESS_NAME ?? 'worker';
const owner = `${processName}@${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const kafka = createKafka(`${config.KAFKA_CLIENT_ID}-${processName}`);

// Kafka or Postgres may be restarting when the worker starts: its start-up and every partition claim retry
// with backoff instead of dying (a supervisor restarts a dead worker, but only after a pause).
const retrying = (what: string) => ({
  delayMsMin: limits.workerRetryDelayMsMin,
  delayMsMax: limits.workerRetryDelayMsMax,
  onFailure: (error: unknown, attempt: number, delayMs: number) => log.warn({ err: error, attempt, retryInMs: delayMs }, `${what} failed; retrying`),
});

// Kept connected: every assignment checks the stored offsets against the partitions' ends.
const admin = kafka.admin();
await retryWithBackoff(async () => {
  await admin.connect();
  await ensureTopics(admin);
}, retrying('start-up'));

// Renewed after a failed send: kafkajs's sequence numbers can no longer be trusted then (renewing-producer.ts),
// and a result published under a rewound sequence could be taken for a duplicate and never appended.
const producer = createIdempotentProducer(kafka, componentLogger('worker-producer'));
await retryWithBackoff(() => producer.connect(), retrying('producer connect'));
const relay = startOutboxRelay(producer, log);
const consumerLag = trackConsumerLag(admin, log);
// The partition numbers this worker owns: the outbox backlog gauge reports only those, so workers add up.
let ownedPartitions: readonly number[] = [];
const metricsServer = startMetricsServer();
// Shares the relay's producer: kafkajs keeps sequence numbers per topic-partition, the relay writes only to
// bps-purchase-finished and this only to bps-purchase-created, one send at a time.
const holdExpiry = startHoldExpiry({
  ownedPartitions: () => ownedPartitions,
  findDueHolds,
  append: async (messages) => {
    await producer.send({ topic: topics.purchaseCreated, acks: -1, messages });
  },
  now: () => Date.now(),
  log: componentLogger('hold-expiry'),
});

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
exitWhenConsumerGivesUp(consumer, log, 'worker');

// Epoch per owned partition number, claimed on every (re)assignment. Batches wait for the claim.
let epochs = new Map<number, Promise<number | undefined>>();

let joins = 0;
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  const assignment = payload.memberAssignment as Record<string, number[]>;
  const partitions = [...new Set(Object.values(assignment).flat())].sort((a, b) => a - b);
  const join = (joins += 1);
  // A newer assignment makes this claim pointless; its batches wait for the newer one's epochs.
  const claim = retryWithBackoff(() => claimPartitions(partitions, owner), { ...retrying('partition claim'), shouldStop: () => join !== joins });
  // Batches wait until the partitions are taken up entirely: claimed, their stored offsets checked, and the
  // consumer moved to them. A batch fetched before that is from Kafka's trailing group offset.
  const takenUp = claim.then(async (claimed) => {
    // Kafka's committed offsets trail Postgres's (or belong to a database since reset); start where the stored
    // effects end, never past them, and at the log's start where nothing is stored.
    const positions: LagPosition[] = [];
    for (const topic of inputTopics) {
      const stored = await readOffsets(topic, assignment[topic] ?? []);
      const ends = await partitionEnds(topic);
      refuseToSkip(topic, stored, ends);
      for (const [partition, offset] of startingOffsets(assignment[topic] ?? [], stored, ends)) consumer.seek({ topic, partition, offset: offset.toString() });
      for (const partition of assignment[topic] ?? []) positions.push({ topic, partition, nextOffset: stored.get(partition) });
    }
    log.info({ partitions, epochs: Object.fromEntries(claimed) }, 'partitions assigned');
    relay.setOwnedPartitions(partitions);
    ownedPartitions = partitions;
    consumerLag.assigned(positions);
    return claimed;
  });
  epochs = new Map(partitions.map((partition) => [partition, takenUp.then((claimed) => claimed.get(partition))]));
  takenUp.catch((error: unknown) => log.error({ err: error }, 'could not take up the assignment'));
});

async function partitionEnds(topic: string): Promise<PartitionEnds[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((offset) => ({ partition: offset.partition, low: BigInt(offset.low), high: BigInt(offset.high) }));
}

// Exit 78 (EX_CONFIG): a supervisor does not restart it, since a restart would only refuse again.
function refuseToSkip(topic: string, stored: ReadonlyMap<number, bigint>, ends: readonly PartitionEnds[]): void {
  const check = checkStoredOffsets(topic, stored, ends);
  if (check.ok) return;
  log.fatal({ problems: check.problems }, `refusing to start: the stored offsets do not fit the topics. ${offsetRefusalAdvice}`);
  console.error(`worker: refusing to start, it would skip events:\n  ${check.problems.join('\n  ')}\n${offsetRefusalAdvice}`);
  process.exit(78);
}

async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
  if (batch.messages.length === 0 || !isRunning() || isStale()) return;
  const epoch = await epochs.get(batch.partition);
  if (epoch === undefined) return;

  const startedAt = performance.now();
  const nextOffset = BigInt(batch.lastOffset()) + 1n;
  const decidedAt = new Date().toISOString();
  const outcomes = await retryTransient(
    () => applyBisecting(batch.messages, nextOffset, (slice) => applySlice(partitionBatch(batch, epoch, slice, decidedAt))),
    { heartbeat, stopped: () => !isRunning() || isStale(), partition: batch.partition, topic: batch.topic },
  );
  if (outcomes === undefined) return;
  const fenced = outcomes.find((outcome) => outcome.status === 'fenced');
  if (fenced !== undefined) {
    log.warn({ partition: batch.partition, epoch, currentEpoch: fenced.currentEpoch }, 'fenced: partition has a newer owner');
    return;
  }
  for (const outcome of outcomes) {
    if (outcome.status !== 'applied') continue;
    for (const rejected of outcome.plan.rejectedRestocks) log.warn(rejected, 'restock rejected');
    if (outcome.plan.idsTaken > 0) log.warn({ partition: batch.partition, idsTaken: outcome.plan.idsTaken }, 'records whose id a hold or purchase already had changed nothing');
    if (outcome.plan.editsRejected > 0) log.warn({ partition: batch.partition, editsRejected: outcome.plan.editsRejected }, 'edits of items never restocked changed nothing');
    if (outcome.plan.repeatedRestocks > 0) log.info({ repeated: outcome.plan.repeatedRestocks }, 'restocks with a restockId already decided changed nothing');
  }
  log.debug(
    { topic: batch.topic, partition: batch.partition, messages: batch.messages.length, durationMs: Math.round(performance.now() - startedAt) },
    'batch applied',
  );
  batchRecords.observe({ topic: batch.topic }, batch.messages.length);
  batchDuration.observe({ topic: batch.topic }, (performance.now() - startedAt) / 1000);
  consumerLag.applied(batch.topic, batch.partition, nextOffset, BigInt(batch.highWatermark));
  resolveOffset(batch.lastOffset());
  appliedOffsets.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: nextOffset.toString() });
  relay.wake();
  await heartbeat();
}

function partitionBatch(batch: EachBatchPayload['batch'], epoch: number, slice: BatchSlice, decidedAt: string): PartitionBatch {
  const decoded = decodeInputBatch({ topic: batch.topic, partition: batch.partition, messages: [...slice.messages] });
  const refused = slice.refused.map(({ message, reason }) => ({ offset: BigInt(message.offset), reason, value: message.value, key: message.key }));
  const deadLetters = [...decoded.malformed, ...refused];
  return {
    topic: batch.topic,
    epoch,
    input: decoded.input,
    itemIds: decoded.itemIds,
    purchaseIds: decoded.purchaseIds,
    holdIds: decoded.holdIds,
    restockIds: decoded.restockIds,
    deadLetters,
    nextOffset: slice.nextOffset,
    decidedAt,
  };
}

// Dead letters are logged and counted once their transaction committed, not for every attempt that rolled
// back; decisions likewise (a slice applied again after a retry finds its records applied and decides nothing).
async function applySlice(partitionBatch: PartitionBatch) {
  const outcome = await applyPartitionBatch(partitionBatch);
  if (outcome.status === 'applied') {
    countDecisions(outcome.plan.newPurchases);
    if (partitionBatch.deadLetters.length > 0) deadLettered.inc({ topic: partitionBatch.topic }, partitionBatch.deadLetters.length);
    for (const deadLetter of partitionBatch.deadLetters) {
      const { topic, input } = partitionBatch;
      log.warn({ topic, partition: input.partition, offset: deadLetter.offset.toString(), reason: deadLetter.reason }, 'record dead-lettered');
    }
  }
  return outcome;
}

function countDecisions(decided: readonly StoredPurchase[]): void {
  for (const { decision } of decided) {
    if (decision.type === 'PurchaseSucceeded') purchasesDecided.inc({ status: 'SUCCEEDED', reason: 'none' });
    else purchasesDecided.inc({ status: 'FAILED', reason: decision.reason });
  }
}

// A failure not tied to a record (database or broker down, a timeout) is retried here with backoff, heartbeating
// meanwhile, rather than thrown into kafkajs, which would restart the consumer. It stops (undefined) once the
// partition is no longer this consumer's.
// A failure not tied to a record (Postgres or Kafka away, a timeout) is retried in place with backoff and
// never dead-lettered; the heartbeat keeps the partition this consumer's meanwhile. Undefined once kafkajs
// says the partition is no longer ours.
async function retryTransient<T>(
  work: () => Promise<T>,
  context: { heartbeat: () => Promise<void>; stopped: () => boolean; topic: string; partition: number },
): Promise<T | undefined> {
  try {
    return await retryWithBackoff(work, {
      delayMsMin: limits.workerRetryDelayMsMin,
      delayMsMax: limits.workerRetryDelayMsMax,
      shouldStop: context.stopped,
      onFailure: (error, attempt, delayMs) => {
        log.warn({ err: error, topic: context.topic, partition: context.partition, attempt, retryInMs: delayMs }, 'batch failed, retrying');
        void context.heartbeat().catch(() => undefined);
      },
    });
  } catch (error) {
    if (context.stopped()) return undefined;
    throw error;
  }
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

// /metrics on a port of its own (WORKER_METRICS_PORT; 0: none). A port already taken (a second worker on the
// machine left at the default) is logged, not fatal: deciding purchases matters more than being scraped.
function startMetricsServer() {
  collectProcessMetrics(workerRegistry);
  readWhenScraped({ outboxBacklog: () => countOutboxBacklog(ownedPartitions), deadLetterRows: countDeadLetters });
  if (config.WORKER_METRICS_PORT === 0) return undefined;
  const server = createMetricsServer({ read: () => workerRegistry.metrics(), contentType: workerRegistry.contentType }, config.METRICS_TOKEN);
  server.on('error', (error: unknown) =>
    log.error({ err: error, port: config.WORKER_METRICS_PORT }, 'metrics listener failed; give each worker its own WORKER_METRICS_PORT (0 turns it off)'),
  );
  server.listen(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST, () =>
    log.info({ url: `http://${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}/metrics` }, 'metrics listening'),
  );
  return server;
}

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  setTimeout(() => process.exit(1), limits.shutdownTimeoutMs).unref();
  clearInterval(commitTimer);
  consumerLag.stop();
  metricsServer?.close();
  await holdExpiry.stop();
  await consumer.disconnect();
  await admin.disconnect();
  await relay.stop();
  await producer.disconnect();
  await Promise.allSettled([disconnectPrisma(), closePool()]);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
