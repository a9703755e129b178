// The web process's live side: every web process consumes bps-purchase-finished (its own consumer group,
// from the latest offset) to settle its blocking waiters and push results to its socket.io clients (purchase
// results as purchase.finished, hold results as hold.changed), and relays the worker's stock-change
// notifications as stock.changed.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { ClientSlots, perProcessShare } from '../client-slots';
import { config } from '../config';
import {
  holdIdsSchema,
  itemIdsSchema,
  purchaseFinishedMessageSchema,
  toFinishedResult,
  type ClientToServerEvents,
  type LiveHold,
  type LiveResult,
  type ServerToClientEvents,
  type SocketRefusal,
  type StockChanged,
} from '../contract';
import { findHoldResults } from '../db/hold-store';
import { findPurchaseResults, readFeedResume } from '../db/purchase-store';
import { listenForStockChanges } from '../db/stock-notifications';
import { decodeMessage, readResultPosition } from '../kafka/messages';
import { exitWhenConsumerGivesUp } from '../kafka/consumer-crash';
import { topics } from '../kafka/topics';
import { limits } from '../limits';
import type { ResultWaiters } from '../purchases/waiters';
import { RateWindow } from '../rate-window';
import { answerResume, readResumePositions } from './resume-positions';

export type SocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

export const allResultsRoom = 'results:all';
export const itemRoom = (itemId: string) => `item:${itemId}`;
// A hold's watchers: its holder's page joins it (holds.subscribe) to follow the hold to its end.
export const holdRoom = (holdId: string) => `hold:${holdId}`;

export function attachSocketRooms(io: SocketServer): void {
  limitSocketsPerClient(io, perProcessShare(config.CLIENT_SOCKETS_MAX, config.WEB_CONCURRENCY));
  io.on('connection', (socket) => {
    // Everyone gets every result unless they ask for their items only (?scope=items).
    if (socket.handshake.query.scope !== 'items') void socket.join(allResultsRoom);
    socket.on('items.subscribe', (itemIds: unknown) => {
      // Typed by the contract, yet sent by anyone: checked like any other input.
      const parsed = itemIdsSchema.safeParse(itemIds);
      if (!parsed.success) return;
      const joined = [...socket.rooms].filter((room) => room.startsWith('item:')).length;
      for (const itemId of parsed.data.slice(0, Math.max(0, limits.socketItemRoomsMax - joined))) void socket.join(itemRoom(itemId));
    });
    socket.on('items.unsubscribe', (itemIds: unknown) => {
      const parsed = itemIdsSchema.safeParse(itemIds);
      if (parsed.success) for (const itemId of parsed.data) void socket.leave(itemRoom(itemId));
    });
    socket.on('holds.subscribe', (holdIds: unknown) => {
      const parsed = holdIdsSchema.safeParse(holdIds);
      if (!parsed.success) return;
      const joined = [...socket.rooms].filter((room) => room.startsWith('hold:')).length;
      for (const holdId of parsed.data.slice(0, Math.max(0, limits.socketHoldRoomsMax - joined))) void socket.join(holdRoom(holdId));
    });
    socket.on('holds.unsubscribe', (holdIds: unknown) => {
      const parsed = holdIdsSchema.safeParse(holdIds);
      if (parsed.success) for (const holdId of parsed.data) void socket.leave(holdRoom(holdId));
    });
  });
}

// A client address holds at most socketsMax sockets on this process (its share of CLIENT_SOCKETS_MAX). An
// excess socket is refused before it connects, and its connect_error carries the reason for the browser.
function limitSocketsPerClient(io: SocketServer, socketsMax: number): void {
  const slots = new ClientSlots(socketsMax);
  const refusal: SocketRefusal = { code: 'TOO_MANY_SOCKETS' };
  io.use((socket, next) => {
    const release = slots.take(socket.handshake.address);
    if (!release) {
      next(Object.assign(new Error(`at most ${socketsMax} sockets per client address`), { data: refusal }));
      return;
    }
    socket.once('disconnect', release);
    // A client that goes away between this check and its connection never emits disconnect; its
    // transport still closes. Releasing twice is harmless.
    socket.conn.once('close', release);
    next();
  });
}

function emitResult(io: SocketServer, result: LiveResult): void {
  // One emit to both rooms: a socket in both receives the event once.
  io.to(allResultsRoom).to(itemRoom(result.itemId)).emit('purchase.finished', result);
}

function emitHold(io: SocketServer, hold: LiveHold): void {
  io.to(allResultsRoom).to(holdRoom(hold.holdId)).emit('hold.changed', hold);
}

// A feed that (re)connects sends the last sequence it saw per partition and gets what it missed, newest
// first; live events continue meanwhile, and the client drops any it already has by position. A feed whose
// position lies below what the outbox still keeps is told to reload instead (server/worker/outbox-pruning.ts).
function attachFeedResume(io: SocketServer, log: Logger): void {
  io.on('connection', (socket) => {
    // Every call counts, a malformed one too: each costs the server a parse, and a valid one a read.
    const resumes = new RateWindow(config.FEED_RESUMES_PER_MINUTE_MAX, 60_000);
    socket.on('feed.resume', (request: unknown, acknowledge: unknown) => {
      if (typeof acknowledge !== 'function') return;
      const waitMs = resumes.take(Date.now());
      if (waitMs > 0) {
        acknowledge({ error: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(waitMs / 1000) });
        return;
      }
      const read = readResumePositions(request, config.KAFKA_TOPIC_PARTITIONS);
      if (!read.ok) {
        acknowledge({ error: read.error });
        return;
      }
      readFeedResume(read.positions, config.KAFKA_TOPIC_PARTITIONS, limits.feedReplayMax)
        .then(({ results, marks }) => {
          const missed = results.map(({ result, position }) => ({ ...result, position }));
          acknowledge(answerResume(read.positions, missed, marks));
        })
        .catch((error: unknown) => {
          log.warn({ err: error }, 'feed resume failed');
          acknowledge({ error: 'could not read the missed results; try again' });
        });
    });
  });
}

function emitStock(io: SocketServer, change: StockChanged): void {
  io.to(allResultsRoom).to(itemRoom(change.itemId)).emit('stock.changed', change);
}

export async function startLiveUpdates(kafka: Kafka, io: SocketServer, waiters: ResultWaiters, log: Logger) {
  attachFeedResume(io, log);
  const consumer = kafka.consumer({
    // Every web process must see every result: a group of its own. It keeps no committed offsets, so
    // it starts from the latest and leaves nothing behind when it stops.
    groupId: `bps-web-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    readUncommitted: false,
    maxWaitTimeInMs: limits.workerFetchWaitMsMax,
    sessionTimeout: limits.workerSessionTimeoutMs,
    heartbeatInterval: limits.workerHeartbeatIntervalMs,
  });
  let malformedCount = 0;
  exitWhenConsumerGivesUp(consumer, log, 'results consumer');

  // After each (re)join the consumer starts at the latest offset, so results published meanwhile are
  // looked up in Postgres for whoever is still waiting (each waiter takes only the result it waits for).
  consumer.on(consumer.events.GROUP_JOIN, () => {
    void Promise.all([findPurchaseResults(waiters.purchases.waitingIds()), findHoldResults(waiters.holds.waitingIds())])
      .then(([purchases, holds]) => {
        for (const result of purchases) waiters.settle({ kind: 'purchase', result });
        for (const result of holds) waiters.settle({ kind: 'hold', result });
      })
      .catch((error: unknown) => log.warn({ err: error }, 'could not check stored results for waiters'));
  });

  await consumer.connect();
  await consumer.subscribe({ topics: [topics.purchaseFinished], fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const decoded = decodeMessage(purchaseFinishedMessageSchema, message.value);
        if (!decoded.ok) {
          malformedCount += 1;
          log.warn({ partition: batch.partition, offset: message.offset, error: decoded.error, malformedCount }, 'malformed result skipped');
          continue;
        }
        const finished = toFinishedResult(decoded.value);
        waiters.settle(finished);
        const position = readResultPosition(message.headers) ?? null;
        if (finished.kind === 'purchase') emitResult(io, { ...finished.result, position });
        else emitHold(io, { ...finished.result, position });
      }
    },
  });
  const stockListener = listenForStockChanges((change) => emitStock(io, change), log);

  return {
    async stop() {
      await Promise.allSettled([consumer.disconnect(), stockListener.stop()]);
    },
  };
}
