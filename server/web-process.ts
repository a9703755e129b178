// One web process: Next.js (pages and API route handlers), the lean buy path and socket.io share one HTTP
// server and one port. server/web.ts starts one of these, or WEB_CONCURRENCY of them under node:cluster.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { Server } from 'socket.io';
import { authenticateSeller, hasSellerSession, signIn, signOut } from './auth/seller-sessions';
import { config } from './config';
import { apiRoutes, type ClientToServerEvents, type ServerToClientEvents } from './contract';
import { getPrisma, disconnectPrisma } from './db/client';
import { closePool } from './db/pool';
import { findAuditJob, readStoredAudit, requestFullAudit } from './db/audit-store';
import { baselinePurchase } from './baseline/row-lock-purchase';
import { listDeadLetters } from './db/dead-letter-store';
import { findPurchaseRequest, findPurchaseResults, purchaseStats, salesFigures } from './db/purchase-store';
import { planItemsPage } from './db/item-query';
import { findItem, readItemsPage } from './db/item-store';
import { lookupPurchases } from './db/purchase-lookup-store';
import { shopOf, statsWindow } from './shop';
import { createHealthCheck } from './health';
import { BatchingProducer } from './kafka/batching-producer';
import { createIdempotentProducer } from './kafka/renewing-producer';
import { createKafka } from './kafka/client';
import { limits } from './limits';
import { componentLogger } from './logger';
import { createLeanRouter, observeDuration } from './http/lean-routes';
import { routeLabel } from './http/route-label';
import { webMetricsSource } from './cluster-metrics';
import { collectProcessMetrics, readWhenScraped, webRegistry } from './metrics';
import { createApiGate, isApiPath } from './http/api-gate';
import { writeAnswer } from './http/answer';
import { answerClientError } from './http/client-error';
import { apiSecurityHeaders, newNonce, pageContentSecurityPolicy, pageSecurityHeaders, type Headers } from './http/security-headers';
import { ClientSlots, perProcessShare } from './client-slots';
import { createHoldService } from './purchases/hold-service';
import { createRefundService } from './purchases/refund-service';
import { createPurchaseService } from './purchases/service';
import { ResultWaiters } from './purchases/waiters';
import { attachSocketRooms, startLiveUpdates, type SocketServer } from './realtime/live-updates';
import { clientAddressHeader, provideWebServices } from './web-services';

const log = componentLogger('web');
// Says which process answered (the two-process test needs to know); the pid is unique on the machine.
const processLabel = String(process.pid);
const socketIoPath = '/socket.io/';
const dev = config.NODE_ENV !== 'production';

const kafka = createKafka(`${config.KAFKA_CLIENT_ID}-web`);
const kafkaAdmin = kafka.admin();
// Renewed after a failed send: kafkajs's sequence numbers can no longer be trusted then (renewing-producer.ts).
const producer = createIdempotentProducer(kafka, componentLogger('web-producer'));
const waiters = new ResultWaiters();
const batchingProducer = new BatchingProducer(producer);
// One bound on a client's blocking waits of every kind: purchases, holds, confirms, cancels and refunds.
const clientWaitersMax = perProcessShare(config.CLIENT_WAITERS_MAX, config.WEB_CONCURRENCY);
const waiterSlots = new ClientSlots(clientWaitersMax);
const purchases = createPurchaseService(batchingProducer, waiters, waiterSlots, clientWaitersMax);
const holds = createHoldService(batchingProducer, waiters, waiterSlots, {
  ttlSecondsDefault: config.HOLD_TTL_SECONDS,
  holdsPerClientMax: config.HOLDS_PER_CLIENT_MAX,
  heldUnitsPerClientMax: config.HELD_UNITS_PER_CLIENT_MAX,
  clientWaitersMax,
});
const refunds = createRefundService(batchingProducer, waiters, waiterSlots);
collectProcessMetrics(webRegistry);
const handleLean = createLeanRouter(
  {
    purchases,
    holds,
    baselinePurchase: config.BASELINE_ENABLED ? baselinePurchase : undefined,
    metrics: webMetricsSource(),
    metricsToken: config.METRICS_TOKEN,
  },
  { 'X-Bps-Web-Process': processLabel, ...apiSecurityHeaders },
);
const checkApiRequest = createApiGate(Object.values(apiRoutes));
const shop = shopOf(config.SHOP_CURRENCY);

provideWebServices({
  health: createHealthCheck({
    // connect() is a no-op while connected and reconnects after the broker comes back.
    kafka: async () => {
      await kafkaAdmin.connect();
      return kafkaAdmin.describeCluster();
    },
    database: () => getPrisma().$queryRaw`SELECT 1`,
  }),
  authenticateSeller,
  hasSellerSession,
  signIn: (password, client) => signIn(password, client, Date.now()),
  signOut,
  storedAudit: readStoredAudit,
  startAuditJob: requestFullAudit,
  findAuditJob,
  async purchaseStats(range) {
    const window = statsWindow(range, Date.now());
    return { range, bucketSeconds: window.bucketSeconds, from: window.from.toISOString(), buckets: await purchaseStats(window.from, window.bucketSeconds) };
  },
  deadLetters: listDeadLetters,
  purchases,
  holds,
  refunds,
  async findPurchase(purchaseId) {
    const [result] = await findPurchaseResults([purchaseId]);
    if (result) return result;
    const request = await findPurchaseRequest(purchaseId);
    return request ? { ...request, status: 'PENDING' } : undefined;
  },
  async listItems(request) {
    const planned = planItemsPage(request);
    return planned.ok ? { ok: true, page: await readItemsPage(planned.plan) } : planned;
  },
  findItem,
  lookupPurchases,
  shop,
  async salesSummary() {
    const figures = await salesFigures();
    return { currency: shop.currency, ...figures, netRevenue: figures.grossRevenue - figures.refundedRevenue };
  },
});

// Next attaches its own 'upgrade' listener to the server it is given (or to the first request's server),
// and that listener ends upgrades it cannot route, socket.io's included. Handing it a server that never
// listens keeps it away from ours; upgrades are routed below, explicitly.
const nextUpgradeSink = createServer();
const nextApp = next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT, httpServer: nextUpgradeSink });
await nextApp.prepare();
const handleRequest = nextApp.getRequestHandler();
const handleNextUpgrade = nextApp.getUpgradeHandler();

// The request listener is added below, after socket.io's, so that it runs first for every request.
const httpServer = createServer({
  // A body trickled in slowly, or headers that never end, would hold a connection for Node's default 300 s.
  requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
  // node:http refuses a headers timeout longer than the request timeout.
  headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
  connectionsCheckingInterval: limits.httpConnectionsCheckIntervalMs,
  maxHeaderSize: limits.httpHeaderBytesMax,
});
httpServer.on('clientError', answerClientError);

// The lean buy path first (one map look-up), then the API gate (a JSON 404, 405 or 400 where Next would answer
// HTML or plain text), then Next. Every answer gets its security headers on the way.
function handleHttpRequest(request: IncomingMessage, response: ServerResponse): void {
  if (handleLean(request, response)) return;
  const url = request.url ?? '/';
  // socket.io's own listener answers its path; only the headers are added here.
  if (url.startsWith(socketIoPath)) return setHeaders(response, apiSecurityHeaders);
  response.setHeader('X-Bps-Web-Process', processLabel);
  // Next's routes cost about 1 ms each anyway; a listener per request to time them is noise beside that.
  const startedAt = performance.now();
  response.once('finish', () => observeDuration(request.method ?? 'UNKNOWN', routeLabel(url), response.statusCode, startedAt));
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (isApiPath(path)) {
    setHeaders(response, apiSecurityHeaders);
    const refusal = checkApiRequest(request.method ?? 'GET', path);
    if (refusal) {
      // Read and dropped, so a kept-alive connection does not take the body for the next request.
      request.resume();
      return writeAnswer(response, refusal);
    }
  } else {
    const policy = pageContentSecurityPolicy(newNonce(), { dev });
    setHeaders(response, pageSecurityHeaders(policy));
    // Next takes the nonce for its scripts from the request's policy, as it would from a proxy's; whatever
    // the client sent in this header is replaced.
    request.headers['content-security-policy'] = policy;
  }
  request.headers[clientAddressHeader] = request.socket.remoteAddress ?? 'unknown';
  void handleRequest(request, response);
}

function setHeaders(response: ServerResponse, headers: Headers): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
}

// destroyUpgrade: false, or engine.io would kill upgrades that are not its own, such as Next's HMR websocket.
// Websocket only: with several web processes, long-polling's many requests would reach different processes,
// which would need sticky sessions in front of node:cluster; browsers all speak websocket.
const io: SocketServer = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
  path: socketIoPath,
  serveClient: false,
  destroyUpgrade: false,
  transports: ['websocket'],
});
attachSocketRooms(io);
readWhenScraped({ openWaiters: () => waiters.size, openSockets: () => io.engine.clientsCount });
// engine.io replaced the server's request listeners with its own, which answers its path and passes the rest
// on; ours goes in front of it, so that engine.io's answers carry the security headers too.
httpServer.prependListener('request', handleHttpRequest);

httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  if (request.url?.startsWith(socketIoPath)) return; // engine.io's own listener takes it.
  if (dev) {
    void handleNextUpgrade(request, socket, head);
    return;
  }
  socket.destroy();
});

// Kafka may be down at start-up: the web process still serves pages and /api/health (503) meanwhile.
void producer.connect().catch((error: unknown) => log.error({ err: error }, 'producer could not connect yet'));
const liveUpdates = startLiveUpdates(kafka, io, waiters, log);
liveUpdates.catch((error: unknown) => log.error({ err: error }, 'live updates could not start'));

httpServer.listen(config.PORT, config.HOST, () => {
  log.info({ url: `http://localhost:${config.PORT}`, dev, pid: process.pid }, 'web server listening');
});

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  const forceExit = setTimeout(() => process.exit(1), limits.shutdownTimeoutMs);
  forceExit.unref();
  io.close();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  await Promise.allSettled([
    liveUpdates.then((updates) => updates.stop()),
    producer.disconnect(),
    kafkaAdmin.disconnect(),
    disconnectPrisma(),
    closePool(),
    nextApp.close(),
  ]);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
