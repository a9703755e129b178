// The flash-sale benchmark (npm run bench; scripts/bench.sh prepares Kafka, Postgres, wrk and the build).
// Closed-loop load comes from wrk (scripts/wrk/*.lua), a separate C process; the steady open-loop scenario and
// the socket latency probe stay in Node (wrk 4.1 has no fixed-rate mode). Every figure is printed beside the
// framework ceilings measured in the same run, and against issue 9's targets. Correctness is checked after
// the load: the auditor over the bench's items, one result per accepted purchase, and the baseline's books.
import { randomInt, randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AssignerProtocol, Partitioners, type Admin } from 'kafkajs';
import { io as connectSocket } from 'socket.io-client';
import { z } from 'zod';
import { runAudit } from '../server/audit/run-audit';
import { countDecided, countWithoutResult, createBaselineItem, decidedSince, readBaselineBooks, restockedTotal } from '../server/bench/bench-queries';
import { startPlainHttpServer } from '../server/bench/ceilings';
import { parseProfileFileName, topSelfTime, type HotFunction } from '../server/bench/cpu-profile';
import { measureKafkaCeiling, type KafkaCeiling } from '../server/bench/kafka-ceiling';
import { cpuTakenBetween, parseProcessStat, processGroupMemory, readProcessTable, type ProcessEntry, type ProcessMemory } from '../server/bench/process-table';
import { barChartSvg, formatNumber, summarize, textTable } from '../server/bench/statistics';
import { nodeFlagsOf } from '../server/bench/production-flags';
import { appendBacklog, backlogChunks } from '../server/bench/purchase-backlog';
import { judgeTargets, type Verdict } from '../server/bench/targets';
import { checkWrkInstalled, countStatuses, runWrk, transportErrors, type WrkReport, type WrkRun } from '../server/bench/wrk';
import { config } from '../server/config';
import { purchaseCreatedMessageSchema, purchaseCreatedSchemaVersion, type AuditReport } from '../server/contract';
import { disconnectPrisma, getPrisma } from '../server/db/client';
import { createKafka } from '../server/kafka/client';
import { encodeMessage } from '../server/kafka/messages';
import { ensureTopics, topics } from '../server/kafka/topics';
import { limits } from '../server/limits';
import { pollUntil, sleep, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../server/testing/processes';
import { dropDatabase, migrate } from './migrate';

const { values: options } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    'wrk-threads': { type: 'string', default: '1' },
    items: { type: 'string', default: '1000' },
    'steady-rate': { type: 'string', default: '1000' },
    'steady-seconds': { type: 'string', default: '10' },
    'backlog-purchases': { type: 'string', default: '20000' },
    'ceiling-records': { type: 'string', default: '500000' },
    'baseline-pools': { type: 'string', default: '1,2,5,10,20' },
    'web-processes': { type: 'string', default: '1,2' },
    'kafka-libs': { type: 'string' },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

const integerList = (text: string) => text.split(',').map((value) => positive(value));
function positive(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench: expected a positive whole number, got ${JSON.stringify(text)}`);
  return value;
}

// The smoke run (npm test) exercises every scenario at a small scale and asserts no timing.
const smoke = options.smoke;
const settings = {
  connections: smoke ? 20 : positive(options.connections),
  seconds: smoke ? 2 : positive(options.seconds),
  wrkThreads: positive(options['wrk-threads']),
  spreadItemCount: smoke ? 50 : positive(options.items),
  steadyRate: smoke ? 100 : positive(options['steady-rate']),
  steadySeconds: smoke ? 3 : positive(options['steady-seconds']),
  backlogPurchases: smoke ? 500 : positive(options['backlog-purchases']),
  ceilingRecords: smoke ? 20_000 : positive(options['ceiling-records']),
  baselinePools: smoke ? [1, 2] : integerList(options['baseline-pools']),
  webProcesses: integerList(options['web-processes']),
  smoke,
};
const runId = Date.now().toString(36);
const seed = randomInt(1, 2 ** 31 - 1);
const outputDirectory = path.join('bench-results', new Date().toISOString().replace(/[:.]/g, '-'));
const profileDirectory = path.join(outputDirectory, 'profiles');
const port = 3200;
const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };
const benchStartedAt = performance.now();
// Stock that outlasts any run: the hot item is measured under contention, never sold out (a sold-out row
// would let the baseline fail purchases without taking its lock, which measures something else).
const hotStock = 100_000;
const baselineStock = 1_000_000;
const spreadStockPerItem = 20;
const stormStockPerItem = 20;
const steadyItemCount = 100;
const steadyStockPerItem = 1_000;

function say(message: string): void {
  const seconds = Math.round((performance.now() - benchStartedAt) / 1000);
  process.stderr.write(`bench [${seconds} s] ${message}\n`);
}

// ---- the processes under test ---------------------------------------------------------------------------
const workerGroup = `bps-worker-bench-${runId}`;
const nodeArguments = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
// The web server runs with production's node flags (its heap bound above all), read from package.json's start:web.
const packageScripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(await readFile('package.json', 'utf8'))).scripts;
const webNodeArguments = [...nodeFlagsOf(packageScripts['start:web'] ?? 'node'), ...nodeArguments];
// The load comes from one address, so the per-client bounds are raised to let it through: the hold bounds
// (made against one buyer scalping) far above anything one run's holds could reach.
const benchHoldsPerClientMax = 1_000_000;
const benchHeldUnitsPerClientMax = 1_000_000;
const environment = {
  KAFKA_WORKER_GROUP_ID: workerGroup,
  BASELINE_ENABLED: 'true',
  LOG_LEVEL: 'warn',
  CLIENT_WAITERS_MAX: String(limits.waitersMax),
  CLIENT_SOCKETS_MAX: '1000',
  HOLDS_PER_CLIENT_MAX: String(benchHoldsPerClientMax),
  HELD_UNITS_PER_CLIENT_MAX: String(benchHeldUnitsPerClientMax),
};

// Process groups of this run (the bench with its wrk and node:http children, each web server, the worker):
// whatever else used the CPU meanwhile is reported, since it would have shared the 2 cores with us.
const ourGroups = new Set<number>();

type WebMemory = { label: string; processes: ProcessMemory[] };
const webMemory: WebMemory[] = [];
let web: WebProcess | undefined;
let webLabel = '';

async function startWeb(webProcesses: number, baselinePoolSize: number): Promise<WebProcess> {
  await stopWeb();
  webLabel = `${webProcesses} web process${webProcesses === 1 ? '' : 'es'}, baseline pool ${baselinePoolSize}`;
  say(`starting the web server: ${webLabel}`);
  web = await startWebProcess(port, { ...environment, WEB_CONCURRENCY: String(webProcesses), BASELINE_POOL_SIZE: String(baselinePoolSize) }, webNodeArguments);
  ourGroups.add(web.pid);
  return web;
}

async function webResidentMegabytes(target: WebProcess): Promise<number> {
  return Math.max(...(await processGroupMemory(target.pid)).map((process) => process.residentMegabytes));
}

// Peak memory is read just before a web server stops: VmHWM of every process in its group.
async function stopWeb(): Promise<void> {
  if (!web) return;
  webMemory.push({ label: webLabel, processes: await processGroupMemory(web.pid) });
  await web.stop();
  web = undefined;
}

// ---- load -------------------------------------------------------------------------------------------
// Node closed loop, for set-up only (restocks): wrk does the measured closed-loop load.
async function closedLoop(total: number, workers: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await send(next++);
    }),
  );
}

// Restocks through the seller API, in pieces of at most quantityMax, then waits until the worker applied all.
async function restock(target: WebProcess, stock: ReadonlyMap<string, number>): Promise<void> {
  const requests = [...stock].flatMap(([itemId, quantity]) =>
    Array.from({ length: Math.ceil(quantity / limits.quantityMax) }, (_, index) => ({ itemId, quantity: Math.min(limits.quantityMax, quantity - index * limits.quantityMax) })),
  );
  await closedLoop(requests.length, 50, async (index) => {
    const body = requests[index];
    const response = await fetch(`${target.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ ...body, description: `Bench item ${body?.itemId}` }) });
    if (response.status !== 202) throw new Error(`restock answered ${response.status}: ${await response.text()}`);
  });
  const total = [...stock.values()].reduce((sum, quantity) => sum + quantity, 0);
  await pollUntil(() => restockedTotal([...stock.keys()]), (books) => books.items === stock.size && books.restocked === total, 120_000);
}

type Timed = { purchaseId: string; startedAt: number; latencyMs: number; httpStatus: number };

// node:http with a keep-alive agent rather than fetch: undici's fetch cost this process 61 % of a core at
// 1,000/s, against 24 % for this, and every CPU-second the load generator takes is one the system under test
// lacks on these two cores (the p99 at 1,000/s went from 921 to 79 ms with nothing else changed).
const steadyAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function postJson(target: WebProcess, path: string, body: string): Promise<number> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, method: 'POST', agent: steadyAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function postPurchase(target: WebProcess, itemId: string): Promise<Timed> {
  const purchaseId = `steady-${runId}-${randomUUID()}`;
  const startedAt = performance.now();
  const body = JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: 'bench-steady' });
  const httpStatus = await postJson(target, `/api/purchases?wait=${limits.purchaseWaitMsMax}`, body).catch(() => 0);
  return { purchaseId, startedAt, latencyMs: performance.now() - startedAt, httpStatus };
}

// Open loop: requests leave at a steady rate whatever the answers do (a flash sale does not wait for us).
async function openLoop<T>(ratePerSecond: number, seconds: number, send: (index: number) => Promise<T>): Promise<T[]> {
  const total = Math.round(ratePerSecond * seconds);
  const startedAt = performance.now();
  const pending: Promise<T>[] = [];
  for (let index = 0; index < total; index += 1) {
    const wait = startedAt + (index * 1000) / ratePerSecond - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(send(index));
  }
  return Promise.all(pending);
}

// ---- scenarios ---------------------------------------------------------------------------------------
type ScenarioKind = 'hot-wait' | 'hot-no-wait' | 'spread' | 'storm' | 'steady' | 'baseline';
type Row = {
  kind: ScenarioKind;
  name: string;
  webProcesses: number | undefined;
  requests: number;
  acceptedPerSecond: number;
  decidedPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  socketP99Ms: number;
  // The largest web process's resident size right after the scenario: growth from row to row is kept memory.
  webResidentMegabytes: number;
  outcomes: string;
};

function outcomesOf(report: WrkReport): string {
  const statuses = Object.entries(report.statuses ?? {}).map(([status, count]) => `${status}: ${count}`);
  const errors = Object.entries(report.errors).filter(([, count]) => count > 0).map(([kind, count]) => `${kind} errors: ${count}`);
  return [...statuses, ...errors].join(', ') || 'none';
}

function wrkRun(url: string, script: WrkRun['script'], scriptArguments: readonly string[] = []): WrkRun {
  return { url, script, connections: settings.connections, seconds: settings.seconds, threads: settings.wrkThreads, scriptArguments };
}

// A ceiling: requests answered per second, and their latency.
type Ceiling = { name: string; webProcesses: number | undefined; report: WrkReport; requestsPerSecond: number };

async function measureCeiling(name: string, url: string, webProcesses: number | undefined): Promise<Ceiling> {
  say(`ceiling: ${name}, ${settings.connections} connections, ${settings.seconds} s`);
  const report = await runWrk(wrkRun(url, 'ping.lua'));
  const answered = report.requests - report.errors.status;
  return { name, webProcesses, report, requestsPerSecond: answered / report.durationSeconds };
}

const failures: string[] = [];

// Waits until every purchase the API accepted for these items has its result; what is still missing then is
// a failure of the run (and of the "exactly one result" target), not a reason to stop measuring.
async function drain(name: string, itemIds: readonly string[]): Promise<void> {
  const missing = await pollUntil(() => countWithoutResult(itemIds), (count) => count === 0, 120_000).catch(() => countWithoutResult(itemIds));
  if (missing > 0) failures.push(`${name}: ${missing} accepted purchases had no result after 120 s`);
}

type PurchaseLoad = { kind: ScenarioKind; name: string; tag: string; itemIds: readonly string[]; path: string; extraArguments?: readonly string[] };

async function runPurchaseLoad(target: WebProcess, webProcesses: number, load: PurchaseLoad): Promise<Row> {
  say(`${load.name}: ${settings.connections} connections, ${settings.seconds} s`);
  const from = new Date();
  const report = await runWrk(
    wrkRun(target.url, 'purchase.lua', [`path=${load.path}`, `items=${load.itemIds.join(',')}`, `tag=${load.tag}${runId}`, `seed=${seed}`, ...(load.extraArguments ?? [])]),
  );
  const to = new Date();
  await drain(load.name, load.itemIds);
  // Restocks answer 202 too; those sent are taken off (the last few may still have been in flight).
  const accepted = countStatuses(report, [200, 202]) - (report.restocks ?? 0);
  if (accepted <= 0) failures.push(`${load.name}: no purchase was accepted (${outcomesOf(report)})`);
  const decided = await countDecided(load.itemIds, from, to);
  return {
    kind: load.kind,
    name: load.name,
    webProcesses,
    requests: report.requests,
    acceptedPerSecond: accepted / report.durationSeconds,
    decidedPerSecond: decided / ((to.getTime() - from.getTime()) / 1000),
    latencyMs: report.latencyMs,
    socketP99Ms: Number.NaN,
    webResidentMegabytes: await webResidentMegabytes(target),
    outcomes: outcomesOf(report),
  };
}

// The steady open loop, from Node, with one socket.io client measuring POST → purchase.finished. The socket is
// connected for this scenario only, so that it costs nothing during the closed-loop ones.
async function runSteady(target: WebProcess, itemIds: readonly string[]): Promise<Row> {
  const name = `steady ${formatNumber(settings.steadyRate)}/s (Node open loop)`;
  say(`${name}, ${settings.steadySeconds} s`);
  const arrivals = new Map<string, number>();
  const socket = connectSocket(target.url, { transports: ['websocket'] });
  socket.on('purchase.finished', (result: { purchaseId: string }) => {
    if (!arrivals.has(result.purchaseId)) arrivals.set(result.purchaseId, performance.now());
  });
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
  const from = new Date();
  const results = await openLoop(settings.steadyRate, settings.steadySeconds, (index) => postPurchase(target, itemIds[index % itemIds.length] ?? ''));
  const to = new Date();
  await drain(name, itemIds);
  const accepted = results.filter((result) => result.httpStatus === 200 || result.httpStatus === 202);
  await pollUntil(async () => accepted.filter((result) => arrivals.has(result.purchaseId)).length, (count) => count === accepted.length, 10_000).catch(() => undefined);
  socket.close();
  const statuses = new Map<number, number>();
  for (const result of results) statuses.set(result.httpStatus, (statuses.get(result.httpStatus) ?? 0) + 1);
  const latency = summarize(accepted.map((result) => result.latencyMs));
  const socketLatency = summarize(accepted.flatMap((result) => {
    const arrivedAt = arrivals.get(result.purchaseId);
    return arrivedAt === undefined ? [] : [arrivedAt - result.startedAt];
  }));
  const missedBySocket = accepted.length - socketLatency.count;
  return {
    kind: 'steady',
    name,
    webProcesses: settings.webProcesses[0],
    requests: results.length,
    acceptedPerSecond: accepted.length / settings.steadySeconds,
    decidedPerSecond: (await countDecided(itemIds, from, to)) / ((to.getTime() - from.getTime()) / 1000),
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
    socketP99Ms: missedBySocket > 0 ? Number.NaN : socketLatency.p99,
    webResidentMegabytes: await webResidentMegabytes(target),
    outcomes: [...[...statuses].map(([status, count]) => `${status === 0 ? 'no answer' : status}: ${count}`), ...(missedBySocket > 0 ? [`no socket event: ${missedBySocket}`] : [])].join(', '),
  };
}

type BaselineRun = { poolSize: number; row: Row; oversold: boolean; books: { available: number; soldQuantity: number; decided: number } };

// The row-lock baseline on its own hot item: every 200 is a decided purchase.
async function runBaseline(target: WebProcess, poolSize: number): Promise<BaselineRun> {
  const itemId = `bench-baseline-${runId}-pool${poolSize}`;
  await createBaselineItem(itemId, baselineStock);
  const name = `row-lock baseline, pool ${poolSize}`;
  say(`${name}: ${settings.connections} connections, ${settings.seconds} s`);
  const report = await runWrk(wrkRun(target.url, 'purchase.lua', ['path=/api/baseline/purchases', `items=${itemId}`, `tag=base${poolSize}${runId}`, `seed=${seed}`]));
  const decided = countStatuses(report, [200]);
  if (decided === 0) failures.push(`${name}: nothing decided (${outcomesOf(report)})`);
  const books = await readBaselineBooks(itemId);
  const oversold = books.available < 0 || books.available + books.soldQuantity !== baselineStock;
  return {
    poolSize,
    oversold,
    books,
    row: {
      kind: 'baseline',
      name,
      webProcesses: 1,
      requests: report.requests,
      acceptedPerSecond: decided / report.durationSeconds,
      decidedPerSecond: decided / report.durationSeconds,
      latencyMs: report.latencyMs,
      socketP99Ms: Number.NaN,
      webResidentMegabytes: await webResidentMegabytes(target),
      outcomes: outcomesOf(report),
    },
  };
}

// Worker capacity: a backlog appended while the worker is paused, then decided in batches.
async function runWorkerBacklog(worker: TestProcess, itemIds: readonly string[]): Promise<number> {
  say(`worker backlog: ${settings.backlogPurchases} purchases`);
  const chunks = backlogChunks({ itemIds, count: settings.backlogPurchases, idPrefix: `backlog-${runId}`, purchasedBy: 'bench-backlog', createdAt: new Date().toISOString() });
  const producer = createKafka('bps-bench').producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const since = new Date();
  worker.signal('SIGSTOP');
  try {
    await appendBacklog(producer, topics.purchaseCreated, chunks);
  } finally {
    await producer.disconnect();
  }
  const resumedAt = Date.now();
  worker.signal('SIGCONT');
  const backlog = await pollUntil(() => decidedSince(itemIds, since), (value) => value.count >= settings.backlogPurchases, 300_000);
  return settings.backlogPurchases / ((backlog.last - resumedAt) / 1000);
}

async function consumerLag(admin: Admin): Promise<number> {
  await sleep(6_000); // kafkajs commits resolved offsets every 5 s.
  let lag = 0;
  for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
    const [committed] = await admin.fetchOffsets({ groupId: workerGroup, topics: [topic] });
    for (const end of await admin.fetchTopicOffsets(topic)) {
      const offset = Number(committed?.partitions.find((partition) => partition.partition === end.partition)?.offset ?? -1);
      const stored = await getPrisma().consumerOffset.findUnique({ where: { topic_partition: { topic, partition: end.partition } } });
      lag += Number(end.high) - Math.max(offset, Number(stored?.nextOffset ?? 0));
    }
  }
  return lag;
}

// A fresh database whose worker starts at the topics' current ends: earlier history is not replayed.
async function freshDatabase(admin: Admin): Promise<void> {
  await dropDatabase(config.DATABASE_URL);
  await migrate({ databaseUrl: config.DATABASE_URL });
  // The benchmark's own namespace (bench.sh sets it) may not have its topics yet.
  await ensureTopics(admin);
  for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
    for (const end of await admin.fetchTopicOffsets(topic)) {
      await getPrisma().consumerOffset.create({ data: { topic, partition: end.partition, nextOffset: BigInt(end.high) } });
    }
  }
}

async function kafkaCeiling(admin: Admin): Promise<KafkaCeiling> {
  say(`Kafka perf tools: ${settings.ceilingRecords} records`);
  const sampleBytes = encodeMessage(purchaseCreatedMessageSchema, { schemaVersion: purchaseCreatedSchemaVersion, kind: 'purchase', purchaseId: `wrk-${runId}-1-1000`, itemId: `bench-spread-${runId}-100`, quantity: 1, purchasedBy: 'wrk-spread', createdAt: new Date().toISOString() }).length;
  const topic = `bps-bench-ceiling-${runId}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  try {
    return await measureKafkaCeiling(options['kafka-libs'] ?? '', config.KAFKA_BROKERS.join(','), topic, settings.ceilingRecords, sampleBytes);
  } finally {
    await admin.deleteTopics({ topics: [topic] });
  }
}

// Other deciding workers on the same broker (another checkout's, a test's) decide our purchases against their
// own database and publish those results to the same topic: the audit then sees two results for one purchase.
async function otherWorkerGroups(admin: Admin): Promise<string[]> {
  const { groups } = await admin.listGroups();
  const candidates = groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith('bps-worker') && groupId !== workerGroup);
  if (candidates.length === 0) return [];
  const described = await admin.describeGroups(candidates);
  // Only a group assigned our input topics decides our purchases (a development stack's worker reads its own namespace).
  const readsOurTopics = (assignment: Buffer) =>
    Object.keys(AssignerProtocol.MemberAssignment.decode(assignment)?.assignment ?? {}).some((topic) => topic === topics.itemsAdded || topic === topics.purchaseCreated);
  return described.groups
    .filter((group) => group.state === 'Stable' && group.members.some((member) => readsOurTopics(member.memberAssignment)))
    .map((group) => group.groupId);
}

// Shared services count as ours: PostgreSQL and the Kafka broker (a java process) serve this run too.
function isOursOrShared(entry: ProcessEntry): boolean {
  return ourGroups.has(entry.groupId) || entry.command === 'postgres' || entry.command === 'java';
}

async function ownGroupId(): Promise<number> {
  const stat = parseProcessStat(await readFile('/proc/self/stat', 'utf8'));
  if (!stat) throw new Error('cannot read /proc/self/stat');
  return stat.groupId;
}

// ---- the run ------------------------------------------------------------------------------------------
const processesLabel = (count: number | undefined) => (count === undefined ? '–' : String(count));
const best = <T>(values: readonly T[], score: (value: T) => number): T | undefined =>
  values.reduce<T | undefined>((top, value) => (top === undefined || score(value) > score(top) ? value : top), undefined);

// Each scenario buys its own items, all restocked before any measurement.
function benchItems() {
  const hot = (processes: number, wait: boolean) => `bench-hot-${runId}-p${processes}-${wait ? 'wait' : 'nowait'}`;
  const items = {
    hot,
    hotAll: settings.webProcesses.flatMap((processes) => [hot(processes, true), hot(processes, false)]),
    spread: Array.from({ length: settings.spreadItemCount }, (_, index) => `bench-spread-${runId}-${index}`),
    storm: Array.from({ length: 5 }, (_, index) => `bench-storm-${runId}-${index}`),
    steady: Array.from({ length: steadyItemCount }, (_, index) => `bench-steady-${runId}-${index}`),
  };
  const stock = new Map([
    ...items.hotAll.map((itemId) => [itemId, hotStock] as const),
    ...items.spread.map((itemId) => [itemId, spreadStockPerItem] as const),
    ...items.storm.map((itemId) => [itemId, stormStockPerItem] as const),
    ...items.steady.map((itemId) => [itemId, steadyStockPerItem] as const),
  ]);
  return { ...items, stock, all: [...stock.keys()] };
}
type BenchItems = ReturnType<typeof benchItems>;

type Loads = { ceilings: Ceiling[]; rows: Row[]; baselineRuns: BaselineRun[] };

// Every HTTP scenario. The first web-process count runs them all; the baseline's sweep restarts one web
// process per pool size; each further web-process count repeats the ceiling and the hot item.
async function runLoads(items: BenchItems, plainHttpUrl: string): Promise<Loads> {
  const [firstWebProcesses = 1, ...otherWebProcesses] = settings.webProcesses;
  const [firstPool = 2, ...otherPools] = settings.baselinePools;
  const ceilings: Ceiling[] = [await measureCeiling('node:http {"ok":true}', `${plainHttpUrl}/`, undefined)];
  const rows: Row[] = [];
  const wait = `/api/purchases?wait=${limits.purchaseWaitMsMax}`;
  const hotLoads = async (target: WebProcess, processes: number) => {
    ceilings.push(await measureCeiling('Next GET /api/ping', `${target.url}/api/ping`, processes));
    rows.push(await runPurchaseLoad(target, processes, { kind: 'hot-wait', name: 'hot item, ?wait=10000', tag: `hw${processes}`, itemIds: [items.hot(processes, true)], path: wait }));
    rows.push(await runPurchaseLoad(target, processes, { kind: 'hot-no-wait', name: 'hot item, no wait', tag: `hn${processes}`, itemIds: [items.hot(processes, false)], path: '/api/purchases' }));
  };

  let target = await startWeb(firstWebProcesses, firstPool);
  say(`restocking ${items.stock.size} items`);
  await restock(target, items.stock);
  await hotLoads(target, firstWebProcesses);
  rows.push(await runPurchaseLoad(target, firstWebProcesses, { kind: 'spread', name: `spread over ${items.spread.length} items, ?wait=10000`, tag: 'sp', itemIds: items.spread, path: wait }));
  rows.push(await runPurchaseLoad(target, firstWebProcesses, {
    kind: 'storm',
    name: 'restock storm (every 10th a restock), ?wait=10000',
    tag: 'st',
    itemIds: items.storm,
    path: wait,
    extraArguments: ['restockEvery=10', 'restockQuantity=5', `sellerToken=${config.SELLER_TOKEN}`],
  }));
  rows.push(await runSteady(target, items.steady));

  const baselineRuns: BaselineRun[] = [await runBaseline(target, firstPool)];
  for (const poolSize of otherPools) {
    target = await startWeb(firstWebProcesses, poolSize);
    baselineRuns.push(await runBaseline(target, poolSize));
  }
  for (const processes of otherWebProcesses) {
    target = await startWeb(processes, firstPool);
    await hotLoads(target, processes);
  }
  await stopWeb();
  return { ceilings, rows, baselineRuns };
}

type Measurements = Loads & {
  workerDecisionsPerSecond: number;
  workerPeak: ProcessMemory[];
  lag: number;
  kafka: KafkaCeiling;
  otherCpu: { command: string; cpuSeconds: number }[];
  otherWorkers: string[];
  audit: AuditReport;
  purchasesWithoutResult: number;
  violations: string[];
  profiles: Record<string, HotFunction[]>;
};

// The main thread's profile of each process, named by its role in the run.
async function readProfiles(workerPid: number): Promise<Record<string, HotFunction[]>> {
  const profiles: Record<string, HotFunction[]> = {};
  if (!options.profile) return profiles;
  const roles = new Map<number, string>([[workerPid, 'worker']]);
  for (const entry of webMemory) {
    for (const process of entry.processes) roles.set(process.pid, `web (${entry.label}), pid ${process.pid}`);
  }
  for (const file of await readdir(profileDirectory)) {
    const written = parseProfileFileName(file);
    if (written?.threadId !== 0) continue;
    profiles[`${roles.get(written.pid) ?? `pid ${written.pid}`}: ${file}`] = await topSelfTime(path.join(profileDirectory, file), 12);
  }
  return profiles;
}

function judge(measurements: Measurements): Verdict[] {
  const { rows, baselineRuns } = measurements;
  const bestBaseline = best(baselineRuns, (run) => run.row.decidedPerSecond);
  const bestHot = best(rows.filter((row) => row.kind === 'hot-wait'), (row) => row.decidedPerSecond);
  const bestHotNoWait = best(rows.filter((row) => row.kind === 'hot-no-wait'), (row) => row.acceptedPerSecond);
  const steady = rows.find((row) => row.kind === 'steady');
  return judgeTargets({
    hotLabel: `${processesLabel(bestHot?.webProcesses)} web process${bestHot?.webProcesses === 1 ? '' : 'es'}`,
    hotDecidedPerSecond: bestHot?.decidedPerSecond ?? Number.NaN,
    hotResultP99Ms: bestHot?.latencyMs.p99 ?? Number.NaN,
    hotNoWaitAcceptedPerSecond: bestHotNoWait?.acceptedPerSecond ?? Number.NaN,
    baselineLabel: `pool ${bestBaseline?.poolSize ?? '–'}`,
    baselineDecidedPerSecond: bestBaseline?.row.decidedPerSecond ?? Number.NaN,
    baselineP99Ms: bestBaseline?.row.latencyMs.p99 ?? Number.NaN,
    steadyRatePerSecond: settings.steadyRate,
    steadyResultP99Ms: steady?.latencyMs.p99 ?? Number.NaN,
    steadySocketP99Ms: steady?.socketP99Ms ?? Number.NaN,
    webPeakMegabytesMax: Math.max(...webMemory.flatMap((entry) => entry.processes.map((process) => process.peakMegabytes))),
    auditViolations: measurements.audit.violations.length,
    purchasesWithoutResult: measurements.purchasesWithoutResult,
    baselineOversold: baselineRuns.some((run) => run.oversold),
  });
}

function scenarioTables(measurements: Measurements): string[] {
  const { ceilings, rows, baselineRuns } = measurements;
  const bestBaseline = best(baselineRuns, (run) => run.row.decidedPerSecond);
  const nextCeiling = (webProcesses: number | undefined) => ceilings.find((entry) => entry.webProcesses === webProcesses && entry.name.startsWith('Next'));
  const plainCeiling = ceilings.find((entry) => entry.webProcesses === undefined)?.requestsPerSecond ?? Number.NaN;
  const ceilingTable = textTable(
    ['ceiling (GET, wrk)', 'web procs', 'requests', 'answered/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'outcomes'],
    ceilings.map((entry) => [
      entry.name, processesLabel(entry.webProcesses), String(entry.report.requests), formatNumber(entry.requestsPerSecond),
      formatNumber(entry.report.latencyMs.p50), formatNumber(entry.report.latencyMs.p90), formatNumber(entry.report.latencyMs.p99), formatNumber(entry.report.latencyMs.max),
      entry.report.errors.status + transportErrors(entry.report) === 0 ? 'all 2xx' : outcomesOf(entry.report),
    ]),
  );
  const header = ['scenario', 'web procs', 'requests', 'accepted/s', 'decided/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'socket p99 ms', 'ceiling/s Next / node:http', 'web RSS MB', 'outcomes'];
  const cells = (row: Row) => [
    row.name, processesLabel(row.webProcesses), String(row.requests), formatNumber(row.acceptedPerSecond), formatNumber(row.decidedPerSecond),
    formatNumber(row.latencyMs.p50), formatNumber(row.latencyMs.p90), formatNumber(row.latencyMs.p99), formatNumber(row.latencyMs.max), formatNumber(row.socketP99Ms),
    `${formatNumber(nextCeiling(row.webProcesses)?.requestsPerSecond ?? Number.NaN)} / ${formatNumber(plainCeiling)}`, formatNumber(row.webResidentMegabytes), row.outcomes,
  ];
  const baselineRows = baselineRuns.map((run) => cells({ ...run.row, name: `${run.row.name}${run === bestBaseline ? ' (best)' : ''}` }));
  const bestHot = best(rows.filter((row) => row.kind === 'hot-wait'), (row) => row.decidedPerSecond);
  return [
    ceilingTable,
    '',
    textTable(header, rows.map(cells)),
    '',
    textTable(header, baselineRows),
    '',
    `hot item vs best baseline: ${formatNumber((bestHot?.decidedPerSecond ?? Number.NaN) / (bestBaseline?.row.decidedPerSecond ?? Number.NaN))}× decided/s, p99 ${formatNumber(bestHot?.latencyMs.p99 ?? Number.NaN)} ms vs ${formatNumber(bestBaseline?.row.latencyMs.p99 ?? Number.NaN)} ms`,
  ];
}

function machineLines(measurements: Measurements): string[] {
  const { kafka, otherCpu } = measurements;
  const otherCpuSeconds = otherCpu.reduce((sum, entry) => sum + entry.cpuSeconds, 0);
  const memoryLines = webMemory.map((entry) => {
    const peaks = entry.processes.map((process) => formatNumber(process.peakMegabytes));
    const total = entry.processes.reduce((sum, process) => sum + process.peakMegabytes, 0);
    return `  web (${entry.label}): ${entry.processes.length} process${entry.processes.length === 1 ? '' : 'es'}, peak RSS ${peaks.join(' + ')} MB = ${formatNumber(total)} MB`;
  });
  const kafkaCeilingPerSecond = Math.min(kafka.producerRecordsPerSecond, kafka.consumerRecordsPerSecond);
  return [
    `worker, backlog of ${settings.backlogPurchases}: ${formatNumber(measurements.workerDecisionsPerSecond)} decisions/s`,
    `Kafka perf tools (${kafka.records} records of ${kafka.recordBytes} B): producer ${formatNumber(kafka.producerRecordsPerSecond)}/s, consumer ${formatNumber(kafka.consumerRecordsPerSecond)}/s; the worker's backlog rate is ${(100 * measurements.workerDecisionsPerSecond / kafkaCeilingPerSecond).toFixed(1)}% of the lower`,
    'peak memory (VmHWM):',
    ...memoryLines,
    `  worker: ${measurements.workerPeak.map((process) => formatNumber(process.peakMegabytes)).join(' + ')} MB`,
    `consumer lag at the end: ${measurements.lag}`,
    `other processes on this machine during the run: ${formatNumber(otherCpuSeconds)} CPU-seconds${otherCpu.length === 0 ? '' : ` (${otherCpu.slice(0, 5).map((entry) => `${entry.command} ${formatNumber(entry.cpuSeconds)} s`).join(', ')})`}; postgres and the broker not counted`,
    ...(measurements.otherWorkers.length === 0
      ? []
      : [`WARNING: other workers consumed the input topics during the run (${measurements.otherWorkers.join(', ')}): they decide our purchases against their own database and publish to the same result topic, so the audit sees two results for one purchase. Run the bench with no other worker on this broker.`]),
    `audit: ${measurements.audit.clean ? 'CLEAN' : `NOT CLEAN (${measurements.audit.violations.length} violations)`} over ${measurements.audit.items.length} items; accepted purchases without a result: ${measurements.purchasesWithoutResult}`,
  ];
}

function renderReport(measurements: Measurements, verdicts: readonly Verdict[], totalSeconds: number): string[] {
  return [
    `bench ${new Date().toISOString()}: ${settings.connections} connections, ${settings.seconds} s per wrk run, wrk ${settings.wrkThreads} thread(s), seed ${seed}${smoke ? ', SMOKE (no timing asserted)' : ''}`,
    `web server: node ${webNodeArguments.join(' ')} --import tsx server/web.ts`,
    '',
    ...scenarioTables(measurements),
    ...machineLines(measurements),
    '',
    textTable(['target (issue 9)', 'measured', 'verdict'], verdicts.map((verdict) => [verdict.target, verdict.measured, verdict.verdict])),
    '',
    ...Object.entries(measurements.profiles).flatMap(([file, hotFunctions]) => [`profile ${file}:`, ...hotFunctions.map((fn) => `  ${(100 * fn.share).toFixed(1).padStart(5)}%  ${fn.name}`)]),
    `total: ${Math.floor(totalSeconds / 60)} min ${Math.round(totalSeconds % 60)} s`,
    ...measurements.violations.map((violation) => `  violation: ${violation}`),
  ];
}

async function writeResults(measurements: Measurements, verdicts: readonly Verdict[], lines: readonly string[], totalSeconds: number): Promise<void> {
  const cpus = (await readFile('/proc/cpuinfo', 'utf8')).split('\n').filter((line) => line.startsWith('processor')).length;
  const { ceilings, rows, baselineRuns } = measurements;
  const bestBaseline = best(baselineRuns, (run) => run.row.decidedPerSecond);
  const summary = {
    machine: { cpus, node: process.version },
    settings,
    seed,
    ceilings: ceilings.map((entry) => ({ name: entry.name, webProcesses: entry.webProcesses ?? null, requestsPerSecond: entry.requestsPerSecond, wrk: entry.report })),
    scenarios: rows,
    baseline: baselineRuns.map((run) => ({ poolSize: run.poolSize, ...run.row, books: run.books, oversold: run.oversold, best: run === bestBaseline })),
    workerDecisionsPerSecond: measurements.workerDecisionsPerSecond,
    kafkaCeiling: measurements.kafka,
    memory: { web: webMemory, worker: measurements.workerPeak },
    consumerLagAtEnd: measurements.lag,
    otherProcesses: { top: measurements.otherCpu.slice(0, 10), otherWorkerGroups: measurements.otherWorkers },
    audit: { clean: measurements.violations.length === 0, violations: measurements.violations, items: measurements.audit.items.length, purchasesWithoutResult: measurements.purchasesWithoutResult },
    verdicts,
    profiles: measurements.profiles,
    totalSeconds,
  };
  const chart = barChartSvg(`Per second, ${settings.connections} connections (${cpus} cores)`, '/s', [
    ...ceilings.map((entry) => ({ label: `ceiling: ${entry.name}${entry.webProcesses === undefined ? '' : ` ×${entry.webProcesses}`}`, value: entry.requestsPerSecond, group: 'ceiling' })),
    ...rows.map((row) => ({ label: `${row.name} ×${processesLabel(row.webProcesses)}: decided`, value: row.decidedPerSecond, group: 'pipeline' })),
    ...baselineRuns.map((run) => ({ label: run.row.name, value: run.row.decidedPerSecond, group: 'baseline' })),
    { label: 'worker decisions (backlog)', value: measurements.workerDecisionsPerSecond, group: 'worker' },
    { label: 'Kafka consumer perf tool', value: measurements.kafka.consumerRecordsPerSecond, group: 'kafka' },
  ]);
  await writeFile(path.join(outputDirectory, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(path.join(outputDirectory, 'results.txt'), `${lines.join('\n')}\n`);
  await writeFile(path.join(outputDirectory, 'chart.svg'), chart);
  say(`wrote ${outputDirectory}/results.json, results.txt and chart.svg`);
}

// Loads, then the worker on its own, Kafka's ceiling, and the correctness checks over every bench item.
async function measure(admin: Admin): Promise<Measurements> {
  const processesBefore = await readProcessTable();
  const otherWorkers = new Set(await otherWorkerGroups(admin));
  const items = benchItems();
  const plainHttp = await startPlainHttpServer();
  let worker: TestProcess | undefined;
  try {
    worker = await startWorkerProcess({ ...environment }, nodeArguments);
    ourGroups.add(worker.pid);
    const loads = await runLoads(items, plainHttp.url);
    await plainHttp.stop();
    const workerDecisionsPerSecond = await runWorkerBacklog(worker, items.spread);
    const workerPeak = await processGroupMemory(worker.pid);
    for (const groupId of await otherWorkerGroups(admin)) otherWorkers.add(groupId);
    const otherCpu = cpuTakenBetween(processesBefore, await readProcessTable(), isOursOrShared);
    const lag = await consumerLag(admin);
    const kafka = await kafkaCeiling(admin);
    await worker.stop();

    say('auditing the bench items');
    const audit = await runAudit({ itemIds: items.all });
    const purchasesWithoutResult = await countWithoutResult(items.all);
    const violations = [...audit.violations, ...failures];
    for (const run of loads.baselineRuns.filter((run) => run.oversold)) {
      violations.push(`row-lock baseline pool ${run.poolSize} oversold: ${run.books.soldQuantity} sold and ${run.books.available} left of ${baselineStock}`);
    }
    return { ...loads, workerDecisionsPerSecond, workerPeak, lag, kafka, otherCpu, otherWorkers: [...otherWorkers], audit, purchasesWithoutResult, violations, profiles: await readProfiles(worker.pid) };
  } finally {
    await Promise.all([stopWeb().catch(() => web?.stop()), worker?.stop(), plainHttp.stop()]);
  }
}

async function main(): Promise<number> {
  await mkdir(profileDirectory, { recursive: true });
  await checkWrkInstalled();
  say(`${settings.connections} connections, ${settings.seconds} s per wrk run (${settings.wrkThreads} wrk thread), seed ${seed}${smoke ? ' (smoke)' : ''}; results in ${outputDirectory}`);
  ourGroups.add(await ownGroupId());
  const admin = createKafka('bps-bench').admin();
  await admin.connect();
  try {
    await freshDatabase(admin);
    const measurements = await measure(admin);
    const verdicts = judge(measurements);
    const totalSeconds = (performance.now() - benchStartedAt) / 1000;
    const lines = renderReport(measurements, verdicts, totalSeconds);
    console.log(lines.join('\n'));
    await writeResults(measurements, verdicts, lines, totalSeconds);
    return measurements.violations.length === 0 && measurements.purchasesWithoutResult === 0 ? 0 : 1;
  } finally {
    await admin.disconnect();
    await disconnectPrisma();
  }
}

process.exit(await main());
