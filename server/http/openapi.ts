// Builds the OpenAPI 3.1 description of the API from the contract: the routes' schemas through zod's JSON
// Schema output, the errors every route of a kind answers, and the socket.io events (x-socket-io). No I/O:
// scripts/openapi.ts writes docs/openapi.yaml from it, and a test checks that the file is current.
import { z } from 'zod';
import { apiRoutes, errorBodySchema, socketEventContracts, socketRefusalSchema, type ResponseContract, type RouteContract } from '../contract';
import { limits } from '../limits';

type JsonSchema = Record<string, unknown>;
type Components = Record<string, JsonSchema>;

const componentPrefix = '#/components/schemas/';

// zod writes shared schemas (those with an id in .meta) to $defs; they become components, referenced by path.
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const { $schema: _dialect, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline', cycles: 'ref' }) as JsonSchema & {
    $defs?: Components;
  };
  const rewrite = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${componentPrefix}`));
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = rewrite(definition) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

const errorReference = { $ref: `${componentPrefix}Error` };

function errorResponse(description: string, headers?: Record<string, string>): JsonSchema {
  return { description, ...(headers ? { headers: describeHeaders(headers) } : {}), content: { 'application/json': { schema: errorReference } } };
}

function describeHeaders(headers: Readonly<Record<string, string>>): JsonSchema {
  return Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
}

function describeResponse(response: ResponseContract, components: Components): JsonSchema {
  return {
    description: response.description,
    ...(response.headers ? { headers: describeHeaders(response.headers) } : {}),
    ...(response.schema ? { content: { 'application/json': { schema: toSchema(response.schema, 'output', components) } } } : {}),
  };
}

// The answers the route wrapper (server/http/route.ts) gives on behalf of every route with these features.
function commonErrors(route: RouteContract): Record<string, JsonSchema> {
  const errors: Record<string, JsonSchema> = {};
  if (route.params || route.query || route.body) errors['400'] = errorResponse('Invalid input: `fields` names each bad field, parameter or header.');
  if (route.seller) errors['401'] = errorResponse('No active seller session cookie and no valid Authorization: Bearer <seller token>.', { 'WWW-Authenticate': 'Bearer' });
  if (route.method !== 'GET' && (route.seller || route.session)) {
    errors['403'] = errorResponse("Authenticated by the session cookie (or setting it) but not from the app's own origin: Origin must be PUBLIC_URL's origin (or the Host's), or Sec-Fetch-Site same-origin (CSRF).");
  }
  if (route.body) {
    errors['413'] = errorResponse(`The body is larger than ${limits.requestBodyBytesMax} bytes (checked before parsing).`);
    errors['415'] = errorResponse('The body is not application/json.');
  }
  errors['500'] = errorResponse('A bug: logged with the `requestId` given in the answer.');
  if (route.dependencies.length > 0) {
    errors['503'] = errorResponse(`${route.dependencies.join(' or ')} unavailable; retry after Retry-After seconds.`, { 'Retry-After': 'Seconds.' });
  }
  return errors;
}

function parameters(route: RouteContract, components: Components): JsonSchema[] {
  const from = (location: 'path' | 'query', schema: z.ZodObject | undefined) =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => {
      const described = toSchema(field as z.ZodType, 'input', components);
      const { description, ...rest } = described;
      return { name, in: location, required: location === 'path' || !(field as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema: rest };
    });
  return [...from('path', route.params), ...from('query', route.query)];
}

function describeOperation(name: string, route: RouteContract, components: Components): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) responses[status] = describeResponse(response, components);
  for (const [status, response] of Object.entries(commonErrors(route))) responses[status] ??= response;
  const parameterList = parameters(route, components);
  return {
    operationId: name,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.seller ? { security: [{ sellerSession: [] }, { sellerToken: [] }] } : {}),
    ...(parameterList.length > 0 ? { parameters: parameterList } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input', components) } } } } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([left], [right]) => Number(left) - Number(right))),
  };
}

function socketEvents(components: Components): JsonSchema {
  const events = (direction: string) =>
    Object.fromEntries(
      socketEventContracts
        .filter((event) => event.direction === direction)
        .map((event) => [
          event.name,
          {
            description: event.description,
            payload: toSchema(event.schema, direction === 'client-to-server' ? 'input' : 'output', components),
            ...('acknowledgement' in event ? { acknowledgement: toSchema(event.acknowledgement, 'output', components) } : {}),
          },
        ]),
    );
  return {
    description:
      `The web process also serves socket.io (v4) on the same port. Every web process consumes bps-purchase-finished from its latest offset, so a socket receives what is decided while it is connected. A feed that (re)connects sends feed.resume with the highest sequence it saw per partition and gets what it missed, or, when the outbox has pruned results after one of its positions (sent results are kept ${limits.outboxRetentionMs / 60_000} minutes), {reload: true, reason}: it then forgets what it shows and resumes from no positions.`,
    path: '/socket.io/',
    transports: ['websocket'],
    connectionQuery: { scope: { description: 'Omitted: every purchase.finished and stock.changed. `items`: only those of the items joined with items.subscribe.', enum: ['items'] } },
    connectError: {
      description: `A socket past its client address's share of CLIENT_SOCKETS_MAX (default ${limits.clientSocketsMax}, split over the web processes) is refused: the client gets connect_error with this data, and socket.io does not retry it by itself.`,
      data: toSchema(socketRefusalSchema, 'output', components),
    },
    serverToClient: events('server-to-client'),
    clientToServer: events('client-to-server'),
  };
}

export function buildOpenApiDocument(version: string): JsonSchema {
  const components: Components = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, route] of Object.entries(apiRoutes) as [string, RouteContract][]) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = describeOperation(name, route, components);
  }
  toSchema(errorBodySchema, 'output', components);
  const sockets = socketEvents(components);
  return {
    openapi: '3.1.0',
    info: {
      title: 'book-purchase-streams',
      version,
      summary: 'Sellers restock items, buyers purchase them, and no item is ever over-sold.',
      description: [
        'Generated from server/contract.ts by `npm run openapi`; do not edit by hand.',
        'A 2xx answer to a POST means the event is durably appended to Kafka; the decision itself may come later.',
        `Every error is JSON in the Error shape. Request bodies must be application/json of at most ${limits.requestBodyBytesMax} bytes; unknown fields are refused (400 naming each one). A query parameter given twice is refused.`,
        'Results and stock changes are also pushed live over socket.io: see x-socket-io.',
      ].join('\n\n'),
      license: { name: 'UNLICENSED' },
    },
    servers: [{ url: 'http://localhost:3000', description: 'the web process of `npm run up`' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([left], [right]) => left.localeCompare(right))),
      securitySchemes: {
        sellerSession: { type: 'apiKey', in: 'cookie', name: 'bps_seller', description: 'Set by POST /api/session; named __Host-bps_seller when PUBLIC_URL is https.' },
        sellerToken: { type: 'http', scheme: 'bearer', description: 'SELLER_TOKEN.' },
      },
    },
    'x-socket-io': sockets,
  };
}
