// Goal: /metrics of the web server (two processes under node:cluster) and of the worker, against real Kafka and
// Postgres: the text is valid Prometheus format, counters of both web processes add up in one answer, the
// worker's decisions, dead letters and per-partition lag are what happened, and only those allowed may read it.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from './config';
import { errorBodySchema } from './contract';
import { createKafka } from './kafka/client';
import { topics } from './kafka/topics';
import { parsePrometheusText, samplesOf, sumOf, type MetricFamily } from './testing/prometheus-text';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from './testing/processes';

const webPort = 3201;
const workerMetricsPort = 9401;
const metricsToken = `metrics-${randomUUID()}`;
const requestTimeoutMs = 15_000;
const inputTopics = [topics.itemsAdded, topics.purchaseCreated];
type Families = Map<string, MetricFamily>;

let web: WebProcess;
let worker: TestProcess;

// A machine address that is not loopback, if the machine has one.
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

beforeAll(async () => {
  // Bound to every address, so that the test can also come from a non-loopback one.
  worker = await startWorkerProcess({ WORKER_METRICS_PORT: String(workerMetricsPort), WORKER_METRICS_HOST: '0.0.0.0' });
  web = await startWebProcess(webPort, { WEB_CONCURRENCY: '2', METRICS_TOKEN: metricsToken });
  await bothWebProcessesAnswer();
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
});

// Every request on a connection of its own: node:cluster hands out connections, not requests, in turn.
function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    // A connection handed to a web process the moment it was killed is never answered: give up on it.
    request.setTimeout(requestTimeoutMs, () => request.destroy(new Error(`no answer within ${requestTimeoutMs} ms`)));
    request.end(body);
  });
}

async function scrape(url: string, token?: string): Promise<Families> {
  const response = await send(`${url}/metrics`, 'GET', token ? { authorization: `Bearer ${token}` } : {});
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${response.text}`);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(response.text);
}

// The web server answers as soon as one of its processes listens; the tests need both.
async function bothWebProcessesAnswer(): Promise<Set<string>> {
  const seen = new Set<string>();
  await pollUntil(
    async () => seen.add(String((await send(`${web.url}/api/ping`, 'GET', {})).headers['x-bps-web-process'])).size,
    (size) => size === 2,
    60_000,
  );
  return seen;
}

const scrapeWeb = () => scrape(web.url, metricsToken);
const scrapeWorker = () => scrape(`http://127.0.0.1:${workerMetricsPort}`);

function decided(families: Families): { succeeded: number; outOfStock: number; all: number } {
  return {
    succeeded: sumOf(families, 'bps_purchases_decided_total', { status: 'SUCCEEDED', reason: 'none' }),
    outOfStock: sumOf(families, 'bps_purchases_decided_total', { status: 'FAILED', reason: 'OUT_OF_STOCK' }),
    all: sumOf(families, 'bps_purchases_decided_total'),
  };
}

// All input partitions this (only) worker owns, with a lag of 0.
function lagsAllZero(families: Families): boolean {
  const lags = samplesOf(families, 'bps_worker_consumer_lag');
  return lags.length === inputTopics.length * config.KAFKA_TOPIC_PARTITIONS && lags.every((sample) => sample.value === 0);
}

describe('who may read /metrics', () => {
  it('with METRICS_TOKEN set, the web server refuses a request without the token or with another one, loopback included', async () => {
    const refused: Record<string, string>[] = [{}, { authorization: 'Bearer another-token-entirely' }, { authorization: metricsToken }];
    for (const headers of refused) {
      const response = await send(`${web.url}/metrics`, 'GET', headers);
      expect(response.status).toBe(403);
      expect(errorBodySchema.parse(JSON.parse(response.text)).error).toMatch(/METRICS_TOKEN/);
    }
    expect((await scrapeWeb()).has('bps_purchases_accepted_total')).toBe(true);
  });

  it('without METRICS_TOKEN, the worker answers a loopback client without any token', async () => {
    expect((await scrapeWorker()).has('bps_worker_consumer_lag')).toBe(true);
  });

  it.skipIf(externalAddress === undefined)('without METRICS_TOKEN, the worker refuses a client that is not on loopback', async () => {
    const response = await send(`http://${externalAddress}:${workerMetricsPort}/metrics`, 'GET', {});
    expect(response.status).toBe(403);
    expect(errorBodySchema.parse(JSON.parse(response.text)).fields).toHaveProperty('authorization');
  });

  it('the worker listener serves nothing but GET /metrics', async () => {
    expect((await send(`http://127.0.0.1:${workerMetricsPort}/`, 'GET', {})).status).toBe(404);
    expect((await send(`http://127.0.0.1:${workerMetricsPort}/metrics`, 'POST', {})).status).toBe(404);
  });
});

describe('what /metrics tells', () => {
  it('sums both web processes, and the worker counts every decision and brings the lag of every partition to 0', async () => {
    const itemId = `metrics-${randomUUID()}`;
    const purchases = 12;
    const stock = 5;
    const webBefore = await scrapeWeb();
    const workerBefore = await scrapeWorker();

    const restock = await send(`${web.url}/api/items`, 'POST', { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` }, JSON.stringify({ itemId, description: 'metrics test', quantity: stock }));
    expect(restock.status).toBe(202);
    await pollUntil(async () => (await send(`${web.url}/api/items/${itemId}`, 'GET', {})).status, (status) => status === 200, 30_000);

    const answeredBy = new Map<string, number>();
    for (let index = 0; index < purchases; index += 1) {
      const body = JSON.stringify({ purchaseId: randomUUID(), itemId, quantity: 1, purchasedBy: `buyer-${index}` });
      const answer = await send(`${web.url}/api/purchases`, 'POST', { 'content-type': 'application/json' }, body);
      expect(answer.status).toBe(202);
      const webProcess = String(answer.headers['x-bps-web-process']);
      answeredBy.set(webProcess, (answeredBy.get(webProcess) ?? 0) + 1);
    }
    // Both processes served some of the purchases, so no single process's counters could make the total.
    expect(answeredBy.size).toBe(2);
    expect(Math.max(...answeredBy.values())).toBeLessThan(purchases);

    const webAfter = await scrapeWeb();
    const delta = (family: string, labels: Record<string, string> = {}, sample = family) => sumOf(webAfter, family, labels, sample) - sumOf(webBefore, family, labels, sample);
    expect(delta('bps_purchases_accepted_total')).toBe(purchases);
    expect(delta('bps_http_request_duration_seconds', { method: 'POST', route: '/api/purchases', status: '202' }, 'bps_http_request_duration_seconds_count')).toBe(purchases);
    // Next's routes are labelled by their contract template, never by the raw path.
    expect(delta('bps_http_request_duration_seconds', { method: 'POST', route: '/api/items', status: '202' }, 'bps_http_request_duration_seconds_count')).toBe(1);
    expect(sumOf(webAfter, 'bps_http_request_duration_seconds', { route: '/api/items/{itemId}' }, 'bps_http_request_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(samplesOf(webAfter, 'bps_http_request_duration_seconds').some((sample) => sample.labels.route?.includes(itemId))).toBe(false);
    for (const gauge of ['bps_web_open_waiters', 'bps_web_open_sockets', 'bps_process_restarts', 'bps_web_process_restarts_total', 'process_cpu_user_seconds_total']) {
      expect(samplesOf(webAfter, gauge), gauge).toHaveLength(1);
    }

    const workerAfter = await pollUntil(scrapeWorker, (families) => decided(families).all - decided(workerBefore).all === purchases && lagsAllZero(families), 60_000);
    expect(decided(workerAfter).succeeded - decided(workerBefore).succeeded).toBe(stock);
    expect(decided(workerAfter).outOfStock - decided(workerBefore).outOfStock).toBe(purchases - stock);
    // One batch or more per topic: a restock batch and at least one purchase batch.
    expect(sumOf(workerAfter, 'bps_worker_batch_records', { topic: topics.purchaseCreated }, 'bps_worker_batch_records_sum')
      - sumOf(workerBefore, 'bps_worker_batch_records', { topic: topics.purchaseCreated }, 'bps_worker_batch_records_sum')).toBe(purchases);
    expect(sumOf(workerAfter, 'bps_worker_batch_duration_seconds', { topic: topics.itemsAdded }, 'bps_worker_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    for (const topic of inputTopics) {
      for (let partition = 0; partition < config.KAFKA_TOPIC_PARTITIONS; partition += 1) {
        expect(samplesOf(workerAfter, 'bps_worker_consumer_lag', { topic, partition: String(partition) }), `${topic}:${partition}`).toHaveLength(1);
      }
    }
    // Every decided result is relayed in the end.
    await pollUntil(scrapeWorker, (families) => {
      const backlog = samplesOf(families, 'bps_outbox_backlog');
      return backlog.length === config.KAFKA_TOPIC_PARTITIONS && backlog.every((sample) => sample.value === 0);
    }, 30_000);
  });

  it('counts a dead-lettered record, in the counter and in the rows of dead_letters', async () => {
    const before = await scrapeWorker();
    const producer = createKafka('bps-test-metrics').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: topics.purchaseCreated, acks: -1, messages: [{ key: `metrics-${randomUUID()}`, value: '{"not":"a purchase"}' }] });
    } finally {
      await producer.disconnect();
    }
    const after = await pollUntil(
      scrapeWorker,
      (families) => sumOf(families, 'bps_worker_dead_letters_total', { topic: topics.purchaseCreated }) === sumOf(before, 'bps_worker_dead_letters_total', { topic: topics.purchaseCreated }) + 1 && lagsAllZero(families),
      30_000,
    );
    expect(sumOf(after, 'bps_dead_letters')).toBe(sumOf(before, 'bps_dead_letters') + 1);
  });

  it('counts a web process that the cluster primary had to start again', async () => {
    const [victim] = [...(await bothWebProcessesAnswer())];
    process.kill(Number(victim), 'SIGKILL');
    // Until the new process answers the primary, a scrape may fail (503); the count shows once it does.
    const families = await pollUntil(scrapeWeb, (read) => sumOf(read, 'bps_web_process_restarts_total') === 1, 60_000);
    expect(samplesOf(families, 'bps_web_process_restarts_total')).toHaveLength(1);
  });
});
