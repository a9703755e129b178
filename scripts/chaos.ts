// The chaos run (npm run chaos; scripts/chaos.sh starts its own broker and PostgreSQL). Paced purchases from
// many buyers while workers, a web process, the broker and PostgreSQL are killed or restarted at moments drawn
// from a printed seed; then every acknowledged purchase must have exactly one decision, nothing may be sold
// twice or oversold, and the auditor must be clean. Results: chaos-results/<time>/summary.json and summary.txt.
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Admin } from 'kafkajs';
import { z } from 'zod';
import { runAudit } from '../server/audit/run-audit';
import { textTable } from '../server/bench/statistics';
import { ClientTally, restockUntilAcknowledged, runBuyers, webProcessAnswers, type ClientOptions, type PlannedPurchase, type PlannedRestock } from '../server/chaos/buyers';
import { countOutboxUnsent, decidedAmong, readDecisions, readItems, readResults, startAtTopicEnds } from '../server/chaos/chaos-queries';
import {
  brokerCommand,
  childPids,
  countLogLevels,
  killWebProcess,
  killWorker,
  postgresRestart,
  startSupervisedWorker,
  type SupervisedWorker,
} from '../server/chaos/chaos-processes';
import { recoveryAfter, type Recovery } from '../server/chaos/recovery';
import { describeFault, scheduleFaults, type Fault } from '../server/chaos/schedule';
import { judgeChaos, type ChaosVerdict } from '../server/chaos/verdict';
import { config } from '../server/config';
import type { AuditReport } from '../server/contract';
import { disconnectPrisma } from '../server/db/client';
import { closePool } from '../server/db/pool';
import { createKafka } from '../server/kafka/client';
import { ensureTopics, topics } from '../server/kafka/topics';
import { retryWithBackoff } from '../server/retry';
import { sleep, startWebProcess, type WebProcess } from '../server/testing/processes';
import { createSeededRandom } from '../server/testing/seeded-random';
import { dropDatabase, migrate } from './migrate';

const { values: options } = parseArgs({
  options: {
    seed: { type: 'string' },
    purchases: { type: 'string' },
    items: { type: 'string', default: '50' },
    buyers: { type: 'string', default: '200' },
    rate: { type: 'string' },
    'worker-kills': { type: 'string' },
    'web-kills': { type: 'string', default: '1' },
    'broker-restarts': { type: 'string', default: '1' },
    'postgres-restarts': { type: 'string', default: '1' },
    'broker-outage-seconds': { type: 'string' },
    'stock-per-item': { type: 'string' },
    port: { type: 'string', default: '3300' },
    out: { type: 'string' },
    small: { type: 'boolean', default: false },
  },
});

function wholeNumber(text: string | undefined, fallback: number, name: string, minimum = 0): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`chaos: --${name} must be a whole number ≥ ${minimum}, got ${JSON.stringify(text)}`);
  return value;
}

// The small run (npm test) keeps every kind of fault but fewer kills, a shorter outage and less load; its
// lower rate stretches the load so that the faults still fall inside it.
const small = options.small;
const purchases = wholeNumber(options.purchases, small ? 3_000 : 20_000, 'purchases', 1);
const itemCount = wholeNumber(options.items, 50, 'items', 1);
const settings = {
  purchases,
  items: itemCount,
  buyers: wholeNumber(options.buyers, 200, 'buyers', 1),
  ratePerSecond: wholeNumber(options.rate, small ? 60 : 200, 'rate', 1),
  // Below the demand (about 1.2 units a purchase), so that items sell out and oversell is really tested.
  stockPerItem: wholeNumber(options['stock-per-item'], Math.max(1, Math.round((0.75 * purchases) / itemCount)), 'stock-per-item', 1),
  workers: 2,
  webProcesses: 2,
  workerKills: wholeNumber(options['worker-kills'], small ? 2 : 10, 'worker-kills'),
  webKills: wholeNumber(options['web-kills'], 1, 'web-kills'),
  brokerRestarts: wholeNumber(options['broker-restarts'], 1, 'broker-restarts'),
  postgresRestarts: wholeNumber(options['postgres-restarts'], 1, 'postgres-restarts'),
  brokerOutageMs: 1000 * wholeNumber(options['broker-outage-seconds'], small ? 5 : 10, 'broker-outage-seconds'),
  port: wholeNumber(options.port, 3300, 'port', 1),
  small,
};
const seed = options.seed === undefined ? randomInt(0, 0xffff_ffff) : wholeNumber(options.seed, 0, 'seed');
const runId = Date.now().toString(36);
const outputDirectory = options.out ?? path.join('chaos-results', new Date().toISOString().replace(/[:.]/g, '-'));
const loadMs = Math.round((1000 * settings.purchases) / settings.ratePerSecond);

// Bounds of the run itself.
const faultWindow = { loadMs, leadMs: 5_000, tailMs: 3_000, gapMsMin: 4_000 };
const brokerStartAllowanceMs = 15_000;
const decisionPollMs = 250;
const drainWithoutProgressMsMax = 120_000;
const giveUpAfterLoadMs = 120_000;
const replacementWaitMsMax = 60_000;
const requestTimeoutMs = 15_000;
const runMsMax = 10 * 60_000;
const midRunRestocks = [0.3, 0.55, 0.8];
const midRunRestockItems = 5;
const midRunRestockQuantity = 40;

// Every time is ms since the run began.
const startedAt = performance.now();
const clock = () => performance.now() - startedAt;
const count = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
function say(message: string): void {
  process.stderr.write(`chaos [${seconds(clock())} s] ${message}\n`);
}

// The child processes run what production runs (dist/, npm run build) and log where the run keeps its files.
process.env.BPS_PROCESS_FORM = 'compiled';
const workerGroup = `${config.KAFKA_WORKER_GROUP_ID}-${runId}`;
const childEnvironment = { KAFKA_WORKER_GROUP_ID: workerGroup, LOG_LEVEL: 'warn' };

// ---- the plan, all from the seed ------------------------------------------------------------------------
const random = createSeededRandom(seed);
const itemIds = Array.from({ length: settings.items }, (_, index) => `chaos-${runId}-${index}`);
const faults = scheduleFaults(
  { ...settings, brokerStartAllowanceMs },
  faultWindow,
  random,
);
const plannedPurchases: PlannedPurchase[] = Array.from({ length: settings.purchases }, (_, index) => ({
  purchaseId: `chaos-${runId}-${index}`,
  itemId: itemIds[Math.floor(random() * itemIds.length)] ?? '',
  quantity: random() < 0.2 ? 2 : 1,
  purchasedBy: `buyer-${index % settings.buyers}`,
}));
const initialRestocks: PlannedRestock[] = itemIds.map((itemId) => ({ restockId: `${itemId}-initial`, itemId, quantity: settings.stockPerItem, description: `Chaos item ${itemId}` }));
const laterRestocks = midRunRestocks.map((share, round) => ({
  atMs: Math.round(share * loadMs),
  restocks: Array.from({ length: midRunRestockItems }, (_, index): PlannedRestock => {
    const itemId = itemIds[Math.floor(random() * itemIds.length)] ?? '';
    return { restockId: `${itemId}-r${round}-${index}`, itemId, quantity: midRunRestockQuantity, description: `Chaos item ${itemId}` };
  }),
}));

// ---- what the run records --------------------------------------------------------------------------------
const tally = new ClientTally();
const acknowledgedAt = new Map<string, number>();
const decidedSeenAt = new Map<string, number>();
const undecided = new Set<string>();
const restockedAcknowledged = new Map<string, number>();
const exceptions: string[] = [];
type FaultRecord = { fault: Fault; label: string; startedAtMs: number; returnedAtMs: number | undefined; detail: string };
const faultRecords: FaultRecord[] = [];
let loadStartedAtMs = 0;
let purchasesStarted = 0;
let loadEndedAtMs: number | undefined;

// ---- processes -------------------------------------------------------------------------------------------
const packageScripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(await readFile('package.json', 'utf8'))).scripts;

// The start script's own command, `node <flags> dist/worker.mjs`, with this very node.
function workerCommand(): { command: string[]; environment: Record<string, string> } {
  const words = (packageScripts['start:worker'] ?? '').split(/\s+/).filter(Boolean);
  const assignments = words.filter((word) => /^[A-Z_]+=/.test(word));
  const command = words.filter((word) => !/^[A-Z_]+=/.test(word));
  if (command[0] !== 'node') throw new Error(`chaos: start:worker does not run node: ${packageScripts['start:worker']}`);
  return { command: [process.execPath, ...command.slice(1)], environment: Object.fromEntries(assignments.map((word) => word.split('=', 2) as [string, string])) };
}

async function startWorkers(): Promise<SupervisedWorker[]> {
  const { command, environment } = workerCommand();
  // The workers log at info: their "partitions assigned" lines say when they took up work.
  const workerEnvironment = { ...process.env, ...environment, ...childEnvironment, LOG_LEVEL: 'info' };
  const workers = Array.from({ length: settings.workers }, (_, index) => startSupervisedWorker(index, command, workerEnvironment, path.join(outputDirectory, `worker-${index}.log`)));
  const deadline = Date.now() + 90_000;
  for (const worker of workers) {
    while (!(await readFile(worker.logFile, 'utf8')).includes('partitions assigned')) {
      if (Date.now() > deadline) throw new Error(`chaos: worker ${worker.index} took up no partitions within 90 s; see ${worker.logFile}`);
      await sleep(250);
    }
  }
  return workers;
}

// ---- faults ----------------------------------------------------------------------------------------------
// A kill returns at once and its record is completed when the replacement serves (`returned`); a broker or
// PostgreSQL restart returns when the service is back.
type Injected = { record: FaultRecord; returned: Promise<void> };

async function injectFault(fault: Fault, workers: readonly SupervisedWorker[], web: WebProcess): Promise<Injected> {
  const startedAtMs = clock();
  const label = describeFault(fault);
  const done = (returnedAtMs: number | undefined, detail: string): Injected => ({ record: { fault, label, startedAtMs, returnedAtMs, detail }, returned: Promise.resolve() });
  switch (fault.kind) {
    case 'worker-kill': {
      // The planned worker may be between a death and its restart; then the other one is killed, and if both are,
      // the first to be back.
      const ordered = [...workers.slice(fault.worker), ...workers.slice(0, fault.worker)];
      const deadline = clock() + replacementWaitMsMax;
      while (clock() < deadline) {
        for (const worker of ordered) {
          const kill = await killWorker(worker, replacementWaitMsMax);
          if (!kill) continue;
          const record: FaultRecord = { fault, label, startedAtMs, returnedAtMs: undefined, detail: `worker ${worker.index} pid ${kill.killedPid} killed` };
          const returned = kill.replacement.then((pid) => {
            record.returnedAtMs = pid === undefined ? undefined : clock();
            record.detail += `, restarted by its supervisor as pid ${pid ?? 'none'}`;
          });
          return { record, returned };
        }
        await sleep(100);
      }
      return done(undefined, 'no worker process was running to be killed');
    }
    case 'web-kill': {
      const kill = await killWebProcess(web.pid, (pids) => pids[Math.floor(random() * pids.length)], replacementWaitMsMax);
      if (!kill) return done(undefined, 'no web process was running to be killed');
      const record: FaultRecord = { fault, label, startedAtMs, returnedAtMs: undefined, detail: `web process ${kill.killedPid} killed` };
      // Back in service when the replacement answers a request.
      const returned = kill.replacement.then(async (pid) => {
        const answers = pid !== undefined && (await webProcessAnswers(web.url, String(pid), replacementWaitMsMax));
        record.returnedAtMs = answers ? clock() : undefined;
        record.detail += pid === undefined ? ', not replaced' : `, replaced by ${pid}${answers ? '' : ', which never answered'}`;
      });
      return { record, returned };
    }
    case 'broker-restart': {
      const stopped = await brokerCommand('stop');
      const stoppedAtMs = clock();
      await sleep(fault.outageMs);
      const started = await brokerCommand('start');
      return done(clock(), `stopped in ${seconds(stoppedAtMs - startedAtMs)} s (${stopped}); ${started}`);
    }
    case 'postgres-restart':
      await postgresRestart();
      return done(clock(), `pg_ctl restart -m fast took ${seconds(clock() - startedAtMs)} s`);
    default: {
      const unreachable: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}

// A fault is due when the load has reached its planned point (the purchase due then has been sent), and
// gapMsMin after the previous fault (after its service returned, for a restart). Following the load's progress
// rather than the clock keeps the faults inside the load when an outage holds the buyers back.
async function runFaults(workers: readonly SupervisedWorker[], web: WebProcess): Promise<void> {
  let freeAtMs = 0;
  const returns: Promise<void>[] = [];
  for (const fault of faults) {
    const dueTurn = Math.min(settings.purchases - 1, Math.floor((fault.atMs * settings.ratePerSecond) / 1000));
    while ((purchasesStarted <= dueTurn && loadEndedAtMs === undefined) || clock() < freeAtMs) await sleep(20);
    say(`fault: ${describeFault(fault)} (${count(purchasesStarted)} purchases sent)`);
    const startedAtMs = clock();
    try {
      const { record, returned } = await injectFault(fault, workers, web);
      faultRecords.push(record);
      returns.push(returned.then(() => say(`  ${record.label}: ${record.detail}; back after ${seconds(record.returnedAtMs === undefined ? undefined : record.returnedAtMs - record.startedAtMs)} s`)));
    } catch (error) {
      exceptions.push(`${describeFault(fault)} failed: ${String(error)}`);
      faultRecords.push({ fault, label: describeFault(fault), startedAtMs, returnedAtMs: undefined, detail: `failed: ${String(error)}` });
    }
    freeAtMs = clock() + faultWindow.gapMsMin;
  }
  await Promise.all(returns);
  for (const record of faultRecords) {
    if (record.returnedAtMs === undefined && !record.detail.startsWith('failed')) exceptions.push(`${record.label}: the service did not come back (${record.detail})`);
  }
}

// ---- decisions, as Postgres has them -----------------------------------------------------------------------
// Polls the acknowledged purchases not yet seen decided; a read during an outage simply fails and is tried again.
function startDecisionPoller(): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const waiting = [...undecided];
      try {
        for (let start = 0; start < waiting.length; start += 5_000) {
          const seenAtMs = clock();
          for (const purchaseId of await decidedAmong(waiting.slice(start, start + 5_000))) {
            undecided.delete(purchaseId);
            decidedSeenAt.set(purchaseId, seenAtMs);
          }
        }
      } catch {
        // PostgreSQL is restarting; the next poll tries again.
      }
      await sleep(decisionPollMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

// ---- load ------------------------------------------------------------------------------------------------
function clientOptions(baseUrl: string, headers?: Record<string, string>): ClientOptions {
  return { baseUrl, clock, tally, requestTimeoutMs, giveUpAtMs: () => (loadEndedAtMs ?? Number.POSITIVE_INFINITY) + giveUpAfterLoadMs, headers };
}

const sellerHeaders = { authorization: `Bearer ${config.SELLER_TOKEN}` };

async function restock(baseUrl: string, agent: http.Agent, restocks: readonly PlannedRestock[]): Promise<void> {
  const results = await Promise.all(restocks.map((planned) => restockUntilAcknowledged(clientOptions(baseUrl, sellerHeaders), agent, planned)));
  restocks.forEach((planned, index) => {
    if (results[index]) restockedAcknowledged.set(planned.itemId, (restockedAcknowledged.get(planned.itemId) ?? 0) + planned.quantity);
    else exceptions.push(`restock ${planned.restockId} was never acknowledged`);
  });
}

async function runSeller(baseUrl: string, agent: http.Agent): Promise<void> {
  for (const round of laterRestocks) {
    const waitMs = loadStartedAtMs + round.atMs - clock();
    if (waitMs > 0) await sleep(waitMs);
    await restock(baseUrl, agent, round.restocks);
  }
}

async function runLoad(web: WebProcess, workers: readonly SupervisedWorker[]): Promise<PlannedPurchase[]> {
  const sellerAgent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  loadStartedAtMs = clock();
  say(`load: ${count(settings.purchases)} purchases at ${settings.ratePerSecond}/s from ${settings.buyers} buyers (about ${seconds(loadMs)} s)`);
  const buyers = runBuyers(clientOptions(web.url), { purchases: plannedPurchases, ratePerSecond: settings.ratePerSecond, buyers: settings.buyers, startedAtMs: loadStartedAtMs, onTurn: (index) => (purchasesStarted = Math.max(purchasesStarted, index + 1)) }, (purchase, acknowledgement) => {
    acknowledgedAt.set(purchase.purchaseId, acknowledgement.acknowledgedAtMs);
    if (!decidedSeenAt.has(purchase.purchaseId)) undecided.add(purchase.purchaseId);
  }).finally(() => {
    loadEndedAtMs = clock();
    say(`load: the last purchase was answered; ${count(acknowledgedAt.size)} acknowledged`);
  });
  try {
    const [givenUp] = await Promise.all([buyers, runFaults(workers, web), runSeller(web.url, sellerAgent)]);
    return givenUp;
  } finally {
    sellerAgent.destroy();
  }
}

// Until every acknowledged purchase is decided, or nothing moved for drainWithoutProgressMsMax.
async function drain(): Promise<void> {
  let lastProgressAtMs = clock();
  let left = undecided.size;
  while (undecided.size > 0 && clock() - lastProgressAtMs < drainWithoutProgressMsMax) {
    await sleep(decisionPollMs);
    if (undecided.size < left) {
      left = undecided.size;
      lastProgressAtMs = clock();
    }
  }
  say(`drained: ${count(undecided.size)} acknowledged purchases still undecided`);
  const deadline = clock() + 60_000;
  while (clock() < deadline && (await countOutboxUnsent(itemIds).catch(() => 1)) > 0) await sleep(decisionPollMs);
}

// ---- the report ------------------------------------------------------------------------------------------
type FaultRow = { record: FaultRecord; recovery: Recovery; serviceUnavailable: number; noAnswer: number };

function faultRows(): FaultRow[] {
  const acknowledgements = [...acknowledgedAt].map(([purchaseId, acknowledgedAtMs]) => ({ acknowledgedAtMs, decidedSeenAtMs: decidedSeenAt.get(purchaseId) }));
  // Each 503 and each request without an answer belongs to the latest fault begun before it.
  const belongsTo = (times: readonly number[], index: number) => {
    const from = faultRecords[index]?.startedAtMs ?? Number.POSITIVE_INFINITY;
    const to = faultRecords[index + 1]?.startedAtMs ?? Number.POSITIVE_INFINITY;
    return times.filter((time) => time >= from && time < to).length;
  };
  return faultRecords.map((record, index) => ({
    record,
    recovery: recoveryAfter(
      { label: record.label, startedAtMs: record.startedAtMs, returnedAtMs: record.returnedAtMs, windowEndMs: faultRecords[index + 1]?.startedAtMs ?? Number.POSITIVE_INFINITY },
      acknowledgements,
    ),
    serviceUnavailable: belongsTo(tally.serviceUnavailableAtMs, index),
    noAnswer: belongsTo(tally.noAnswerAtMs, index),
  }));
}

type ProcessLogs = { name: string; warn: number; error: number; fatal: number; restarts: number };

async function processLogs(workers: readonly SupervisedWorker[], web: WebProcess): Promise<ProcessLogs[]> {
  const webLog = path.join(outputDirectory, 'web.log');
  await writeFile(webLog, web.output());
  const entries = [{ name: 'web (2 processes)', text: web.output() }];
  for (const worker of workers) entries.push({ name: `worker ${worker.index}`, text: await readFile(worker.logFile, 'utf8') });
  return entries.map((entry) => ({ name: entry.name, ...countLogLevels(entry.text) }));
}

function reportLines(verdict: ChaosVerdict, audit: AuditReport | undefined, rows: readonly FaultRow[], logs: readonly ProcessLogs[], resultsMalformed: number, totalMs: number): string[] {
  const statuses = [...tally.statuses].sort(([a], [b]) => a.localeCompare(b)).map(([status, times]) => `${status}: ${count(times)}`).join(', ');
  const faultTable = textTable(
    ['#', 'fault', 'planned s', 'started s', 'back after s', 'backlog', 'recovered after s', 'after return s', 'longest wait s', '503s', 'no answer'],
    rows.map((row, index) => [
      String(index + 1),
      row.record.label,
      seconds(row.record.fault.atMs),
      seconds(row.record.startedAtMs - loadStartedAtMs),
      seconds(row.recovery.returnedAfterMs),
      count(row.recovery.backlog),
      row.recovery.undecided > 0 ? `never (${row.recovery.undecided} undecided)` : seconds(row.recovery.recoveredAfterMs),
      seconds(row.recovery.recoveredAfterReturnMs),
      seconds(row.recovery.longestWaitMs),
      count(row.serviceUnavailable),
      count(row.noAnswer),
    ]),
  );
  const beforeFirstFault = tally.serviceUnavailableAtMs.filter((time) => time < (faultRecords[0]?.startedAtMs ?? Number.POSITIVE_INFINITY)).length;
  const soldOut = (audit?.items ?? []).filter((item) => item.database.item?.available === 0).length;
  const auditLine = audit === undefined ? 'auditor: did not run' : `auditor: ${audit.clean ? 'CLEAN' : `NOT CLEAN, ${audit.violations.length} violations`} over ${audit.items.length} items (${count(audit.totals.succeededCount + audit.totals.failedCount)} results, ${count(audit.totals.duplicates)} identical copies, ${audit.totals.outboxUnsent} unsent)`;
  return [
    `chaos ${new Date().toISOString()}: seed ${seed}${settings.small ? ' (small run)' : ''}; replay the choices with: npm run chaos -- --seed ${seed}${settings.small ? ' --small' : ''}`,
    `load: ${count(settings.purchases)} purchases (quantity 1, or 2 one time in five) over ${settings.items} items from ${settings.buyers} buyers at ${settings.ratePerSecond}/s; ${settings.stockPerItem} units per item at the start, ${laterRestocks.length} × ${midRunRestockItems} restocks of ${midRunRestockQuantity} during the run`,
    `processes: ${settings.workers} workers under scripts/supervise.sh, ${settings.webProcesses} web processes (node:cluster, WEB_CONCURRENCY=${settings.webProcesses}), compiled (dist/); own broker ${config.KAFKA_BROKERS.join(',')}, own PostgreSQL ${new URL(config.DATABASE_URL).host}`,
    `load took ${seconds((loadEndedAtMs ?? clock()) - loadStartedAtMs)} s (planned ${seconds(loadMs)} s); whole run ${seconds(totalMs)} s`,
    '',
    faultTable,
    `  recovered after: from the fault's start until every purchase acknowledged before it was decided (Postgres polled every ${decisionPollMs} ms); after return: the same from the service's return`,
    `  (a new worker pid / the replacement web process's first answer / the broker's or PostgreSQL's start script done); backlog: purchases acknowledged before the fault and not yet decided then;`,
    `  longest wait: from acknowledgement to decision, among purchases acknowledged between this fault and the next; 503s and no answer: between this fault and the next`,
    '',
    `counts: ${count(plannedPurchases.length)} purchases sent, ${count(verdict.acknowledged)} acknowledged, ${count(verdict.givenUp)} given up; ${count(tally.retries)} retries; answers ${statuses}`,
    `503s: ${count(tally.serviceUnavailableAtMs.length)}, ${count(tally.serviceUnavailableWithRetryAfter)} with Retry-After${beforeFirstFault > 0 ? ` (${beforeFirstFault} before the first fault)` : ''}; requests without an answer (cut connection, refused, timeout): ${count(tally.noAnswerAtMs.length)}`,
    `acknowledged vs decided: ${count(verdict.acknowledged)} vs ${count(verdict.decided)}`,
    `lost (acknowledged without a decision): ${verdict.lost}; without a result record on the topic: ${verdict.lostOnTopic}`,
    `duplicated (two different decisions, or two stock effects, for one purchase): ${verdict.duplicated}`,
    `oversold: ${verdict.oversold} (${soldOut} of ${settings.items} items sold out)`,
    `extra copies of a result record on the results topic: ${count(verdict.extraCopies)}${resultsMalformed > 0 ? `; ${resultsMalformed} malformed records` : ''}`,
    `decided but never acknowledged: ${verdict.decidedWithoutAcknowledgement}`,
    auditLine,
    ...(audit?.violations ?? []).slice(0, 20).map((violation) => `  audit violation: ${violation}`),
    `log lines: ${logs.map((entry) => `${entry.name}: ${entry.error} error, ${entry.fatal} fatal, ${entry.warn} warn${entry.restarts > 0 ? `, ${entry.restarts} supervisor restarts` : ''}`).join('; ')}`,
    `exceptions: ${exceptions.length === 0 && tally.unexpected.length === 0 ? 'none' : ''}`,
    ...[...exceptions, ...tally.unexpected].map((line) => `  ${line}`),
    ...verdict.findings.map((finding) => `  finding: ${finding}`),
    `verdict: ${passed(verdict, audit) ? 'PASS' : 'FAIL'}`,
  ];
}

const passed = (verdict: ChaosVerdict, audit: AuditReport | undefined) => verdict.ok && audit?.clean === true && exceptions.length === 0 && tally.unexpected.length === 0;

// ---- the run ---------------------------------------------------------------------------------------------
async function prepare(): Promise<void> {
  await dropDatabase(config.DATABASE_URL);
  await migrate({ databaseUrl: config.DATABASE_URL });
  const admin = createKafka('bps-chaos').admin();
  await admin.connect();
  try {
    await ensureTopics(admin);
    await untilTopicsServe(admin);
    await startAtTopicEnds(admin);
  } finally {
    await admin.disconnect();
  }
}

// Right after a broker start its partitions may still lack a leader (NOT_LEADER_FOR_PARTITION) for a while.
async function untilTopicsServe(admin: Admin): Promise<void> {
  let attempts = 0;
  await retryWithBackoff(() => Promise.all(Object.values(topics).map((topic) => admin.fetchTopicOffsets(topic))), {
    delayMsMin: 200,
    delayMsMax: 2_000,
    shouldStop: () => attempts >= 30,
    onFailure: () => (attempts += 1),
  });
}

async function awaitInitialStock(baseUrl: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  try {
    await restock(baseUrl, agent, initialRestocks);
  } finally {
    agent.destroy();
  }
  const deadline = clock() + 60_000;
  const total = settings.items * settings.stockPerItem;
  while ((await readItems(itemIds)).reduce((sum, item) => sum + item.restocked, 0) < total) {
    if (clock() > deadline) throw new Error('chaos: the initial restocks were not applied within 60 s');
    await sleep(250);
  }
}

async function main(): Promise<number> {
  // Printed before anything else, so a run that dies early can still be replayed.
  console.log(`chaos: seed ${seed}`);
  await mkdir(outputDirectory, { recursive: true });
  say(`schedule (s after the load starts): ${faults.map((fault) => `${seconds(fault.atMs)} ${describeFault(fault)}`).join('; ')}`);
  const watchdog = setTimeout(() => {
    console.error(`chaos: the run exceeded ${runMsMax / 60_000} minutes; stopping`);
    process.exit(2);
  }, runMsMax);
  watchdog.unref();
  await prepare();
  let web: WebProcess | undefined;
  let workers: SupervisedWorker[] = [];
  try {
    say('starting 2 workers under the supervisor and the web server with 2 processes');
    [workers, web] = await Promise.all([startWorkers(), startWebProcess(settings.port, { ...childEnvironment, WEB_CONCURRENCY: String(settings.webProcesses) })]);
    say(`web primary pid ${web.pid}, web processes ${(await childPids(web.pid)).join(', ')}; restocking ${settings.items} items with ${settings.stockPerItem} each`);
    await awaitInitialStock(web.url);
    const poller = startDecisionPoller();
    const givenUp = await runLoad(web, workers);
    await drain();
    await poller.stop();
    for (const worker of workers) {
      const code = worker.supervisorExitCode();
      if (code !== null) exceptions.push(`worker ${worker.index}'s supervisor ended with code ${code}: that worker never came back`);
      else if ((await worker.workerPid()) === undefined) exceptions.push(`worker ${worker.index} is not running at the end`);
    }
    const webProcessesAtEnd = (await childPids(web.pid)).length;
    if (webProcessesAtEnd !== settings.webProcesses) exceptions.push(`${webProcessesAtEnd} web processes at the end instead of ${settings.webProcesses}`);

    say('reading the decisions, the stock and the results topic; auditing');
    const kafka = createKafka('bps-chaos');
    const admin = kafka.admin();
    await admin.connect();
    await untilTopicsServe(admin);
    const topic = await readResults(kafka, admin, itemIds).finally(() => admin.disconnect());
    const [databaseDecisions, items] = await Promise.all([readDecisions(itemIds), readItems(itemIds)]);
    const audit = await runAudit({ itemIds }).catch((error: unknown) => {
      exceptions.push(`the auditor failed: ${String(error)}`);
      return undefined;
    });
    const verdict = judgeChaos({
      acknowledged: plannedPurchases.filter((purchase) => acknowledgedAt.has(purchase.purchaseId)),
      givenUp: givenUp.map((purchase) => purchase.purchaseId),
      databaseDecisions,
      topicResults: topic.results,
      items,
      restockedAcknowledged,
    });
    const rows = faultRows();
    const logs = await processLogs(workers, web);
    const totalMs = clock();
    const lines = reportLines(verdict, audit, rows, logs, topic.malformed, totalMs);
    console.log(lines.join('\n'));
    const summary = {
      seed,
      settings,
      runId,
      machine: { cpus: (await readFile('/proc/cpuinfo', 'utf8')).split('\n').filter((line) => line.startsWith('processor')).length, node: process.version },
      schedule: faults,
      faults: rows.map((row) => ({ ...row.record, recovery: row.recovery, serviceUnavailable: row.serviceUnavailable, noAnswer: row.noAnswer })),
      counts: { statuses: Object.fromEntries(tally.statuses), retries: tally.retries, serviceUnavailable: tally.serviceUnavailableAtMs.length, serviceUnavailableWithRetryAfter: tally.serviceUnavailableWithRetryAfter, noAnswer: tally.noAnswerAtMs.length },
      verdict,
      audit: audit === undefined ? null : { clean: audit.clean, violations: audit.violations, totals: audit.totals },
      logs,
      exceptions: [...exceptions, ...tally.unexpected],
      loadMs: (loadEndedAtMs ?? totalMs) - loadStartedAtMs,
      totalMs,
      passed: passed(verdict, audit),
    };
    await writeFile(path.join(outputDirectory, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(path.join(outputDirectory, 'summary.txt'), `${lines.join('\n')}\n`);
    say(`wrote ${outputDirectory}/summary.json and summary.txt (logs beside them)`);
    return summary.passed ? 0 : 1;
  } finally {
    await Promise.allSettled([web?.stop(), ...workers.map((worker) => worker.stop())]);
    await Promise.allSettled([disconnectPrisma(), closePool()]);
  }
}

process.exit(await main());
