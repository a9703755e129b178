// The chaos run's clients: buyers that purchase at a global pace and a seller that restocks, each request sent
// again with the same purchaseId (or restockId) until it is acknowledged, as a careful client would: after a
// 503 (honouring Retry-After), a cut connection or a timeout. node:http with a keep-alive agent rather than
// fetch: undici's fetch costs several times the CPU on these two shared cores (scripts/bench.ts measured it).
import http from 'node:http';
import { sleep } from '../testing/processes';

export type PlannedPurchase = { purchaseId: string; itemId: string; quantity: number; purchasedBy: string };
export type PlannedRestock = { restockId: string; itemId: string; quantity: number; description: string };
export type Acknowledgement = { id: string; acknowledgedAtMs: number; attempts: number };

type Answer = { status: number; retryAfterSeconds: number | undefined; webProcess: string | undefined; body: string };

// What every request met, for the printed counts; times are the run's clock (ms since its start).
export class ClientTally {
  readonly statuses = new Map<string, number>();
  readonly serviceUnavailableAtMs: number[] = [];
  // Requests that got no answer: a cut connection, a refused one, or a timeout.
  readonly noAnswerAtMs: number[] = [];
  serviceUnavailableWithRetryAfter = 0;
  retries = 0;
  // Answers that no retry can fix (400, 409, 500, …): each one is an exception of the run.
  readonly unexpected: string[] = [];
  // When each web process (X-Bps-Web-Process) answered first: a replaced one shows as a new pid.
  readonly webProcessFirstSeenAtMs = new Map<string, number>();

  count(outcome: string): void {
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
  }
}

export type ClientOptions = {
  baseUrl: string;
  clock: () => number;
  tally: ClientTally;
  requestTimeoutMs: number;
  // Past this time (the run's clock) a request still unacknowledged is given up.
  giveUpAtMs: () => number;
  headers?: Record<string, string>;
};

const retryDelayMsMin = 100;
const retryDelayMsMax = 2_000;
const unexpectedKeptMax = 20;
// Outcomes worth another try: an outage (503), a cut connection or a timeout (0), and a 500, counted apart.
const retriedStatuses = new Set([0, 500, 503]);

// Sends the body to path until it is acknowledged (one of `acknowledged`), or undefined once given up.
export async function sendUntilAcknowledged(
  options: ClientOptions,
  agent: http.Agent,
  path: string,
  id: string,
  body: string,
  acknowledged: ReadonlySet<number>,
): Promise<Acknowledgement | undefined> {
  let delayMs = retryDelayMsMin;
  for (let attempt = 1; ; attempt += 1) {
    const answer = await post(options, agent, path, body);
    const seenAtMs = options.clock();
    if (answer.webProcess && !options.tally.webProcessFirstSeenAtMs.has(answer.webProcess)) options.tally.webProcessFirstSeenAtMs.set(answer.webProcess, seenAtMs);
    options.tally.count(answer.status === 0 ? `no answer (${answer.body})` : String(answer.status));
    if (acknowledged.has(answer.status)) return { id, acknowledgedAtMs: seenAtMs, attempts: attempt };
    if (answer.status === 0) options.tally.noAnswerAtMs.push(seenAtMs);
    if (answer.status === 503) {
      options.tally.serviceUnavailableAtMs.push(seenAtMs);
      if (answer.retryAfterSeconds !== undefined) options.tally.serviceUnavailableWithRetryAfter += 1;
    }
    if (!retriedStatuses.has(answer.status) || answer.status === 500) {
      if (options.tally.unexpected.length < unexpectedKeptMax) options.tally.unexpected.push(`${path} ${id}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (answer.status !== 500) return undefined;
    }
    if (options.clock() >= options.giveUpAtMs()) return undefined;
    options.tally.retries += 1;
    // Jitter spreads the retries of many buyers cut off at once.
    const waitMs = answer.retryAfterSeconds !== undefined ? answer.retryAfterSeconds * 1000 : delayMs;
    await sleep(waitMs + Math.random() * retryDelayMsMin);
    delayMs = Math.min(delayMs * 2, retryDelayMsMax);
  }
}

// One POST; a cut connection or a timeout is status 0 with the error's code as the body.
function post(options: ClientOptions, agent: http.Agent, path: string, body: string): Promise<Answer> {
  const url = new URL(path, options.baseUrl);
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 1_000) text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfterSeconds: parseRetryAfter(response.headers['retry-after']),
            webProcess: headerText(response.headers['x-bps-web-process']),
            body: text,
          }),
        );
        response.on('error', (error: NodeJS.ErrnoException) => resolve(cutOff(error)));
      },
    );
    request.setTimeout(options.requestTimeoutMs, () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(cutOff(error)));
    request.end(body);
  });
}

const cutOff = (error: NodeJS.ErrnoException): Answer => ({ status: 0, retryAfterSeconds: undefined, webProcess: undefined, body: error.code ?? error.message });

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const seconds = Number(headerText(value));
  return headerText(value) !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

// onTurn(index) as purchase `index` is sent the first time: the load's progress, which faults are planned along.
export type BuyerLoad = { purchases: readonly PlannedPurchase[]; ratePerSecond: number; buyers: number; startedAtMs: number; onTurn: (index: number) => void };

// `buyers` concurrent buyers take the purchases in order, one start every 1 / rate seconds at most, and each stays
// with its purchase until it is acknowledged. During an outage every buyer is busy retrying, so starts pause; the
// pace then resumes where it was rather than catching up in a burst, so the load (and the faults planned along
// its progress) lasts the planned time plus the outages.
export async function runBuyers(
  options: ClientOptions,
  load: BuyerLoad,
  onAcknowledged: (purchase: PlannedPurchase, acknowledgement: Acknowledgement) => void,
): Promise<PlannedPurchase[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.buyers });
  const givenUp: PlannedPurchase[] = [];
  const intervalMs = 1000 / load.ratePerSecond;
  let next = 0;
  let nextStartAtMs = load.startedAtMs;
  const buyer = async () => {
    for (let index = next++; index < load.purchases.length; index = next++) {
      const purchase = load.purchases[index];
      if (!purchase) break;
      // Claimed synchronously, so no two buyers take the same slot.
      const startAtMs = Math.max(nextStartAtMs, options.clock());
      nextStartAtMs = startAtMs + intervalMs;
      const waitMs = startAtMs - options.clock();
      if (waitMs > 1) await sleep(waitMs);
      load.onTurn(index);
      const acknowledgement = await sendUntilAcknowledged(options, agent, '/api/purchases', purchase.purchaseId, JSON.stringify(purchase), acknowledgedPurchase);
      if (acknowledgement) onAcknowledged(purchase, acknowledgement);
      else givenUp.push(purchase);
    }
  };
  try {
    await Promise.all(Array.from({ length: load.buyers }, buyer));
  } finally {
    agent.destroy();
  }
  return givenUp;
}

// 202 appended; 200 when the purchaseId was already decided (a retry of one whose answer was lost).
const acknowledgedPurchase = new Set([200, 202]);
const acknowledgedRestock = new Set([202]);

// Asks until the given web process answers a health check (each on a new connection, which node:cluster
// hands out in turn), or false after timeoutMs.
export async function webProcessAnswers(baseUrl: string, webProcess: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answeredBy = await new Promise<string | undefined>((resolve) => {
      const request = http.get(new URL('/api/health', baseUrl), { agent: false, timeout: 2_000 }, (response) => {
        response.resume();
        resolve(headerText(response.headers['x-bps-web-process']));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(undefined));
    });
    if (answeredBy === webProcess) return true;
    await sleep(50);
  }
  return false;
}

export async function restockUntilAcknowledged(options: ClientOptions, agent: http.Agent, restock: PlannedRestock): Promise<Acknowledgement | undefined> {
  return sendUntilAcknowledged(options, agent, '/api/items', restock.restockId, JSON.stringify(restock), acknowledgedRestock);
}
