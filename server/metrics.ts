// Every Prometheus metric of the system, defined once (prom-client). Adapters only increment, observe or set
// them; the gauges that describe state read it when scraped (collect), so they cost nothing between scrapes.
// Names carry the `bps_` prefix and their unit last, as Prometheus's own conventions ask.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { config } from './config';

// Each kind of process serves only the metrics it has (a web process shows no worker lag, not even a zero). A
// web process under node:cluster hands its registry to the primary, which sums it over all web processes
// (AggregatorRegistry), so one scrape describes the whole web server.
export const webRegistry = new Registry();
export const workerRegistry = new Registry();
// Only the cluster primary's own metrics (it serves no requests, so it holds none of the web's).
export const clusterPrimaryRegistry = new Registry();

const web = [webRegistry];
const worker = [workerRegistry];

// State the gauges below read when scraped, given by the process that has it (web or worker). A read that
// fails (the database away) shows as no series or NaN for that scrape, never as a stale or zero value.
type ScrapedState = {
  openWaiters: () => number;
  openSockets: () => number;
  outboxBacklog: () => Promise<ReadonlyMap<number, number>>;
  deadLetterRows: () => Promise<number>;
};
const scraped: Partial<ScrapedState> = {};

export function readWhenScraped(state: Partial<ScrapedState>): void {
  Object.assign(scraped, state);
}

// Latency per route template (never the raw path, which would make a series per purchaseId) and status: the
// first place to look when the shop feels slow or answers errors. Buckets from 1 ms (the lean buy path) to
// the 10 s longest blocking wait.
export const httpRequestDuration = new Histogram({
  name: 'bps_http_request_duration_seconds',
  help: 'HTTP requests answered by the web process, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: web,
});

// The intake rate: purchases the API appended to bps-purchase-created and acknowledged (repeats included).
// Compared with bps_purchases_decided_total it shows whether the worker keeps up.
export const purchasesAccepted = new Counter({
  name: 'bps_purchases_accepted_total',
  help: 'Purchases appended to bps-purchase-created and acknowledged by the API (repeated purchaseIds included).',
  registers: web,
});

// What the worker decided, once per purchaseId (a repeat publishes the original result and is not counted):
// a rise in OUT_OF_STOCK is a sell-out, a rise in UNKNOWN_ITEM usually a client buying before its restock.
export const purchasesDecided = new Counter({
  name: 'bps_purchases_decided_total',
  help: 'Purchases decided by the worker, by status and reason (reason "none" for SUCCEEDED).',
  labelNames: ['status', 'reason'] as const,
  registers: worker,
});

// Records per applied partition batch: small batches under load mean the worker is latency-bound, full ones
// (about 2,000 purchases) that it is throughput-bound.
export const batchRecords = new Histogram({
  name: 'bps_worker_batch_records',
  help: 'Records in one applied partition batch, by input topic.',
  labelNames: ['topic'] as const,
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
  registers: worker,
});

// One batch transaction end to end, retries and bisection included: the worker's unit cost.
export const batchDuration = new Histogram({
  name: 'bps_worker_batch_duration_seconds',
  help: 'Time to apply one partition batch (fence, load, decide, write, store the offset), by input topic.',
  labelNames: ['topic'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: worker,
});

// Records on an input partition that its owner has not applied yet: growing lag means purchases wait longer
// for their decision. Kept only for the partitions this worker owns, so the series of all workers add up.
export const consumerLag = new Gauge({
  name: 'bps_worker_consumer_lag',
  help: 'High watermark minus the next offset to apply, per owned input topic and partition.',
  labelNames: ['topic', 'partition'] as const,
  registers: worker,
});

// Decided results not yet published to bps-purchase-finished: growing means buyers wait on the relay
// (Kafka unreachable, say), not on the decision. Per partition this worker owns.
export const outboxBacklog = new Gauge({
  name: 'bps_outbox_backlog',
  help: 'Outbox rows past their partition position in outbox_positions (decided, not yet relayed), per owned partition.',
  labelNames: ['partition'] as const,
  registers: worker,
  async collect() {
    if (!scraped.outboxBacklog) return;
    this.reset();
    try {
      for (const [partition, rows] of await scraped.outboxBacklog()) this.set({ partition }, rows);
    } catch {
      // Left empty for this scrape: the database is away, which its own alerts say.
    }
  },
});

// Records the worker refused and skipped: every one is a message some producer got wrong; look at them in
// GET /api/dead-letters.
export const deadLettered = new Counter({
  name: 'bps_worker_dead_letters_total',
  help: 'Input records dead-lettered (written to dead_letters and skipped) by this worker, by topic.',
  labelNames: ['topic'] as const,
  registers: worker,
});

// All dead letters ever stored, by any worker (every worker reports the same value: take max, not sum).
export const deadLetterRows = new Gauge({
  name: 'bps_dead_letters',
  help: 'Rows in the dead_letters table.',
  registers: worker,
  async collect() {
    if (!scraped.deadLetterRows) return;
    try {
      this.set(await scraped.deadLetterRows());
    } catch {
      this.set(Number.NaN);
    }
  },
});

// Blocking purchase calls in flight: near CLIENT_WAITERS_MAX per client or limits.waitersMax per process,
// new blocking calls are refused or answered PENDING at once.
export const openWaiters = new Gauge({
  name: 'bps_web_open_waiters',
  help: 'Blocking purchase calls (?wait=) waiting for their result.',
  registers: web,
  collect() {
    if (scraped.openWaiters) this.set(scraped.openWaiters());
  },
});

// socket.io connections held, against CLIENT_SOCKETS_MAX per client and the memory each costs.
export const openSockets = new Gauge({
  name: 'bps_web_open_sockets',
  help: 'socket.io connections open.',
  registers: web,
  collect() {
    if (scraped.openSockets) this.set(scraped.openSockets());
  },
});

// scripts/supervise.sh restarts a crashed process and says how often in BPS_RESTART_COUNT: a number that
// keeps rising is a crash loop. Web processes under one cluster primary share the primary's count: max.
export const processRestarts = new Gauge({
  name: 'bps_process_restarts',
  help: 'Times scripts/supervise.sh restarted this process (0 when it runs unsupervised).',
  aggregator: 'max',
  registers: [webRegistry, workerRegistry],
});
processRestarts.set(config.BPS_RESTART_COUNT);

// The cluster primary's replacements of web processes that died: each one dropped its sockets and waiters.
export const webProcessRestarts = new Counter({
  name: 'bps_web_process_restarts_total',
  help: 'Web processes the node:cluster primary started again after they died.',
  registers: [clusterPrimaryRegistry],
});

// Node's own metrics (CPU, memory, event loop lag, GC, handles), in the registry this process serves.
export function collectProcessMetrics(register: Registry): void {
  collectDefaultMetrics({ register });
}
