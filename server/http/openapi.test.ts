// Goal: docs/openapi.yaml is exactly what the contract generates, and the contract describes every API route
// that app/api and the lean buy path implement (and nothing that they do not), each through its one wrapper.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiPath, renderOpenApi } from '../../scripts/openapi';
import { apiRoutes } from '../contract';
import { leanRoutes } from './lean-routes';

const root = join(import.meta.dirname, '..', '..');
const apiDirectory = join(root, 'app', 'api');

function routeFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === 'route.ts' ? [path] : [];
  });
}

// app/api/items/[itemId]/route.ts → /api/items/{itemId}
function templateOf(file: string): string {
  const segments = relative(join(root, 'app'), file).split(sep).slice(0, -1);
  return `/${segments.map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}')).join('/')}`;
}

type Implemented = { method: string; path: string; contractName: string | undefined };

function implementedRoutes(): Implemented[] {
  return routeFiles(apiDirectory).flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (route\(apiRoutes\.(\w+))?/g)].map((match) => ({
      method: match[1] ?? '',
      path: templateOf(file),
      contractName: match[3],
    }));
  });
}

describe('the OpenAPI description', () => {
  it('is what npm run openapi generates from the contract', () => {
    // On failure: run `npm run openapi` and commit docs/openapi.yaml with the change to the contract.
    expect(readFileSync(openApiPath, 'utf8')).toBe(renderOpenApi());
  });

  it('describes every implemented route, and only those: Next route files and the lean buy path together', () => {
    const implemented = [...implementedRoutes(), ...leanRoutes].map((route) => `${route.method} ${route.path}`).sort();
    const described = Object.values(apiRoutes).map((route) => `${route.method} ${route.path}`).sort();
    expect(implemented).toEqual(described);
  });

  it('serves every route through the route wrapper with its own contract', () => {
    for (const route of implementedRoutes()) {
      expect(route.contractName, `${route.method} ${route.path} must be route(apiRoutes.<name>, …)`).toBeDefined();
      const contract = apiRoutes[route.contractName as keyof typeof apiRoutes];
      expect(`${contract.method} ${contract.path}`).toBe(`${route.method} ${route.path}`);
    }
  });

  it('exports no handler outside the wrapper in any route file', () => {
    for (const file of routeFiles(apiDirectory)) {
      const exportedFunctions = readFileSync(file, 'utf8').match(/export (async )?function (GET|POST|PUT|PATCH|DELETE)\b/g);
      expect(exportedFunctions, file).toBeNull();
    }
  });
});
