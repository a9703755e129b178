// Goal: every answer of the real web process carries its security headers: pages a CSP whose script nonce is new on each request and is the one on the page's scripts, with no inline or evaluated script allowed; Next's static files, its 404 page, the API, the lean buy path and socket.io's answers nosniff and the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { disconnectPrisma } from '../db/client';
import { startWebProcess, type WebProcess } from '../testing/processes';

let web: WebProcess;

beforeAll(async () => {
  web = await startWebProcess(3241);
});

afterAll(async () => {
  await web?.stop();
  await disconnectPrisma();
});

function directive(policy: string, name: string): string[] {
  const found = policy.split(';').map((part) => part.trim().split(/\s+/)).find(([first]) => first === name);
  return found?.slice(1) ?? [];
}

function expectEveryAnswerHeaders(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(directive(response.headers.get('content-security-policy') ?? '', 'frame-ancestors')).toEqual(["'none'"]);
}

// The page's HTML and the nonce its policy allows, after checking the page's headers.
async function fetchPage(path: string, init?: RequestInit): Promise<{ status: number; html: string; nonce: string }> {
  const response = await fetch(`${web.url}${path}`, { redirect: 'manual', ...init });
  expectEveryAnswerHeaders(response);
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
  const policy = response.headers.get('content-security-policy') ?? '';
  const scripts = directive(policy, 'script-src');
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(directive(policy, 'connect-src')).toEqual(["'self'"]);
  const nonces = scripts.filter((source) => source.startsWith("'nonce-")).map((source) => source.slice("'nonce-".length, -1));
  expect(nonces).toHaveLength(1);
  return { status: response.status, html: await response.text(), nonce: nonces[0] ?? '' };
}

// Every <script> the page has, and whether each carries the nonce.
function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

describe('security headers', () => {
  it.each(['/', '/feed', '/seller/sign-in'])('%s: a CSP nonce on every script, new for every request', async (path) => {
    const first = await fetchPage(path);
    const second = await fetchPage(path);
    expect(first.status).toBe(200);
    expect(first.nonce).not.toBe(second.nonce);
    for (const page of [first, second]) {
      const scripts = scriptTags(page.html);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${page.nonce}"`);
    }
  });

  it('ignores a policy the client sends: the nonce is the server\'s own', async () => {
    const chosen = 'Y2hvc2VuLWJ5LXRoZS1jbGllbnQ=';
    const page = await fetchPage('/', { headers: { 'content-security-policy': `script-src 'nonce-${chosen}'` } });
    expect(page.nonce).not.toBe(chosen);
    expect(page.html).not.toContain(chosen);
  });

  it('sends the page headers on a redirect, on the 404 page and on Next\'s static files', async () => {
    const redirect = await fetchPage('/seller');
    expect(redirect.status).toBeGreaterThanOrEqual(300);
    expect(redirect.status).toBeLessThan(400);
    const missing = await fetchPage('/no-such-page');
    expect(missing.status).toBe(404);
    for (const script of scriptTags(missing.html)) expect(script).toContain(`nonce="${missing.nonce}"`);
    const home = await fetchPage('/');
    const staticPath = home.html.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
    expect(staticPath).toBeDefined();
    const file = await fetch(`${web.url}${staticPath}`);
    expect(file.status).toBe(200);
    expectEveryAnswerHeaders(file);
  });

  it('sends nosniff and no-store on the API, public and seller-only, Next\'s routes and the lean buy path', async () => {
    const answers = await Promise.all([
      fetch(`${web.url}/api/items`),
      fetch(`${web.url}/api/audit`, { headers: { authorization: `Bearer ${config.SELLER_TOKEN}` } }),
      fetch(`${web.url}/api/audit`),
      fetch(`${web.url}/api/purchases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    ]);
    for (const response of answers) {
      expectEveryAnswerHeaders(response);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(directive(response.headers.get('content-security-policy') ?? '', 'default-src')).toEqual(["'none'"]);
    }
  });

  it("sends nosniff on socket.io's own HTTP answers", async () => {
    const response = await fetch(`${web.url}/socket.io/?EIO=4&transport=polling`);
    expect(response.status).toBe(400);
    expectEveryAnswerHeaders(response);
  });
});
