// Goal: the HTTP edge bounds one client. Past its share of blocking waits a purchase gets 429 with Retry-After
// in the one error shape and nothing is recorded; a body trickled in slowly is cut at the request timeout; and
// the lean buy path refuses what every other route refuses (a repeated or unknown query parameter).
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../db/client';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const waitersMax = 3;
const requestTimeoutMs = 2_000;
let web: WebProcess;
let worker: TestProcess;

beforeAll(async () => {
  worker = await startWorkerProcess();
  web = await startWebProcess(3108, { CLIENT_WAITERS_MAX: String(waitersMax), HTTP_REQUEST_TIMEOUT_MS: String(requestTimeoutMs) });
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop()]);
  await disconnectPrisma();
});

function purchase(purchaseId: string, itemId: string, query: string): Promise<Response> {
  return fetch(`${web.url}/api/purchases${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: 'edge-bounds' }),
  });
}

describe('the HTTP edge', () => {
  it('answers 429 with Retry-After past the blocking waits of one client, and records nothing for it', async () => {
    // An item that is never restocked: its purchases are decided UNKNOWN_ITEM. Held back from deciding by
    // a paused worker, the first waits stay open while the next one arrives.
    const itemId = `edge-${randomUUID()}`;
    worker.signal('SIGSTOP');
    try {
      const holding = Array.from({ length: waitersMax }, () => purchase(randomUUID(), itemId, '?wait=10000'));
      // The held requests reach the server first; the refused one must find all of them waiting.
      await pollUntil(() => getPrisma().purchaseRequest.count({ where: { itemId } }), (count) => count === waitersMax, 10_000);
      const refusedId = randomUUID();
      const refused = await purchase(refusedId, itemId, '?wait=10000');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ error: expect.stringContaining('waits'), fields: { wait: expect.any(String) } });
      expect(await getPrisma().purchaseRequest.count({ where: { purchaseId: refusedId } })).toBe(0);
      // Without ?wait the same client is not bounded: it holds no waiter.
      expect((await purchase(randomUUID(), itemId, '')).status).toBe(202);
      worker.signal('SIGCONT');
      for (const response of await Promise.all(holding)) expect(response.status).toBe(200);
    } finally {
      worker.signal('SIGCONT');
    }
    // Once the waits are over, the client may wait again.
    expect((await purchase(randomUUID(), itemId, '?wait=10000')).status).toBe(200);
  });

  it('refuses a repeated or an unknown query parameter on the lean buy path, naming it', async () => {
    const repeated = await purchase(randomUUID(), 'any-item', '?wait=1&wait=2');
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({ fields: { wait: 'given more than once' } });
    const unknown = await purchase(randomUUID(), 'any-item', '?waiting=100');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ fields: { waiting: 'unknown field' } });
  });

  it('cuts a body trickled in slowly at the request timeout', async () => {
    const startedAt = Date.now();
    const { port, hostname } = new URL(web.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`POST /api/purchases HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
      });
      let received = '';
      const trickle = setInterval(() => socket.write(' '), 250);
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(received);
      });
      socket.on('error', (error) => {
        clearInterval(trickle);
        reject(error);
      });
      socket.setTimeout(requestTimeoutMs * 5, () => socket.destroy(new Error('the server never cut the slow body')));
    });
    const elapsedMs = Date.now() - startedAt;
    // node:http answers 408 and closes; it checks its connections every httpConnectionsCheckIntervalMs.
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // In the API's error shape, as server/http/client-error.ts writes it.
    expect(answer).toMatch(/\r\nContent-Type: application\/json\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: expect.any(String) });
    expect(elapsedMs).toBeGreaterThanOrEqual(requestTimeoutMs);
    expect(elapsedMs).toBeLessThan(requestTimeoutMs * 5);
  });
});
