// The web process: Next.js (pages and API route handlers) and socket.io share one HTTP server and one port.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { Server as SocketServer } from 'socket.io';
import { config } from './config';
import { getPrisma, disconnectPrisma } from './db/client';
import { createHealthCheck } from './health';
import { createKafka } from './kafka/client';
import { limits } from './limits';
import { componentLogger } from './logger';
import { provideWebServices } from './web-services';

const log = componentLogger('web');
const socketIoPath = '/socket.io/';
const dev = config.NODE_ENV !== 'production';

const kafkaAdmin = createKafka(`${config.KAFKA_CLIENT_ID}-web-health`).admin();
provideWebServices({
  health: createHealthCheck({
    // connect() is a no-op while connected and reconnects after the broker comes back.
    kafka: async () => {
      await kafkaAdmin.connect();
      return kafkaAdmin.describeCluster();
    },
    database: () => getPrisma().$queryRaw`SELECT 1`,
  }),
});

// Next attaches its own 'upgrade' listener to the server it is given (or to the first request's server),
// and that listener ends upgrades it cannot route, socket.io's included. Handing it a server that never
// listens keeps it away from ours; upgrades are routed below, explicitly.
const nextUpgradeSink = createServer();
const nextApp = next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT, httpServer: nextUpgradeSink });
await nextApp.prepare();
const handleRequest = nextApp.getRequestHandler();
const handleNextUpgrade = nextApp.getUpgradeHandler();

const httpServer = createServer((request, response) => {
  void handleRequest(request, response);
});

// destroyUpgrade: false, or engine.io would kill upgrades that are not its own, such as Next's HMR websocket.
const io = new SocketServer(httpServer, { path: socketIoPath, serveClient: false, destroyUpgrade: false });
io.on('connection', (socket) => {
  log.debug({ socketId: socket.id, transport: socket.conn.transport.name }, 'socket connected');
});

httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  if (request.url?.startsWith(socketIoPath)) return; // engine.io's own listener takes it.
  if (dev) {
    void handleNextUpgrade(request, socket, head);
    return;
  }
  socket.destroy();
});

httpServer.listen(config.PORT, config.HOST, () => {
  log.info({ url: `http://localhost:${config.PORT}`, dev }, 'web server listening');
});

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  const forceExit = setTimeout(() => process.exit(1), limits.shutdownTimeoutMs);
  forceExit.unref();
  io.close();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  await Promise.allSettled([kafkaAdmin.disconnect(), disconnectPrisma(), nextApp.close()]);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
