// The flash-sale benchmark (npm run bench; scripts/bench.sh prepares Kafka, Postgres and the build).
// Runs the scenarios against a web process and a worker it starts on a fresh database, the row-lock
// baseline behind the same HTTP layer, and Kafka's own perf tools; prints a table and writes JSON + SVG.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Partitioners } from 'kafkajs';
import { io as connectSocket } from 'socket.io-client';
import { runAudit } from '../server/audit/run-audit';
import { topSelfTime, type HotFunction } from '../server/bench/cpu-profile';
import { measureKafkaCeiling, type KafkaCeiling } from '../server/bench/kafka-ceiling';
import { barChartSvg, formatNumber, summarize, textTable, type LatencySummary } from '../server/bench/statistics';
import { config } from '../server/config';
import { disconnectPrisma, getPrisma } from '../server/db/client';
import { createKafka } from '../server/kafka/client';
import { purchaseCreatedMessageSchema, schemaVersion } from '../server/contract';
import { encodeMessage } from '../server/kafka/messages';
import { topics } from '../server/kafka/topics';
import { pollUntil, sleep, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../server/testing/processes';
import { dropDatabase, migrate } from './migrate';

const { values: options } = parseArgs({
  options: {
    purchases: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '200' },
    items: { type: 'string', default: '1000' },
    'steady-rate': { type: 'string', default: '1000' },
    'steady-seconds': { type: 'string', default: '10' },
    'ceiling-records': { type: 'string', default: '500000' },
    'kafka-libs': { type: 'string' },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const smoke = options.smoke;
const purchaseCount = smoke ? 500 : Number(options.purchases);
const concurrency = smoke ? 20 : Number(options.concurrency);
const spreadItemCount = smoke ? 50 : Number(options.items);
const steadyRate = smoke ? 100 : Number(options['steady-rate']);
const steadySeconds = smoke ? 3 : Number(options['steady-seconds']);
const ceilingRecords = smoke ? 20_000 : Number(options['ceiling-records']);
const runId = Date.now().toString(36);
const outputDirectory = path.join('bench-results', new Date().toISOString().replace(/[:.]/g, '-'));
const profileDirectory = path.join(outputDirectory, 'profiles');
const port = 3200;
const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };

// ---- progress --------------------------------------------------------------------------------------
let progressShownAt = 0;
function progress(label: string, done: number, total: number): void {
  const now = Date.now();
  if (done < total && now - progressShownAt < (process.stderr.isTTY ? 150 : 5_000)) return;
  progressShownAt = now;
  const width = 30;
  const filled = Math.round((width * done) / Math.max(1, total));
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((100 * done) / Math.max(1, total))).padStart(3)}% ${label} ${done}/${total}`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(80)}${done >= total ? '\n' : ''}` : `${line}\n`);
}

// ---- load -------------------------------------------------------------------------------------------
type Timed = { purchaseId: string; startedAt: number; latencyMs: number; httpStatus: number; status?: string };

async function postPurchase(web: WebProcess, route: string, itemId: string, waitMs: number | undefined): Promise<Timed> {
  const purchaseId = randomUUID();
  const startedAt = performance.now();
  const query = waitMs === undefined ? '' : `?wait=${waitMs}`;
  try {
    const response = await fetch(`${web.url}${route}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: `bench-${purchaseId.slice(0, 4)}` }),
    });
    const body = (await response.json()) as { status?: string };
    return { purchaseId, startedAt, latencyMs: performance.now() - startedAt, httpStatus: response.status, status: body.status };
  } catch {
    return { purchaseId, startedAt, latencyMs: performance.now() - startedAt, httpStatus: 0 };
  }
}

// Closed loop: `workers` clients, each sending its next request as soon as the previous one is answered.
async function closedLoop<T>(label: string, total: number, workers: number, send: (index: number) => Promise<T>): Promise<{ results: T[]; seconds: number }> {
  const results: T[] = [];
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const index = next++;
        results.push(await send(index));
        progress(label, results.length, total);
      }
    }),
  );
  return { results, seconds: (performance.now() - startedAt) / 1000 };
}

// Open loop: requests leave at a steady rate whatever the answers do (a flash sale does not wait for us).
async function openLoop<T>(label: string, ratePerSecond: number, seconds: number, send: (index: number) => Promise<T>): Promise<T[]> {
  const total = Math.round(ratePerSecond * seconds);
  const startedAt = performance.now();
  const pending: Promise<T>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = startedAt + (index * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(send(index));
    progress(label, index + 1, total);
  }
  return Promise.all(pending);
}

// ---- stack ------------------------------------------------------------------------------------------
async function restockAll(web: WebProcess, stock: Map<string, number>): Promise<void> {
  const entries = [...stock];
  await closedLoop('restocking', entries.length, 50, async (index) => {
    const [itemId, quantity] = entries[index] ?? ['', 0];
    const response = await fetch(`${web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId, description: `Bench item ${itemId}`, quantity }) });
    if (response.status !== 202) throw new Error(`restock answered ${response.status}`);
  });
  await pollUntil(
    () => getPrisma().item.count({ where: { itemId: { in: [...stock.keys()] } } }),
    (count) => count === stock.size,
    120_000,
  );
}

async function decidedSince(itemIds: readonly string[], since: Date): Promise<{ count: number; first: number; last: number }> {
  const [row] = await getPrisma().$queryRaw<{ count: bigint; first: Date | null; last: Date | null }[]>`
    SELECT count(*) AS count, min(decided_at) AS first, max(decided_at) AS last FROM purchases
    WHERE item_id = ANY(${[...itemIds]}::text[]) AND decided_at >= ${since}`;
  return { count: Number(row?.count ?? 0), first: row?.first?.getTime() ?? Number.NaN, last: row?.last?.getTime() ?? Number.NaN };
}

function peakMemoryMegabytes(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024);
}

// ---- scenarios ----------------------------------------------------------------------------------------
type ScenarioResult = {
  name: string;
  purchases: number;
  acceptedPerSecond: number;
  decidedPerSecond: number;
  resultLatencyMs: LatencySummary;
  socketLatencyMs: LatencySummary;
  outcomes: Record<string, number>;
};

async function runScenario(
  name: string,
  web: WebProcess,
  arrivals: Map<string, number>,
  itemIds: readonly string[],
  load: () => Promise<Timed[]>,
  secondsOf: (results: Timed[]) => number,
): Promise<ScenarioResult> {
  const since = new Date(Date.now() - 1_000);
  const results = await load();
  const accepted = results.filter((result) => result.httpStatus === 200 || result.httpStatus === 202);
  const decided = await pollUntil(() => decidedSince(itemIds, since), (value) => value.count >= accepted.length, 120_000);
  await pollUntil(async () => accepted.filter((result) => arrivals.has(result.purchaseId)).length, (count) => count === accepted.length, 30_000).catch(() => undefined);
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    const key = result.status ?? `HTTP ${result.httpStatus}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return {
    name,
    purchases: results.length,
    acceptedPerSecond: accepted.length / secondsOf(results),
    decidedPerSecond: decided.count / Math.max(0.001, (decided.last - decided.first) / 1000),
    resultLatencyMs: summarize(accepted.map((result) => result.latencyMs)),
    socketLatencyMs: summarize(accepted.flatMap((result) => {
      const arrivedAt = arrivals.get(result.purchaseId);
      return arrivedAt === undefined ? [] : [arrivedAt - result.startedAt];
    })),
    outcomes,
  };
}

const spanSeconds = (results: Timed[]) =>
  (Math.max(...results.map((result) => result.startedAt + result.latencyMs)) - Math.min(...results.map((result) => result.startedAt))) / 1000;

async function main(): Promise<number> {
  await mkdir(profileDirectory, { recursive: true });
  process.stderr.write(`bench: ${purchaseCount} purchases, ${concurrency} buyers, ${spreadItemCount} spread items${smoke ? ' (smoke)' : ''}; results in ${outputDirectory}\n`);

  // A fresh database whose worker starts at the topics' current ends: earlier history is not replayed.
  await dropDatabase(config.DATABASE_URL);
  await migrate({ databaseUrl: config.DATABASE_URL });
  const kafka = createKafka('bps-bench');
  const admin = kafka.admin();
  await admin.connect();
  for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const end of ends) {
      await getPrisma().consumerOffset.create({ data: { topic, partition: end.partition, nextOffset: BigInt(end.high) } });
    }
  }

  const workerGroup = `bps-worker-bench-${runId}`;
  const environment = { KAFKA_WORKER_GROUP_ID: workerGroup, BASELINE_ENABLED: 'true', LOG_LEVEL: 'warn' };
  const nodeArguments = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  let worker: TestProcess | undefined;
  let web: WebProcess | undefined;
  try {
    worker = await startWorkerProcess(environment, nodeArguments);
    web = await startWebProcess(port, environment, nodeArguments);
    const arrivals = new Map<string, number>();
    const socket = connectSocket(web.url, { transports: ['websocket'] });
    socket.on('purchase.finished', (result: { purchaseId: string }) => {
      if (!arrivals.has(result.purchaseId)) arrivals.set(result.purchaseId, performance.now());
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    const scenarios: ScenarioResult[] = [];
    const allItems: string[] = [];

    // Hot item: everyone races for one item whose stock is a quarter of the demand.
    const hotItem = `bench-hot-${runId}`;
    const hotStock = Math.floor(purchaseCount / 4);
    await restockAll(web, new Map([[hotItem, hotStock]]));
    allItems.push(hotItem);
    scenarios.push(await runScenario('hot item', web, arrivals, [hotItem], async () =>
      (await closedLoop('hot item', purchaseCount, concurrency, () => postPurchase(web!, '/api/purchases', hotItem, 10_000))).results, spanSeconds));

    // Spread: many items, random picks.
    const spreadItems = Array.from({ length: spreadItemCount }, (_, index) => `bench-spread-${runId}-${index}`);
    const perItem = Math.max(1, Math.floor((0.8 * purchaseCount) / spreadItemCount));
    await restockAll(web, new Map(spreadItems.map((itemId) => [itemId, perItem])));
    allItems.push(...spreadItems);
    const randomSpreadItem = () => spreadItems[Math.floor(Math.random() * spreadItems.length)] ?? hotItem;
    scenarios.push(await runScenario('spread', web, arrivals, spreadItems, async () =>
      (await closedLoop('spread', purchaseCount, concurrency, () => postPurchase(web!, '/api/purchases', randomSpreadItem(), 10_000))).results, spanSeconds));

    // Restock storm: every tenth request restocks one of five hot items while the rest buy them.
    const stormItems = Array.from({ length: 5 }, (_, index) => `bench-storm-${runId}-${index}`);
    await restockAll(web, new Map(stormItems.map((itemId) => [itemId, 20])));
    allItems.push(...stormItems);
    const randomStormItem = () => stormItems[Math.floor(Math.random() * stormItems.length)] ?? hotItem;
    scenarios.push(await runScenario('restock storm', web, arrivals, stormItems, async () => {
      const { results } = await closedLoop('restock storm', purchaseCount + Math.floor(purchaseCount / 9), concurrency, async (index) => {
        if (index % 10 !== 9) return postPurchase(web!, '/api/purchases', randomStormItem(), 10_000);
        await fetch(`${web!.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId: randomStormItem(), description: 'Storm restock', quantity: 5 }) });
        return undefined;
      });
      return results.filter((result): result is Timed => result !== undefined);
    }, spanSeconds));

    // Steady: a paced load, for the latency a buyer sees when the system is not saturated.
    scenarios.push(await runScenario(`steady ${steadyRate}/s`, web, arrivals, spreadItems, () =>
      openLoop(`steady ${steadyRate}/s`, steadyRate, steadySeconds, () => postPurchase(web!, '/api/purchases', randomSpreadItem(), 10_000)), () => steadySeconds));

    // Worker capacity: a backlog of purchases appended while the worker is paused, then decided in batches.
    const backlogItems = spreadItems;
    worker.signal('SIGSTOP');
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const backlogSince = new Date();
    for (let start = 0; start < purchaseCount; start += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, purchaseCount - start) }, () => {
        const itemId = randomSpreadItem();
        return { key: itemId, value: encodeMessage(purchaseCreatedMessageSchema, { schemaVersion, purchaseId: randomUUID(), itemId, quantity: 1, purchasedBy: 'bench-backlog', createdAt: new Date().toISOString() }) };
      });
      await producer.send({ topic: topics.purchaseCreated, acks: -1, messages });
      progress('backlog appended', Math.min(purchaseCount, start + 1_000), purchaseCount);
    }
    await producer.disconnect();
    const resumedAt = Date.now();
    worker.signal('SIGCONT');
    const backlog = await pollUntil(() => decidedSince(backlogItems, backlogSince), (value) => value.count >= purchaseCount, 300_000);
    const workerDecisionsPerSecond = purchaseCount / ((backlog.last - resumedAt) / 1000);

    // The row-lock baseline: the hot item again, decided under a row lock per purchase.
    const baselineItem = `bench-baseline-${runId}`;
    await getPrisma().baselineItem.create({ data: { itemId: baselineItem, available: hotStock } });
    const baselineRun = await closedLoop('row-lock baseline', purchaseCount, concurrency, () => postPurchase(web!, '/api/baseline/purchases', baselineItem, undefined));
    const baselineAccepted = baselineRun.results.filter((result) => result.httpStatus === 200);
    const baseline = {
      purchasesPerSecond: baselineAccepted.length / spanSeconds(baselineRun.results),
      latencyMs: summarize(baselineAccepted.map((result) => result.latencyMs)),
      succeeded: baselineAccepted.filter((result) => result.status === 'SUCCEEDED').length,
    };
    const baselineStock = await getPrisma().baselineItem.findUniqueOrThrow({ where: { itemId: baselineItem } });

    // Peak memory and lag, before the processes stop.
    const memory = { webMegabytes: await peakMemoryMegabytes(web.pid), workerMegabytes: await peakMemoryMegabytes(worker.pid) };
    await sleep(6_000); // kafkajs commits resolved offsets every 5 s.
    let lag = 0;
    for (const topic of [topics.itemsAdded, topics.purchaseCreated]) {
      const [committed] = await admin.fetchOffsets({ groupId: workerGroup, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const offset = Number(committed?.partitions.find((partition) => partition.partition === end.partition)?.offset ?? -1);
        const stored = await getPrisma().consumerOffset.findUnique({ where: { topic_partition: { topic, partition: end.partition } } });
        lag += Number(end.high) - Math.max(offset, Number(stored?.nextOffset ?? 0));
      }
    }

    // Correctness after the run: the auditor over every bench item, and the baseline never below zero.
    await pollUntil(() => getPrisma().outboxMessage.count({ where: { sentAt: null } }), (count) => count === 0, 60_000);
    const report = await runAudit({ itemIds: allItems });
    const violations = [...report.violations];
    if (baselineStock.available < 0 || baseline.succeeded > hotStock) violations.push(`row-lock baseline oversold: ${baseline.succeeded} of ${hotStock}`);

    // Kafka's ceiling with the input topic's message size and partition count.
    const sampleBytes = encodeMessage(purchaseCreatedMessageSchema, { schemaVersion, purchaseId: randomUUID(), itemId: `bench-spread-${runId}-100`, quantity: 1, purchasedBy: 'bench-1234', createdAt: new Date().toISOString() }).length;
    const ceilingTopic = `bps-bench-ceiling-${runId}`;
    await admin.createTopics({ topics: [{ topic: ceilingTopic, numPartitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    let ceiling: KafkaCeiling | undefined;
    try {
      process.stderr.write('bench: Kafka perf tools …\n');
      ceiling = await measureKafkaCeiling(options['kafka-libs'] ?? '', config.KAFKA_BROKERS.join(','), ceilingTopic, ceilingRecords, sampleBytes);
    } finally {
      await admin.deleteTopics({ topics: [ceilingTopic] });
    }
    socket.close();
    await admin.disconnect();
    await Promise.all([web.stop(), worker.stop()]);
    web = undefined;
    worker = undefined;

    const profiles: Record<string, HotFunction[]> = {};
    if (options.profile) {
      for (const file of (await readdir(profileDirectory)).filter((name) => name.endsWith('.cpuprofile'))) {
        profiles[file] = await topSelfTime(path.join(profileDirectory, file), 12);
      }
    }

    const hot = scenarios[0];
    const ceilingRecordsPerSecond = Math.min(ceiling.producerRecordsPerSecond, ceiling.consumerRecordsPerSecond);
    const summary = {
      machine: { cpus: (await readFile('/proc/cpuinfo', 'utf8')).split('\n').filter((line) => line.startsWith('processor')).length, node: process.version },
      parameters: { purchaseCount, concurrency, spreadItemCount, steadyRate, steadySeconds, smoke, partitions: config.KAFKA_TOPIC_PARTITIONS },
      scenarios,
      workerDecisionsPerSecond,
      baseline,
      ceiling,
      ratios: {
        hotVersusBaselineThroughput: (hot?.acceptedPerSecond ?? Number.NaN) / baseline.purchasesPerSecond,
        hotVersusBaselineP99: (hot?.resultLatencyMs.p99 ?? Number.NaN) / baseline.latencyMs.p99,
        workerVersusKafkaCeiling: workerDecisionsPerSecond / ceilingRecordsPerSecond,
      },
      memory,
      consumerLagAtEnd: lag,
      audit: { clean: violations.length === 0, violations, items: report.items.length },
      profiles,
    };

    const table = textTable(
      ['scenario', 'purchases', 'accepted/s', 'decided/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'socket p99 ms', 'outcomes'],
      [
        ...scenarios.map((scenario) => [
          scenario.name,
          String(scenario.purchases),
          formatNumber(scenario.acceptedPerSecond),
          formatNumber(scenario.decidedPerSecond),
          formatNumber(scenario.resultLatencyMs.p50),
          formatNumber(scenario.resultLatencyMs.p95),
          formatNumber(scenario.resultLatencyMs.p99),
          formatNumber(scenario.resultLatencyMs.max),
          formatNumber(scenario.socketLatencyMs.p99),
          Object.entries(scenario.outcomes).map(([key, count]) => `${key} ${count}`).join(', '),
        ]),
        ['row-lock baseline (hot)', String(purchaseCount), formatNumber(baseline.purchasesPerSecond), formatNumber(baseline.purchasesPerSecond),
          formatNumber(baseline.latencyMs.p50), formatNumber(baseline.latencyMs.p95), formatNumber(baseline.latencyMs.p99), formatNumber(baseline.latencyMs.max), '–', `SUCCEEDED ${baseline.succeeded}`],
      ],
    );
    const lines = [
      table,
      '',
      `worker, backlog of ${purchaseCount}: ${formatNumber(workerDecisionsPerSecond)} decisions/s`,
      `Kafka perf tools (${ceiling.records} records of ${ceiling.recordBytes} B): producer ${formatNumber(ceiling.producerRecordsPerSecond)}/s, consumer ${formatNumber(ceiling.consumerRecordsPerSecond)}/s`,
      `ratios: hot item ${formatNumber(summary.ratios.hotVersusBaselineThroughput)}x the row-lock baseline's purchases/s, p99 ${formatNumber(summary.ratios.hotVersusBaselineP99)}x its p99; worker at ${(100 * summary.ratios.workerVersusKafkaCeiling).toFixed(1)}% of Kafka's ceiling`,
      `peak memory: web ${formatNumber(memory.webMegabytes)} MB, worker ${formatNumber(memory.workerMegabytes)} MB; consumer lag at the end: ${lag}`,
      `audit: ${summary.audit.clean ? 'CLEAN' : `NOT CLEAN (${violations.length} violations)`} over ${report.items.length} items`,
      ...Object.entries(profiles).flatMap(([file, hotFunctions]) => [`profile ${file}:`, ...hotFunctions.map((fn) => `  ${(100 * fn.share).toFixed(1).padStart(5)}%  ${fn.name}`)]),
    ];
    console.log(lines.join('\n'));
    for (const violation of violations) console.log(`  violation: ${violation}`);

    const chart = barChartSvg(`Purchases per second (${purchaseCount} purchases, ${concurrency} buyers, ${summary.machine.cpus} cores)`, '/s', [
      ...scenarios.map((scenario) => ({ label: `${scenario.name}: accepted`, value: scenario.acceptedPerSecond, group: 'pipeline' })),
      { label: 'row-lock baseline (hot item)', value: baseline.purchasesPerSecond, group: 'baseline' },
      { label: 'worker decisions (backlog)', value: workerDecisionsPerSecond, group: 'worker' },
      { label: 'Kafka producer perf tool', value: ceiling.producerRecordsPerSecond, group: 'ceiling' },
      { label: 'Kafka consumer perf tool', value: ceiling.consumerRecordsPerSecond, group: 'ceiling' },
    ]);
    await writeFile(path.join(outputDirectory, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(path.join(outputDirectory, 'results.txt'), `${lines.join('\n')}\n`);
    await writeFile(path.join(outputDirectory, 'chart.svg'), chart);
    process.stderr.write(`bench: wrote ${outputDirectory}/results.json, results.txt and chart.svg\n`);
    return violations.length === 0 ? 0 : 1;
  } finally {
    await Promise.all([web?.stop(), worker?.stop()]);
    await disconnectPrisma();
  }
}

process.exit(await main());
