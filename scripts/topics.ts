// Creates the project's topics idempotently (npm run topics); safe to run on every start.
import { createKafka } from '../server/kafka/client';
import { ensureTopics } from '../server/kafka/topics';
import { logger } from '../server/logger';

const admin = createKafka('bps-topics').admin();
try {
  await admin.connect();
  const result = await ensureTopics(admin);
  logger.info(result, 'topics ready');
} catch (error) {
  logger.fatal({ err: error }, 'could not ensure topics');
  process.exitCode = 1;
} finally {
  await admin.disconnect();
}
