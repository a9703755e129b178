// One run of npm run bench:scaling (scripts/scaling.ts starts one process per run, because the topic names and
// the partition count come from the environment at start-up): a fresh database and fresh topics, K compiled
// worker processes in one settled group, ample stock restocked and applied, then a backlog of purchases made
// visible to them all at once, and the time and CPU it takes them to decide it. Writes its result as JSON.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AssignerProtocol, Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { restockedTotal } from '../server/bench/bench-queries';
import { processTreeCpuSeconds, readMachineCpu, readProcessCpuSeconds, readProcessTable, type MachineCpu } from '../server/bench/process-table';
import { appendBacklog, backlogChunks } from '../server/bench/purchase-backlog';
import { balancedItemIds, kafkaPartitionOf } from '../server/bench/scaling-plan';
import { appliedRecords, databaseActivity, decidedBatches, decisionsByOwner, unpublishedResults } from '../server/bench/scaling-queries';
import { scalingRunResultSchema, type ScalingRunResult } from '../server/bench/scaling-report';
import { config } from '../server/config';
import { itemsAddedMessageSchema, itemsAddedSchemaVersion } from '../server/contract';
import { disconnectPrisma } from '../server/db/client';
import { closePool } from '../server/db/pool';
import { createKafka } from '../server/kafka/client';
import { encodeMessage } from '../server/kafka/messages';
import { ensureTopics, topics } from '../server/kafka/topics';
import { limits } from '../server/limits';
import { pollUntil, sleep, spawnWorkerProcess, type TestProcess } from '../server/testing/processes';
import { dropDatabase, migrate } from './migrate';

const { values: options } = parseArgs({
  options: {
    workers: { type: 'string' },
    items: { type: 'string' },
    purchases: { type: 'string' },
    repeat: { type: 'string' },
    'run-id': { type: 'string' },
    result: { type: 'string' },
    'postgres-data': { type: 'string' },
    'kafka-data': { type: 'string' },
  },
});

function required(name: keyof typeof options): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new Error(`scaling-run: --${name} is required`);
  return value;
}
const whole = (name: keyof typeof options) => {
  const value = Number(required(name));
  if (!Number.isInteger(value) || value < 1) throw new Error(`scaling-run: --${name} must be a positive whole number`);
  return value;
};

const settings = {
  partitions: config.KAFKA_TOPIC_PARTITIONS,
  workers: whole('workers'),
  items: whole('items'),
  purchases: whole('purchases'),
  repeat: whole('repeat'),
  runId: required('run-id'),
  resultFile: required('result'),
  postgresData: required('postgres-data'),
  kafkaData: required('kafka-data'),
};
// Each item gets one restock of the largest quantity allowed: more than any backlog here buys, so every purchase succeeds.
const stockPerItem = limits.quantityMax;
// How often the progress is read while the workers decide: the wall time is known to within this.
const progressPollMs = 100;
const drainTimeoutMs = 600_000;
// A backend reports its last counters as it exits, shortly after its client has closed the connection.
const backendExitMs = 500;
// The broker aborts a transaction open longer than this; appending 60,000 purchases took 12 s on the loaded machine.
const backlogTransactionTimeoutMs = 300_000;
const startedAt = performance.now();

function say(message: string): void {
  process.stderr.write(`scaling [${config.KAFKA_TOPIC_NAMESPACE} ${Math.round((performance.now() - startedAt) / 1000)} s] ${message}\n`);
}

// This run drops its database and deletes its topics: refuse anything but the benchmark's own.
function refuseForeignTargets(): void {
  if (!config.KAFKA_TOPIC_NAMESPACE.startsWith('scale')) throw new Error(`scaling-run: refusing namespace ${JSON.stringify(config.KAFKA_TOPIC_NAMESPACE)}; expected one of bench:scaling's`);
  if (!new URL(config.DATABASE_URL).pathname.includes('scaling')) throw new Error(`scaling-run: refusing database ${config.DATABASE_URL}; expected bench:scaling's own`);
}

async function loadAverage(): Promise<number> {
  return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
}

async function pidFromFile(file: string): Promise<number> {
  const pid = Number((await readFile(file, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid < 1) throw new Error(`no pid in ${file}`);
  return pid;
}

type Reading = { at: number; workers: number[]; postgres: number; broker: number; runner: number; machine: MachineCpu };
type Servers = { postgresPid: number; brokerPid: number };

async function readCpu(workers: readonly TestProcess[], servers: Servers): Promise<Reading> {
  const [table, machine, workerSeconds, broker] = await Promise.all([
    readProcessTable(),
    readMachineCpu(),
    Promise.all(workers.map((worker) => readProcessCpuSeconds(worker.pid))),
    readProcessCpuSeconds(servers.brokerPid),
  ]);
  const postgres = processTreeCpuSeconds(table, servers.postgresPid);
  if (postgres === undefined || broker === undefined || workerSeconds.some((seconds) => seconds === undefined)) throw new Error('a measured process is gone');
  const usage = process.cpuUsage();
  return { at: performance.now(), workers: workerSeconds.map((seconds) => seconds ?? 0), postgres, broker, runner: (usage.user + usage.system) / 1e6, machine };
}

// Polls faster than pollUntil: the moment the last purchase is decided is the measurement.
async function waitUntil(read: () => Promise<number>, done: (value: number) => boolean, intervalMs: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done(await read())) {
    if (performance.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

async function freshDatabaseAndTopics(admin: Admin): Promise<void> {
  say('fresh database and topics');
  await dropDatabase(config.DATABASE_URL);
  await migrate({ databaseUrl: config.DATABASE_URL });
  await ensureTopics(admin);
}

// All K workers in one group, the group settled: the restocks, then the backlog, meet the same K processes.
async function startWorkers(admin: Admin): Promise<TestProcess[]> {
  say(`starting ${settings.workers} compiled worker process(es)`);
  const workers = Array.from({ length: settings.workers }, () => spawnWorkerProcess());
  try {
    await waitForSettledGroup(admin, workers);
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.stop()));
    throw error;
  }
  return workers;
}

// Settled: the group is stable with every worker holding partitions, so no join is pending.
async function waitForSettledGroup(admin: Admin, workers: readonly TestProcess[]): Promise<void> {
  const settled = async () => {
    const exited = workers.find((worker) => worker.exitCode() !== null);
    if (exited) throw new Error(`a worker exited with ${exited.exitCode()}:\n${exited.output()}`);
    const [group] = (await admin.describeGroups([config.KAFKA_WORKER_GROUP_ID])).groups;
    const holding = (group?.members ?? []).filter((member) => Object.values(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {}).some((partitions) => partitions.length > 0));
    return group?.state === 'Stable' && holding.length === workers.length && workers.every((worker) => assignments(worker) > 0);
  };
  await pollUntil(settled, (done) => done, 180_000);
}

const assignments = (worker: TestProcess) => worker.output().split('partitions assigned').length - 1;

async function restock(producer: Producer, itemIds: readonly string[]): Promise<void> {
  say(`restocking ${itemIds.length} items, ${stockPerItem} each`);
  const addedAt = new Date().toISOString();
  const messages = itemIds.map((itemId, index) => ({
    key: itemId,
    value: encodeMessage(itemsAddedMessageSchema, { schemaVersion: itemsAddedSchemaVersion, kind: 'restock', restockId: `scale-${settings.runId}-restock-${index}`, itemId, description: `Scaling item ${itemId}`, quantity: stockPerItem, addedAt }),
  }));
  await producer.send({ topic: topics.itemsAdded, acks: -1, messages });
  await pollUntil(() => restockedTotal(itemIds), (books) => books.items === itemIds.length && books.restocked === itemIds.length * stockPerItem, 120_000);
}

// Owner names are `${hostname}-${pid}-${random}` (server/worker/main.ts).
function decisionsPerWorker(workers: readonly TestProcess[], byOwner: ReadonlyMap<string, number>): number[] {
  return workers.map((worker) => [...byOwner].filter(([owner]) => owner.split('-').at(-2) === String(worker.pid)).reduce((sum, [, decisions]) => sum + decisions, 0));
}

// The backlog is appended inside one Kafka transaction while the workers run: they read committed records
// only, so they see none of it until the commit, and then all of it at once. (Stopping them with SIGSTOP
// while appending, as npm run bench does, outlasted their 6-second session on the loaded machine, and the
// group rebalanced inside the measurement.)
async function appendInvisibly(kafka: Kafka, chunks: Parameters<typeof appendBacklog>[2]): Promise<{ commit: () => Promise<void>; appendSeconds: number }> {
  const producer = kafka.producer({
    transactionalId: `bps-scaling-backlog-${settings.runId}-${config.KAFKA_TOPIC_NAMESPACE}`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: backlogTransactionTimeoutMs,
    createPartitioner: Partitioners.DefaultPartitioner,
    // A fresh broker creates its transaction log (50 partitions) on the first transaction, which took longer
    // than kafkajs' default retries (about 9 s) on the loaded machine.
    retry: { retries: 12, maxRetryTime: 5_000 },
  });
  await producer.connect();
  const startedAt = performance.now();
  const transaction = await producer.transaction();
  try {
    await appendBacklog(transaction, topics.purchaseCreated, chunks);
  } catch (error) {
    await transaction.abort().finally(() => producer.disconnect());
    throw error;
  }
  const appendSeconds = (performance.now() - startedAt) / 1000;
  return { appendSeconds, commit: () => transaction.commit().finally(() => producer.disconnect()) };
}

async function measure(kafka: Kafka, admin: Admin, producer: Producer, servers: Servers): Promise<ScalingRunResult> {
  const loadAtStart = await loadAverage();
  await freshDatabaseAndTopics(admin);
  const itemIds = balancedItemIds(`scale-${settings.runId}-r${settings.repeat}-`, settings.items, settings.partitions, kafkaPartitionOf(settings.partitions));
  const chunks = backlogChunks({ itemIds, count: settings.purchases, idPrefix: `scale-${settings.runId}-r${settings.repeat}`, purchasedBy: 'bench-scaling', createdAt: new Date().toISOString() });
  const workers = await startWorkers(admin);
  try {
    await restock(producer, itemIds);
    say(`appending ${settings.purchases} purchases in a transaction the workers cannot see yet`);
    const backlog = await appendInvisibly(kafka, chunks);
    // Backends report their counters at most once a second: the restocks' are in by now.
    const activityBefore = await databaseActivity();
    const assignedBefore = workers.map(assignments);
    const before = await readCpu(workers, servers);
    await backlog.commit();
    await waitUntil(() => appliedRecords(topics.purchaseCreated), (applied) => applied >= settings.purchases, progressPollMs, drainTimeoutMs);
    const after = await readCpu(workers, servers);
    const wallSeconds = (after.at - before.at) / 1000;
    say(`decided ${settings.purchases} purchases in ${wallSeconds.toFixed(2)} s`);

    const rebalanced = workers.some((worker, index) => assignments(worker) !== assignedBefore[index]);
    const batches = await decidedBatches();
    const perWorker = decisionsPerWorker(workers, await decisionsByOwner());
    await waitUntil(unpublishedResults, (unpublished) => unpublished === 0, 250, 120_000);
    const publishedSeconds = (performance.now() - before.at) / 1000;
    // The workers' connections close as they stop, and their backends report the last counters as they exit.
    await Promise.all(workers.map((worker) => worker.stop()));
    await sleep(backendExitMs);
    const activityAfter = await databaseActivity();
    return {
      shape: { partitions: settings.partitions, workers: settings.workers },
      repeat: settings.repeat,
      namespace: config.KAFKA_TOPIC_NAMESPACE,
      items: itemIds.length,
      purchases: batches.purchases,
      succeeded: batches.succeeded,
      appendSeconds: backlog.appendSeconds,
      wallSeconds,
      publishedSeconds,
      cpuSeconds: {
        workers: after.workers.map((seconds, index) => seconds - (before.workers[index] ?? 0)),
        postgres: after.postgres - before.postgres,
        broker: after.broker - before.broker,
        runner: after.runner - before.runner,
        machineBusy: after.machine.busySeconds - before.machine.busySeconds,
        machineIdle: after.machine.idleSeconds - before.machine.idleSeconds,
      },
      decisionsPerWorker: perWorker,
      batches: batches.batches,
      transactionsCommitted: activityAfter.transactionsCommitted - activityBefore.transactionsCommitted,
      rowsWritten: activityAfter.rowsWritten - activityBefore.rowsWritten,
      rebalanced,
      loadAverage: { start: loadAtStart, end: await loadAverage() },
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

async function main(): Promise<void> {
  refuseForeignTargets();
  const servers = {
    postgresPid: await pidFromFile(path.join(settings.postgresData, 'postmaster.pid')),
    brokerPid: await pidFromFile(path.join(settings.kafkaData, 'broker.pid')),
  };
  const kafka = createKafka('bps-scaling');
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    const result = scalingRunResultSchema.parse(await measure(kafka, admin, producer, servers));
    await writeFile(settings.resultFile, `${JSON.stringify(result, null, 2)}\n`);
    // The run's topics are not needed again; deleting them keeps the broker as lean for the next run as for this one.
    await admin.deleteTopics({ topics: Object.values(topics), timeout: 30_000 });
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), disconnectPrisma(), closePool()]);
  }
}

await main();
