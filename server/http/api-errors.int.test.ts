// Goal: every /api/* answer of the real web process is JSON in the one error shape: an unknown path is 404, a wrong method 405 with Allow, broken percent-encoding 400 naming the field, a repeated query parameter 400, and a request line or header past the limit 431, answered through node:http's clientError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../contract';
import { disconnectPrisma } from '../db/client';
import { limits } from '../limits';
import { rawRequest } from '../testing/raw-http';
import { startWebProcess, type WebProcess } from '../testing/processes';

let web: WebProcess;

beforeAll(async () => {
  web = await startWebProcess(3242);
});

afterAll(async () => {
  await web?.stop();
  await disconnectPrisma();
});

// The answer's body in the error shape (parsing fails the test otherwise), with nosniff and no-store.
async function expectJsonError(response: Response, status: number) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('cache-control')).toBe('no-store');
  return errorBodySchema.parse(JSON.parse(text));
}

describe('API errors', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api'],
    ['POST', '/api/nope/deeper'],
    ['GET', '/api/items/x/y'],
    ['DELETE', '/api/%ZZ'],
  ])('%s %s → 404 in the error shape', async (method, path) => {
    await expectJsonError(await fetch(`${web.url}${path}`, { method }), 404);
  });

  it.each([
    ['PUT', '/api/items', 'GET, HEAD, OPTIONS, POST'],
    ['DELETE', '/api/items/some-item', 'GET, HEAD, OPTIONS, PATCH'],
    ['PUT', '/api/purchases', 'GET, HEAD, OPTIONS, POST'],
    ['PATCH', '/api/session', 'DELETE, OPTIONS, POST'],
    ['DELETE', '/api/baseline/purchases', 'OPTIONS, POST'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const response = await fetch(`${web.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    expect(response.headers.get('allow')).toBe(allow);
    await expectJsonError(response, 405);
  });

  it('answers OPTIONS with 204 and the same Allow, and HEAD where GET is served', async () => {
    const options = await fetch(`${web.url}/api/purchases`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    const head = await fetch(`${web.url}/api/items?limit=1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it.each([
    ['/api/items/%E0%A4%A', 'itemId'],
    ['/api/purchases/%ZZ', 'purchaseId'],
    ['/api/audit/jobs/%', 'jobId'],
  ])('GET %s → 400 naming %s', async (path, field) => {
    const body = await expectJsonError(await fetch(`${web.url}${path}`, { headers: { authorization: 'Bearer wrong' } }), 400);
    expect(Object.keys(body.fields ?? {})).toEqual([field]);
  });

  it('answers 400 naming a query parameter whose percent-encoding is broken', async () => {
    const body = await expectJsonError(await fetch(`${web.url}/api/items?after=%E0%A4%A`), 400);
    expect(Object.keys(body.fields ?? {})).toEqual(['after']);
  });

  it.each([
    ['GET', '/api/items?limit=1&limit=2', 'limit'],
    ['GET', '/api/items?after=a&limit=5&after=b', 'after'],
    ['POST', '/api/purchases?wait=abc&wait=5', 'wait'],
  ])('%s %s (a parameter given twice) → 400 naming %s', async (method, path, field) => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (method === 'POST') init.body = JSON.stringify({ itemId: 'any-item', quantity: 1, purchasedBy: 'api-errors' });
    const body = await expectJsonError(await fetch(`${web.url}${path}`, init), 400);
    expect(body.fields).toEqual({ [field]: 'given more than once' });
  });

  it('answers a 20 KB path with 431 in the error shape, and closes', async () => {
    const path = `/api/items/${'a'.repeat(20 * 1024)}`;
    const answer = await rawRequest(web.url, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('connection')).toBe('close');
    expect(errorBodySchema.parse(JSON.parse(answer.body)).error).toContain(String(limits.httpHeaderBytesMax));
  });

  it('answers an oversized header with 431 in the error shape, on a page path too', async () => {
    const answer = await rawRequest(web.url, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'x'.repeat(limits.httpHeaderBytesMax)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(errorBodySchema.parse(JSON.parse(answer.body)).error).toMatch(/headers/);
  });

  it('answers a request that is not HTTP with 400 in the error shape', async () => {
    const answer = await rawRequest(web.url, 'HELLO THERE\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/json');
    errorBodySchema.parse(JSON.parse(answer.body));
  });

  it('keeps serving after all of the above', async () => {
    expect((await fetch(`${web.url}/api/items?limit=1`)).status).toBe(200);
  });
});
