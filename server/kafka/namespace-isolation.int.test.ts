// Goal: two environments on one broker never see each other's events. A development-like stack (the original
// topic names: KAFKA_TOPIC_NAMESPACE empty, its own database and worker group) runs next to this suite's
// namespace; a restock and a purchase in each reach only its own worker, its own database and its own results.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../scripts/migrate';
import { config } from '../config';
import { createKafka } from '../kafka/client';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
const decidedWithinMs = 10_000;
const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };

type Stack = { name: string; namespace: string; web: WebProcess; worker: TestProcess };

// The other environment: the development stack's topic names, on a database of its own beside the suite's.
const developmentEnvironment = {
  KAFKA_TOPIC_NAMESPACE: '',
  DATABASE_URL: config.DATABASE_URL.replace(/\/[^/]*$/, '/bps_namespace_dev'),
  KAFKA_WORKER_GROUP_ID: `bps-worker-namespace-dev-${runId}`,
};

let suite: Stack;
let development: Stack;

async function startStack(name: string, namespace: string, port: number, environment: Record<string, string>): Promise<Stack> {
  const [worker, web] = await Promise.all([startWorkerProcess(environment), startWebProcess(port, environment)]);
  return { name, namespace, web, worker };
}

async function restock(stack: Stack, itemId: string) {
  const response = await fetch(`${stack.web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId, description: `Isolation ${itemId}`, quantity: 3 }) });
  expect(response.status).toBe(202);
  await pollUntil(() => fetch(`${stack.web.url}/api/items/${itemId}`), (answer) => answer.status === 200, decidedWithinMs);
}

async function purchase(stack: Stack, itemId: string): Promise<string> {
  const purchaseId = randomUUID();
  const response = await fetch(`${stack.web.url}/api/purchases?wait=${decidedWithinMs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: `isolation-${stack.name}` }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ purchaseId, status: 'SUCCEEDED' });
  return purchaseId;
}

// Every key on a topic, read from the beginning (group-less: a fresh group id that commits nothing).
async function keysOn(topic: string): Promise<string[]> {
  const kafka = createKafka(`bps-namespace-reader-${runId}`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const wanted = ends.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  const consumer = kafka.consumer({ groupId: `bps-namespace-reader-${randomUUID()}` });
  const keys: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((done) => {
    if (wanted === 0) done();
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        keys.push(message.key?.toString() ?? '');
        if (keys.length >= wanted) done();
      },
    });
  });
  await consumer.disconnect();
  return keys;
}

beforeAll(async () => {
  await migrate({ databaseUrl: developmentEnvironment.DATABASE_URL });
  // The development names' topics on this broker, made by the same step npm run up runs.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/topics.ts'], { env: { ...process.env, ...developmentEnvironment }, stdio: 'ignore' });
  [suite, development] = await Promise.all([
    startStack('suite', config.KAFKA_TOPIC_NAMESPACE, 3161, {}),
    startStack('development', '', 3162, developmentEnvironment),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([suite?.web.stop(), suite?.worker.stop(), development?.web.stop(), development?.worker.stop()]);
});

describe('topic namespaces', () => {
  it('keeps a development stack and the suite apart on one broker: events, stock views and results', async () => {
    expect(config.KAFKA_TOPIC_NAMESPACE, 'the suite must run in a namespace of its own').not.toBe('');
    const suiteItem = `isolation-suite-${runId}`;
    const developmentItem = `isolation-dev-${runId}`;
    await Promise.all([restock(suite, suiteItem), restock(development, developmentItem)]);
    const [suitePurchase, developmentPurchase] = await Promise.all([purchase(suite, suiteItem), purchase(development, developmentItem)]);

    // Neither stock view knows the other's item, and neither result look-up knows the other's purchase.
    expect((await fetch(`${suite.web.url}/api/items/${developmentItem}`)).status).toBe(404);
    expect((await fetch(`${development.web.url}/api/items/${suiteItem}`)).status).toBe(404);
    expect((await fetch(`${suite.web.url}/api/purchases/${developmentPurchase}`)).status).toBe(404);
    expect((await fetch(`${development.web.url}/api/purchases/${suitePurchase}`)).status).toBe(404);

    // On the broker: each namespace's topics hold only its own keys.
    for (const topic of ['bps-items-added', 'bps-purchase-created', 'bps-purchase-finished']) {
      const [suiteKeys, developmentKeys] = await Promise.all([keysOn(`${suite.namespace}${topic}`), keysOn(topic)]);
      expect(suiteKeys, topic).toContain(suiteItem);
      expect(suiteKeys, topic).not.toContain(developmentItem);
      expect(developmentKeys, topic).toContain(developmentItem);
      expect(developmentKeys, topic).not.toContain(suiteItem);
    }
  });
});
