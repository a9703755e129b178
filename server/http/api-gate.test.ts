// Goal: the API gate answers every path no route serves with 404, every method a path does not serve with 405 and an Allow taken from the contract, a badly encoded path parameter with 400 naming it, and lets through everything a route serves.
import { describe, expect, it } from 'vitest';
import { apiRoutes, type ErrorBody } from '../contract';
import { createApiGate, isApiPath } from './api-gate';

const check = createApiGate(Object.values(apiRoutes));

describe('the API gate', () => {
  it('lets every route of the contract through, with its own method and with HEAD where it serves GET', () => {
    for (const route of Object.values(apiRoutes)) {
      const path = route.path.replace(/\{[^}]+\}/g, 'some-id');
      expect(check(route.method, path), `${route.method} ${path}`).toBeUndefined();
      if (route.method === 'GET') expect(check('HEAD', path), `HEAD ${path}`).toBeUndefined();
    }
  });

  it('answers 404 in the error shape for paths no route serves', () => {
    for (const path of ['/api', '/api/', '/api/nope', '/api/items/a/b', '/api/items//', '/api/%ZZ', '/api/it%65ms', '/api/holds/']) {
      const refusal = check('GET', path);
      // '/api/holds/' is '/api/holds' (Next redirects the slash away), which serves POST only.
      const expected = path === '/api/holds/' ? 405 : 404;
      expect(refusal?.status, path).toBe(expected);
      expect(typeof (refusal?.body as ErrorBody).error).toBe('string');
    }
  });

  it('answers 405 with Allow built from every route on the path, HEAD and OPTIONS included', () => {
    expect(check('PUT', '/api/items')).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD, OPTIONS, POST' } });
    expect(check('DELETE', '/api/items/x')).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD, OPTIONS, PATCH' } });
    expect(check('PUT', '/api/purchases')).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD, OPTIONS, POST' } });
    expect(check('GET', '/api/holds')).toMatchObject({ status: 405, headers: { Allow: 'OPTIONS, POST' } });
    expect(check('POST', '/api/shop')).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD, OPTIONS' } });
    expect(check('HEAD', '/api/baseline/purchases')).toMatchObject({ status: 405, headers: { Allow: 'OPTIONS, POST' } });
    expect(check('GET', '/api/session')).toMatchObject({ status: 405, headers: { Allow: 'DELETE, OPTIONS, POST' } });
    expect(check('PATCH', '/api/audit/jobs/j-1')).toMatchObject({ status: 405, headers: { Allow: 'GET, HEAD, OPTIONS' } });
  });

  it('answers OPTIONS itself with 204 and the same Allow, for the lean routes too', () => {
    expect(check('OPTIONS', '/api/holds')).toEqual({ status: 204, headers: { Allow: 'OPTIONS, POST' } });
    expect(check('OPTIONS', '/api/purchases')).toEqual({ status: 204, headers: { Allow: 'GET, HEAD, OPTIONS, POST' } });
    expect(check('OPTIONS', '/api/items')).toEqual({ status: 204, headers: { Allow: 'GET, HEAD, OPTIONS, POST' } });
  });

  it('answers 400 naming the parameter whose percent-encoding is broken, whatever the method', () => {
    for (const [method, path, field] of [
      ['GET', '/api/items/%E0%A4%A', 'itemId'],
      ['GET', '/api/purchases/%ZZ', 'purchaseId'],
      ['GET', '/api/audit/jobs/%', 'jobId'],
      ['PUT', '/api/items/%C0%AF', 'itemId'],
    ] as const) {
      const refusal = check(method, path);
      expect(refusal?.status, path).toBe(400);
      expect((refusal?.body as ErrorBody).fields, path).toEqual({ [field]: expect.any(String) });
    }
  });

  it('passes well-encoded parameters on, for the route to judge their content', () => {
    expect(check('GET', '/api/items/a%20b')).toBeUndefined();
    expect(check('GET', '/api/purchases/%E2%82%AC')).toBeUndefined();
  });

  it('knows which paths are the API', () => {
    expect(['/api', '/api/', '/api/items'].every(isApiPath)).toBe(true);
    expect(['/', '/apiary', '/seller', '/_next/static/x.js', '//api/items'].some(isApiPath)).toBe(false);
  });
});
