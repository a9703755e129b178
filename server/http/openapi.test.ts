// Goal: docs/openapi.yaml stays true to the code: the same routes and methods as app/api, the same request body fields as the zod schemas, and the same limits.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { descriptionSchema, itemIdSchema, purchasedBySchema, purchaseIdSchema, quantitySchema } from '../kafka/messages';
import { limits } from '../limits';
import { itemsQuerySchema, purchaseBodySchema, purchaseQuerySchema, restockBodySchema } from './schemas';

const root = join(import.meta.dirname, '..', '..');
const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

// Only the parts of the document these checks read; everything else passes through unchecked.
const schemaObjectSchema = z.looseObject({
  $ref: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
  additionalProperties: z.unknown().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  pattern: z.string().optional(),
  const: z.unknown().optional(),
});
type SchemaObject = z.infer<typeof schemaObjectSchema>;
const operationSchema = z.looseObject({
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string(), schema: z.unknown() })).optional(),
  requestBody: z
    .looseObject({ 'x-body-bytes-max': z.number(), content: z.record(z.string(), z.looseObject({ schema: z.unknown() })) })
    .optional(),
  responses: z.record(z.string(), z.unknown()),
});
const documentSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({
    schemas: z.record(z.string(), z.unknown()),
    responses: z.record(z.string(), z.unknown()),
  }),
});

const document = documentSchema.parse(parse(readFileSync(join(root, 'docs', 'openapi.yaml'), 'utf8')));

function resolve(node: unknown): SchemaObject {
  const schema = schemaObjectSchema.parse(node);
  if (schema.$ref === undefined) return schema;
  const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
  if (name === undefined) throw new Error(`unexpected $ref ${schema.$ref}`);
  return resolve(document.components.schemas[name]);
}

function operation(path: string, method: (typeof httpMethods)[number]) {
  return operationSchema.parse(document.paths[path]?.[method]);
}

function requestBodySchema(path: string): SchemaObject {
  return resolve(operation(path, 'post').requestBody?.content['application/json']?.schema);
}

function queryParameter(path: string, method: (typeof httpMethods)[number], name: string): SchemaObject {
  const parameter = operation(path, method).parameters?.find((candidate) => candidate.name === name && candidate.in === 'query');
  return resolve(parameter?.schema);
}

function routeFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === 'route.ts' ? [path] : [];
  });
}

// app/api/items/[itemId]/route.ts → /api/items/{itemId}, with the HTTP methods the file exports.
function routesInCode(): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const file of routeFiles(join(root, 'app', 'api'))) {
    const segments = relative(join(root, 'app'), file).split(sep).slice(0, -1);
    const path = `/${segments.map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}')).join('/')}`;
    const exported = [...readFileSync(file, 'utf8').matchAll(/^export\s+(?:async\s+)?function\s+([A-Z]+)\b/gm)].map((match) => match[1]);
    routes[path] = exported.filter((name) => name !== undefined).map((name) => name.toLowerCase()).sort();
  }
  return routes;
}

function routesInDocument(): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    routes[path] = Object.keys(item).filter((key) => (httpMethods as readonly string[]).includes(key)).sort();
  }
  return routes;
}

function bodyFields(schema: z.ZodObject) {
  const names = Object.keys(schema.shape).sort();
  // Optional fields are exactly those the schema accepts as missing.
  const required = names.filter((name) => !schema.shape[name]?.safeParse(undefined).success);
  return { names, required };
}

// The document's bounds must be where the zod schema's are: the bound itself is accepted, one past it is not.
function expectIntegerBounds(documented: SchemaObject, schema: z.ZodType, min: number, max: number, asString = false) {
  expect([documented.minimum, documented.maximum]).toEqual([min, max]);
  const value = (number: number) => (asString ? String(number) : number);
  expect(schema.safeParse(value(min)).success).toBe(true);
  expect(schema.safeParse(value(max)).success).toBe(true);
  expect(schema.safeParse(value(min - 1)).success).toBe(false);
  expect(schema.safeParse(value(max + 1)).success).toBe(false);
}

function expectLengthBounds(documented: SchemaObject, schema: z.ZodType, maxLength: number) {
  expect([documented.minLength, documented.maxLength]).toEqual([1, maxLength]);
  expect(schema.safeParse('a').success).toBe(true);
  expect(schema.safeParse('a'.repeat(maxLength)).success).toBe(true);
  expect(schema.safeParse('').success).toBe(false);
  expect(schema.safeParse('a'.repeat(maxLength + 1)).success).toBe(false);
}

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it('has every route of app/api with its methods, and nothing else', () => {
    expect(routesInDocument()).toEqual(routesInCode());
  });

  it.each([
    { path: '/api/items', schema: restockBodySchema },
    { path: '/api/purchases', schema: purchaseBodySchema },
  ])('POST $path documents the fields of its zod body schema, required where the schema requires them', ({ path, schema }) => {
    const documented = requestBodySchema(path);
    const { names, required } = bodyFields(schema);
    expect(Object.keys(documented.properties ?? {}).sort()).toEqual(names);
    expect([...(documented.required ?? [])].sort()).toEqual(required);
    // A strict zod object (catchall never) refuses unknown fields, which the document says with additionalProperties: false.
    expect(schema.def.catchall?._zod.def.type).toBe('never');
    expect(documented.additionalProperties).toBe(false);
  });

  it('documents the quantity bounds of the code', () => {
    for (const path of ['/api/items', '/api/purchases']) {
      expectIntegerBounds(resolve(requestBodySchema(path).properties?.quantity), quantitySchema, 1, limits.quantityMax);
    }
  });

  it('documents the string bounds and the id pattern of the code', () => {
    const purchase = requestBodySchema('/api/purchases').properties ?? {};
    const restock = requestBodySchema('/api/items').properties ?? {};
    expectLengthBounds(resolve(purchase.itemId), itemIdSchema, limits.itemIdLengthMax);
    expectLengthBounds(resolve(restock.itemId), itemIdSchema, limits.itemIdLengthMax);
    expectLengthBounds(resolve(purchase.purchaseId), purchaseIdSchema, limits.purchaseIdLengthMax);
    expectLengthBounds(resolve(purchase.purchasedBy), purchasedBySchema, limits.purchasedByLengthMax);
    expectLengthBounds(resolve(restock.description), descriptionSchema, limits.descriptionLengthMax);
    for (const id of [resolve(purchase.itemId), resolve(purchase.purchaseId)]) {
      const pattern = new RegExp(id.pattern ?? '(no pattern)');
      for (const sample of ['dune', 'A-1.b_2', 'a b', 'x/y', 'ü', '', '../etc', 'a'.repeat(64), 'a'.repeat(65)]) {
        expect(pattern.test(sample), sample).toBe(itemIdSchema.safeParse(sample).success);
        expect(pattern.test(sample), sample).toBe(purchaseIdSchema.safeParse(sample).success);
      }
    }
  });

  it('documents the query bounds of the code', () => {
    const wait = purchaseQuerySchema.shape.wait;
    const limit = itemsQuerySchema.shape.limit;
    expectIntegerBounds(queryParameter('/api/purchases', 'post', 'wait'), wait, 0, limits.purchaseWaitMsMax, true);
    expectIntegerBounds(queryParameter('/api/items', 'get', 'limit'), limit, 1, limits.itemsPageSizeMax, true);
  });

  it('documents the body size limit and the Retry-After of the code', () => {
    for (const path of ['/api/items', '/api/purchases']) {
      expect(operation(path, 'post').requestBody?.['x-body-bytes-max']).toBe(limits.requestBodyBytesMax);
    }
    const unavailable = z
      .object({ headers: z.object({ 'Retry-After': z.object({ schema: z.object({ const: z.number() }) }) }) })
      .parse(document.components.responses.Unavailable);
    expect(unavailable.headers['Retry-After'].schema.const).toBe(limits.retryAfterSeconds);
  });

  it('documents the statuses each route answers', () => {
    const statuses = (path: string, method: (typeof httpMethods)[number]) => Object.keys(operation(path, method).responses).sort();
    expect(statuses('/api/items', 'post')).toEqual(['202', '400', '401', '413', '415', '503']);
    expect(statuses('/api/items', 'get')).toEqual(['200', '400', '503']);
    expect(statuses('/api/items/{itemId}', 'get')).toEqual(['200', '400', '404', '503']);
    expect(statuses('/api/purchases', 'post')).toEqual(['200', '202', '400', '409', '413', '415', '503']);
    expect(statuses('/api/purchases/{purchaseId}', 'get')).toEqual(['200', '400', '404', '503']);
    expect(statuses('/api/session', 'post')).toEqual(['204', '400', '401', '413', '415', '429']);
    expect(statuses('/api/session', 'delete')).toEqual(['204']);
    expect(statuses('/api/audit', 'get')).toEqual(['200', '401']);
    expect(statuses('/api/stats', 'get')).toEqual(['200', '400']);
    expect(statuses('/api/health', 'get')).toEqual(['200', '503']);
  });
});
