// Goal: a worker whose database stored offsets past the end of the topics (a fresh broker under an old
// database) refuses to start with exit code 78 and a message that names the fix, and skips nothing.
import { afterAll, expect, it } from 'vitest';
import { config } from '../config';
import { disconnectPrisma, getPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { ensureTopics, topics } from '../kafka/topics';
import { spawnWorkerProcess, type TestProcess } from '../testing/processes';

let worker: TestProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  await disconnectPrisma();
});

it('refuses to start from a stored offset past a partition end, with exit code 78 and the fix', async () => {
  const admin = createKafka('bps-offset-guard-test').admin();
  await admin.connect();
  await ensureTopics(admin);
  const [end] = await admin.fetchTopicOffsets(topics.purchaseCreated);
  await admin.disconnect();
  expect(end).toBeDefined();
  const partition = end?.partition ?? 0;
  const pastTheEnd = BigInt(end?.high ?? 0) + 1_000n;
  const prisma = getPrisma();
  const before = await prisma.consumerOffset.findUnique({ where: { topic_partition: { topic: topics.purchaseCreated, partition } } });
  await prisma.consumerOffset.upsert({
    where: { topic_partition: { topic: topics.purchaseCreated, partition } },
    create: { topic: topics.purchaseCreated, partition, nextOffset: pastTheEnd },
    update: { nextOffset: pastTheEnd },
  });
  try {
    // A group of its own, so that it is assigned every partition at once.
    worker = spawnWorkerProcess({ KAFKA_WORKER_GROUP_ID: `${config.KAFKA_WORKER_GROUP_ID}-offset-guard` });
    await Promise.race([worker.exited(), new Promise((_, reject) => setTimeout(() => reject(new Error(`still running:\n${worker?.output()}`)), 60_000))]);
    expect(worker.exitCode()).toBe(78);
    expect(worker.output()).toContain(`${topics.purchaseCreated} partition ${partition} ends at offset ${end?.high}, but the database has applied it up to ${pastTheEnd}`);
    expect(worker.output()).toContain('npm run db:reset');
    // It refused before deciding anything: the stored offset is still the one planted.
    const after = await prisma.consumerOffset.findUnique({ where: { topic_partition: { topic: topics.purchaseCreated, partition } } });
    expect(after?.nextOffset).toBe(pastTheEnd);
  } finally {
    // Put the real offset back for the tests that follow in this database.
    if (before) await prisma.consumerOffset.update({ where: { topic_partition: { topic: topics.purchaseCreated, partition } }, data: { nextOffset: before.nextOffset } });
    else await prisma.consumerOffset.delete({ where: { topic_partition: { topic: topics.purchaseCreated, partition } } });
  }
});
