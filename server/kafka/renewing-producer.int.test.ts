// Goal: a produce request the broker appended but whose answer was lost must not make kafkajs's idempotent
// producer acknowledge a later, different batch without appending it. Real broker; the answer is lost by
// cutting the connection when it arrives (kafkajs's socketFactory), so the failure is the same every time.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Kafka, Partitioners, type ISocketFactory, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import { componentLogger } from '../logger';
import { RenewingProducer } from './renewing-producer';

const produceApiKey = 0;

// Sockets that, once armed, let the next Produce requests reach the broker and then cut the connection when
// each answer comes back: the batch is appended, the producer only sees closed connections.
function answerLosingSockets(): { socketFactory: ISocketFactory; armProduces(count: number): void } {
  let armed = 0;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    let awaitingProduceAnswer = false;
    const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      // A request is size (int32), then its api key (int16).
      if (armed > 0 && Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === produceApiKey) {
        armed -= 1;
        awaitingProduceAnswer = true;
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && awaitingProduceAnswer) {
        awaitingProduceAnswer = false;
        socket.destroy(new Error('answer lost on purpose'));
        return true;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    return socket;
  };
  return { socketFactory, armProduces: (count) => (armed = count) };
}

const topic = `renewing-producer-${randomUUID()}`;
const sockets = answerLosingSockets();
const kafka = new Kafka({ clientId: 'renewing-producer-test', brokers: config.KAFKA_BROKERS, socketFactory: sockets.socketFactory, requestTimeout: 5_000, logLevel: 0 });
const admin = kafka.admin();

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

// One retry (kafkajs refuses an idempotent producer without any): both answers lost end the send with an
// error, as a non-retriable error in another partition of the request does in production.
const retries = 1;
const createProducer = (): Producer =>
  kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries, initialRetryTime: 50 } });

const messages = (label: string) => [{ key: 'k', value: `${label}-1` }, { key: 'k', value: `${label}-2` }];

async function endOffset(): Promise<number> {
  const [partition] = await admin.fetchTopicOffsets(topic);
  return Number(partition?.high ?? 0);
}

// Sends a batch whose answer is lost, then another batch of the same size; answers how many records the
// second acknowledged send really appended.
async function appendedAfterLostAnswer(send: (label: string) => Promise<unknown>): Promise<number> {
  await send('warm-up');
  sockets.armProduces(retries + 1);
  await expect(send('answer-lost')).rejects.toThrow();
  const before = await endOffset();
  await send('next');
  return (await endOffset()) - before;
}

describe('an idempotent producer after a lost produce answer', () => {
  it('plain kafkajs acknowledges the next batch of the same size without appending it (the trap)', async () => {
    const producer = createProducer();
    await producer.connect();
    try {
      expect(await appendedAfterLostAnswer((label) => producer.send({ topic, acks: -1, messages: messages(label) }))).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('RenewingProducer appends it', async () => {
    const producer = new RenewingProducer(createProducer, componentLogger('test'));
    try {
      expect(await appendedAfterLostAnswer((label) => producer.send({ topic, acks: -1, messages: messages(label) }))).toBe(2);
      expect(producer.renewals).toBe(1);
    } finally {
      await producer.disconnect();
    }
  });
});
