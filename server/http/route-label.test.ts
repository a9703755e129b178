// Goal: request paths become their contract's path template, and nothing else can create a new label value.
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../contract';
import { pagesRoute, routeLabel, unmatchedApiRoute } from './route-label';

describe('routeLabel', () => {
  it('gives a path with parameters its template', () => {
    expect(routeLabel('/api/purchases/p-123?x=1')).toBe('/api/purchases/{purchaseId}');
    expect(routeLabel('/api/items/abc')).toBe('/api/items/{itemId}');
  });

  it('gives every contract path (parameters filled in) its own template', () => {
    for (const route of Object.values(apiRoutes)) expect(routeLabel(route.path.replace(/\{[^}]+\}/g, 'x1'))).toBe(route.path);
  });

  it('keeps exact paths apart from templated ones and ignores the query', () => {
    expect(routeLabel('/api/purchases?wait=100')).toBe('/api/purchases');
    expect(routeLabel('/api/purchases/')).toBe(unmatchedApiRoute);
    expect(routeLabel('/api/purchases/a/b')).toBe(unmatchedApiRoute);
  });

  it('folds unknown API paths and every page or asset into one label each', () => {
    expect(routeLabel('/api/nothing-here')).toBe(unmatchedApiRoute);
    expect(routeLabel('/api/items.json')).toBe(unmatchedApiRoute);
    expect(routeLabel('/')).toBe(pagesRoute);
    expect(routeLabel('/_next/static/chunk.js')).toBe(pagesRoute);
    expect(routeLabel('/seller?tab=1')).toBe(pagesRoute);
    expect(routeLabel('')).toBe(pagesRoute);
  });
});
