// Goal: GET /api/health on the real web process reports Kafka and the database separately: 200 when both are up,
// 503 naming Kafka while the broker is stopped and 200 again after it restarts, 503 naming the database when it is
// unreachable. While the broker is down, the API acknowledges nothing: 503 with Retry-After, and no purchase left behind.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { config } from './config';
import { pollUntil, startWebProcess, type WebProcess } from './testing/processes';

type Answer = { status: number; body: { status: string; failing: string[]; kafka: { status: string }; database: { status: string } } };

async function health(web: WebProcess): Promise<Answer> {
  const response = await fetch(`${web.url}/api/health`);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function kafkaScript(command: 'start' | 'stop' | 'status'): string {
  return execFileSync('bash', ['scripts/kafka.sh', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('/api/health', () => {
  let web: WebProcess;
  beforeAll(async () => {
    web = await startWebProcess(3101);
  });
  afterAll(async () => {
    kafkaScript('start');
    await web?.stop();
  });

  it('answers 200 with both parts up', async () => {
    const answer = await pollUntil(() => health(web), (value) => value.status === 200, 30_000);
    expect(answer.body).toMatchObject({ status: 'up', kafka: { status: 'up' }, database: { status: 'up' }, failing: [] });
  });

  it('turns 503 naming kafka while the broker is stopped, and 200 after it restarts', async () => {
    expect(kafkaScript('status'), 'this test stops and restarts the broker, so it needs the one scripts/kafka.sh started').toContain('(ours');
    kafkaScript('stop');
    // The broker comes back whatever fails below: the other tests need it.
    onTestFinished(() => {
      kafkaScript('start');
    });
    const down = await pollUntil(() => health(web), (value) => value.status === 503, 30_000);
    expect(down.body).toMatchObject({ status: 'down', kafka: { status: 'down' }, database: { status: 'up' }, failing: ['kafka'] });

    const purchaseId = randomUUID();
    const purchase = await fetch(`${web.url}/api/purchases?wait=1000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purchaseId, itemId: 'any-item', quantity: 1, purchasedBy: 'during-outage' }),
    });
    expect(purchase.status).toBe(503);
    expect(purchase.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await purchase.json()) as { error: string }).error).toMatch(/kafka/i);
    expect((await fetch(`${web.url}/api/purchases/${purchaseId}`)).status).toBe(404);
    const restock = await fetch(`${web.url}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` },
      body: JSON.stringify({ description: 'During the outage', quantity: 1 }),
    });
    expect(restock.status).toBe(503);
    expect(restock.headers.get('retry-after')).toMatch(/^\d+$/);

    kafkaScript('start');
    const up = await pollUntil(() => health(web), (value) => value.status === 200, 60_000);
    expect(up.body).toMatchObject({ status: 'up', kafka: { status: 'up' }, database: { status: 'up' }, failing: [] });
  });

  it('answers 503 naming the database when it cannot be reached', async () => {
    const broken = await startWebProcess(3102, { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/bps' });
    try {
      // startWebProcess saw the process answer already. The poll waits only for its Kafka part to be up, the
      // precondition for naming the database alone; a wrong 200 then fails here at once instead of timing out.
      const answer = await pollUntil(() => health(broken), (value) => value.body.kafka.status === 'up', 30_000);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: 'down', database: { status: 'down' }, kafka: { status: 'up' }, failing: ['database'] });
    } finally {
      await broken.stop();
    }
  });
});
