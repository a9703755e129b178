// The worker process: the single writer for the items of the partitions it owns.
import { config } from '../config';
import { getPrisma, disconnectPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { ensureTopics } from '../kafka/topics';
import { limits } from '../limits';
import { componentLogger } from '../logger';

const log = componentLogger('worker');

const admin = createKafka(`${config.KAFKA_CLIENT_ID}-worker-admin`).admin();
await admin.connect();
const topics = await ensureTopics(admin);
await admin.disconnect();
await getPrisma().$queryRaw`SELECT 1`;
log.info({ topics, partitions: config.KAFKA_TOPIC_PARTITIONS }, 'worker ready');

const signal = await new Promise<string>((resolve) => {
  process.once('SIGTERM', () => resolve('SIGTERM'));
  process.once('SIGINT', () => resolve('SIGINT'));
});
log.info({ signal }, 'shutting down');
setTimeout(() => process.exit(1), limits.shutdownTimeoutMs).unref();
await disconnectPrisma();
