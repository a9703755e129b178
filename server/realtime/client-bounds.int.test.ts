// Goal: one client address holds at most its share of sockets (an excess one gets connect_error TOO_MANY_SOCKETS, and a disconnect frees a slot), a socket resumes its feed at most FEED_RESUMES_PER_MINUTE_MAX times a minute (then RATE_LIMITED with a wait), and feed.resume positions name at most the partitions that exist.
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { feedResumeAnswerSchema, type ClientToServerEvents, type FeedResumeAnswer, type ServerToClientEvents } from '../contract';
import { sleep, startWebProcess, type WebProcess } from '../testing/processes';

type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Attempt = { connected: true; socket: TestSocket } | { connected: false; data: unknown };

const socketsMax = 3;
const resumesPerMinuteMax = 2;
const partitionCount = config.KAFKA_TOPIC_PARTITIONS;

let web: WebProcess;
const opened: TestSocket[] = [];

// One connection attempt, never retried by the client: either connected, or the connect_error's data.
function attemptSocket(): Promise<Attempt> {
  const socket: TestSocket = connectSocket(web.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
  opened.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close();
      resolve({ connected: false, data: error.data });
    });
  });
}

// The server frees a slot when it sees the disconnect, a moment after the client closed: try for a while.
async function connectedSocket(): Promise<TestSocket> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const attempt = await attemptSocket();
    if (attempt.connected) return attempt.socket;
    if (Date.now() > deadline) throw new Error(`no socket connected within 10 s: ${JSON.stringify(attempt.data)}`);
    await sleep(100);
  }
}

async function resume(socket: TestSocket, positions: Record<string, number>): Promise<FeedResumeAnswer> {
  const answer: unknown = await socket.timeout(10_000).emitWithAck('feed.resume', { positions });
  return feedResumeAnswerSchema.parse(answer);
}

beforeAll(async () => {
  web = await startWebProcess(3142, { CLIENT_SOCKETS_MAX: String(socketsMax), FEED_RESUMES_PER_MINUTE_MAX: String(resumesPerMinuteMax) });
});

afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

afterAll(async () => {
  await web?.stop();
});

describe('per-client bounds on sockets', () => {
  it(`holds ${socketsMax} sockets per client address, refuses the next with TOO_MANY_SOCKETS, and frees a slot on disconnect`, async () => {
    const held = [];
    for (let index = 0; index < socketsMax; index += 1) held.push(await connectedSocket());
    expect(await attemptSocket()).toEqual({ connected: false, data: { code: 'TOO_MANY_SOCKETS' } });
    // A refused socket holds no slot: it is refused again, not counted twice.
    expect(await attemptSocket()).toEqual({ connected: false, data: { code: 'TOO_MANY_SOCKETS' } });

    held.shift()?.disconnect();
    held.push(await connectedSocket());
    expect(held.every((socket) => socket.connected)).toBe(true);
    expect(await attemptSocket()).toEqual({ connected: false, data: { code: 'TOO_MANY_SOCKETS' } });
  });

  it(`answers feed.resume at most ${resumesPerMinuteMax} times a minute per socket, then RATE_LIMITED with a wait`, async () => {
    const socket = await connectedSocket();
    for (let index = 0; index < resumesPerMinuteMax; index += 1) expect(await resume(socket, {})).toEqual({ results: expect.any(Array), positions: expect.any(Object) });
    const limited = await resume(socket, {});
    expect(limited).toEqual({ error: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const retryAfterSeconds = 'retryAfterSeconds' in limited ? limited.retryAfterSeconds : 0;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    // The bound is per socket: another socket of the same client resumes at once.
    expect(await resume(await connectedSocket(), {})).toEqual({ results: expect.any(Array), positions: expect.any(Object) });
  });

  it('refuses positions with more entries than partitions, or naming a partition that does not exist, without reading', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: partitionCount + 1 }, (_, partition) => [String(partition), 0]));
    expect(await resume(await connectedSocket(), tooMany)).toEqual({
      error: `positions has ${partitionCount + 1} entries; there are only ${partitionCount} partitions`,
    });
    expect(await resume(await connectedSocket(), { [String(partitionCount)]: 0 })).toEqual({
      error: `partition ${partitionCount} does not exist; there are ${partitionCount}`,
    });
  });
});
