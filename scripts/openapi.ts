// Writes docs/openapi.yaml from the contract (npm run openapi). server/http/openapi.test.ts fails when the
// checked-in file is not what this writes, so the description cannot drift from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildOpenApiDocument } from '../server/http/openapi';

export const openApiPath = path.join(import.meta.dirname, '..', 'docs', 'openapi.yaml');

export function renderOpenApi(): string {
  const packageJson = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const header = '# Generated from server/contract.ts by `npm run openapi`: do not edit by hand.\n';
  return header + stringify(buildOpenApiDocument(packageJson.version), { lineWidth: 120, aliasDuplicateObjects: false });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(openApiPath, renderOpenApi());
  console.log(`openapi: wrote ${path.relative(process.cwd(), openApiPath)}`);
}
