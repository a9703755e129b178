// Goal: the seller's sessions live in Postgres (revoked on sign-out, refused when minted, expired or older than the
// TTL, valid across web processes), cookie writes need the app's own origin (CSRF), sign-in is limited per address
// and for the account over all addresses, /api/stats needs the seller, and production refuses the demo secrets.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { config, demoSecrets } from '../config';
import { limits } from '../limits';
import { sleep, spawnWebProcess, spawnWorkerProcess, startWebProcess, type WebProcess } from '../testing/processes';

const ports = { first: 3231, second: 3232, refused: 3233 } as const;
const bearer = `Bearer ${config.SELLER_TOKEN}`;
const foreignOrigin = 'https://evil.example';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown };
type Sending = { headers?: Record<string, string>; body?: unknown; localAddress?: string };

let first: WebProcess;
let second: WebProcess;
const database = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });

// node:http rather than fetch: it can bind the client's source address (127.0.0.0/8 is all loopback on Linux),
// and it sends Origin only when told to, as a non-browser client would.
function send(web: WebProcess, method: string, path: string, { headers = {}, body, localAddress }: Sending = {}): Promise<Reply> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(path, web.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method, localAddress, headers: { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const raw = Buffer.concat(chunks).toString();
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: raw === '' ? undefined : (JSON.parse(raw) as unknown) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

// No PUBLIC_URL in the tests: the own origin is the one of the Host the request was sent to.
const ownOrigin = (web: WebProcess) => ({ origin: web.url });

async function signIn(web: WebProcess, password: string, localAddress?: string): Promise<Reply> {
  return send(web, 'POST', '/api/session', { headers: ownOrigin(web), body: { password }, localAddress });
}

// The session cookie's name=value, as the browser would send it back.
async function signedInCookie(web: WebProcess = first): Promise<string> {
  const reply = await signIn(web, config.SELLER_PASSWORD);
  expect(reply.status).toBe(204);
  const setCookie = String(reply.headers['set-cookie'] ?? '');
  expect(setCookie).toMatch(/^bps_seller=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  return setCookie.split(';')[0] ?? '';
}

const audit = (web: WebProcess, cookie: string) => send(web, 'GET', '/api/audit', { headers: { cookie } });
const tokenOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);
const digestOf = (cookie: string) => createHmac('sha256', config.SESSION_SECRET).update(tokenOf(cookie)).digest();

beforeAll(async () => {
  [first, second] = await Promise.all([startWebProcess(ports.first), startWebProcess(ports.second)]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await database.query('DELETE FROM sign_in_throttles');
  await database.end();
});

beforeEach(async () => {
  await database.query('DELETE FROM sign_in_throttles');
});

describe('server-side sessions', () => {
  it('are accepted by every web process until sign-out, and refused by every one after it', async () => {
    const cookie = await signedInCookie(first);
    expect((await audit(first, cookie)).status).toBe(200);
    expect((await audit(second, cookie)).status).toBe(200);

    expect((await send(second, 'DELETE', '/api/session', { headers: { cookie, ...ownOrigin(second) } })).status).toBe(204);
    for (const web of [first, second]) {
      const reply = await audit(web, cookie);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error: 'seller authorisation required' });
    }
  });

  it('refuse a cookie minted with the old key derived from the demo secrets, and a well-formed token never issued', async () => {
    const key = createHash('sha256').update(`bps-session\0${demoSecrets.SELLER_PASSWORD}\0${demoSecrets.SELLER_TOKEN}`).digest();
    const yearAheadMs = Date.now() + 365 * 24 * 60 * 60 * 1000;
    const minted = `bps_seller=${yearAheadMs}.${createHmac('sha256', key).update(String(yearAheadMs)).digest('base64url')}`;
    expect((await audit(first, minted)).status).toBe(401);
    expect((await audit(first, `bps_seller=${randomBytes(32).toString('base64url')}`)).status).toBe(401);
  });

  it('store an expiry of one TTL, and refuse a session past it, or older than the TTL whatever its stored expiry says', async () => {
    const cookie = await signedInCookie();
    const { rows } = await database.query<{ lifetime_ms: number }>(
      'SELECT EXTRACT(EPOCH FROM expires_at - created_at) * 1000 AS lifetime_ms FROM seller_sessions WHERE token_digest = $1',
      [digestOf(cookie)],
    );
    expect(Number(rows[0]?.lifetime_ms)).toBe(limits.sessionTtlMs);

    await database.query(`UPDATE seller_sessions SET created_at = now() - interval '9 hours', expires_at = now() + interval '1 year' WHERE token_digest = $1`, [digestOf(cookie)]);
    expect((await audit(first, cookie)).status).toBe(401);

    const other = await signedInCookie();
    await database.query(`UPDATE seller_sessions SET expires_at = now() - interval '1 second' WHERE token_digest = $1`, [digestOf(other)]);
    expect((await audit(first, other)).status).toBe(401);
  });

  it('keep only the token\'s HMAC in the database, never the token', async () => {
    const cookie = await signedInCookie();
    const { rows } = await database.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM seller_sessions WHERE token_digest = $1) AND NOT EXISTS (SELECT 1 FROM seller_sessions WHERE encode(token_digest, 'escape') LIKE '%' || $2 || '%') AS found`,
      [digestOf(cookie), tokenOf(cookie)],
    );
    expect(rows[0]?.found).toBe(true);
  });
});

describe('CSRF: writes authenticated by the cookie', () => {
  const restock = (web: WebProcess, headers: Record<string, string>) =>
    send(web, 'POST', '/api/items', { headers, body: { itemId: `csrf-${randomBytes(4).toString('hex')}`, description: 'CSRF check', quantity: 1 } });

  it('are refused with 403 from a foreign Origin or none, and accepted from the own origin or Sec-Fetch-Site: same-origin', async () => {
    const cookie = await signedInCookie();
    const refusedHeaders: Record<string, string>[] = [{ cookie, origin: foreignOrigin }, { cookie }, { cookie, origin: 'null' }, { cookie, origin: foreignOrigin, 'sec-fetch-site': 'cross-site' }];
    for (const headers of refusedHeaders) {
      const reply = await restock(first, headers);
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ error: expect.stringContaining('cross-origin'), fields: { origin: expect.any(String) } });
    }
    expect((await restock(first, { cookie, ...ownOrigin(first) })).status).toBe(202);
    expect((await restock(first, { cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(202);
    // Reads change nothing: a foreign Origin on a GET with the cookie is answered.
    expect((await send(first, 'GET', '/api/audit', { headers: { cookie, origin: foreignOrigin } })).status).toBe(200);
  });

  it('leave the bearer token alone: a foreign Origin with the token is accepted', async () => {
    expect((await restock(first, { authorization: bearer, origin: foreignOrigin })).status).toBe(202);
  });

  it('include sign-in and sign-out: both refuse a foreign Origin, and the session stays', async () => {
    const signInReply = await send(first, 'POST', '/api/session', { headers: { origin: foreignOrigin }, body: { password: config.SELLER_PASSWORD } });
    expect(signInReply.status).toBe(403);
    expect(signInReply.headers['set-cookie']).toBeUndefined();
    const cookie = await signedInCookie();
    expect((await send(first, 'DELETE', '/api/session', { headers: { cookie, origin: foreignOrigin } })).status).toBe(403);
    expect((await audit(first, cookie)).status).toBe(200);
  });
});

describe('sign-in limits', () => {
  const wrong = 'not-the-password';

  it('refuse every attempt from an address past its limit, the right password included, counted across web processes', async () => {
    const address = '127.0.0.20';
    for (let attempt = 0; attempt < limits.signInFailuresMax; attempt += 1) {
      expect((await signIn(attempt % 2 === 0 ? first : second, wrong, address)).status).toBe(401);
    }
    const refused = await signIn(first, config.SELLER_PASSWORD, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // Another address is not paused by this one.
    expect((await signIn(second, config.SELLER_PASSWORD, '127.0.0.21')).status).toBe(204);
  });

  it('pause the seller account for guesses spread over addresses, doubling; the bearer token keeps working', async () => {
    const addresses = Array.from({ length: 10 }, (_, index) => `127.0.0.${3 + index}`);
    const perAddress = new Map<string, number>();
    let guesses = 0;
    let paused: Reply | undefined;
    // Round robin, so that no address comes near its own limit.
    while (paused === undefined && guesses < 50) {
      const address = addresses[guesses % addresses.length] ?? '127.0.0.3';
      const reply = await signIn(guesses % 2 === 0 ? first : second, wrong, address);
      guesses += 1;
      if (reply.status === 429) paused = reply;
      else {
        expect(reply.status).toBe(401);
        perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      }
    }
    expect(paused?.status).toBe(429);
    expect(Math.max(...perAddress.values())).toBeLessThan(limits.signInFailuresMax);
    const accountFailures = async () => {
      const { rows } = await database.query<{ failures: number; pause_ms: number }>(
        `SELECT failures, EXTRACT(EPOCH FROM paused_until - last_failure_at) * 1000 AS pause_ms FROM sign_in_throttles WHERE scope = 'account'`,
      );
      return { failures: rows[0]?.failures ?? 0, pauseMs: Number(rows[0]?.pause_ms) };
    };
    const pausedAt = await accountFailures();
    // Every failure counted, whichever address it came from: the pause began right after the free ones.
    expect(pausedAt.failures).toBe([...perAddress.values()].reduce((sum, count) => sum + count, 0));
    expect(pausedAt.failures).toBeGreaterThan(limits.signInAccountFailuresFree);

    // Each failure after a pause doubles the next pause.
    for (let round = 0; round < 3; round += 1) {
      await sleep(Number(paused?.headers['retry-after'] ?? 1) * 1000 + 100);
      expect((await signIn(first, wrong, addresses[round] ?? '127.0.0.3')).status).toBe(401);
      paused = await signIn(first, wrong, addresses[round] ?? '127.0.0.3');
      expect(paused.status).toBe(429);
    }
    const after = await accountFailures();
    expect(after.failures).toBe(pausedAt.failures + 3);
    expect(after.pauseMs).toBe(Math.min(pausedAt.pauseMs * 8, limits.signInAccountPauseMsMax));

    // The right password from an address never seen before is paused too; the API's bearer token is not.
    const right = await signIn(second, config.SELLER_PASSWORD, '127.0.0.30');
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(first, 'GET', '/api/audit', { headers: { authorization: bearer } })).status).toBe(200);
  });
});

describe('authorization', () => {
  it('/api/stats and /api/dead-letters answer 401 without the seller, 200 with the session or the token', async () => {
    const cookie = await signedInCookie();
    for (const path of ['/api/stats', '/api/dead-letters']) {
      expect((await send(first, 'GET', path)).status).toBe(401);
      expect((await send(first, 'GET', path, { headers: { cookie } })).status).toBe(200);
      expect((await send(first, 'GET', path, { headers: { authorization: bearer } })).status).toBe(200);
    }
  });
});

describe('production start on the demo secrets', () => {
  const refusing = { BPS_ALLOW_DEMO_SECRETS: 'false', ...demoSecrets };

  it('stops the web process and the worker with exit code 78, naming each demo secret', async () => {
    for (const started of [spawnWebProcess(ports.refused, refusing), spawnWorkerProcess(refusing)]) {
      await started.exited();
      expect(started.exitCode()).toBe(78);
      for (const name of Object.keys(demoSecrets)) expect(started.output()).toContain(`${name}: is the demo value`);
    }
  });

  it('names only the one secret that is still the demo value', async () => {
    const web = spawnWebProcess(ports.refused, { ...refusing, SELLER_TOKEN: randomBytes(24).toString('hex'), SELLER_PASSWORD: randomBytes(12).toString('hex') });
    await web.exited();
    expect(web.exitCode()).toBe(78);
    expect(web.output()).toContain('SESSION_SECRET: is the demo value');
    expect(web.output()).not.toContain('SELLER_TOKEN');
  });
});
