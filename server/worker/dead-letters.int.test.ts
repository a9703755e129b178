// Goal: a poison record never stops its partition: a malformed one and one PostgreSQL refuses are each dead-lettered with their offset and first bytes, their neighbours in the same batch and the next restock on the partition apply within seconds, the auditor reports no false violation, and the seller (only) sees them at GET /api/dead-letters.
import { randomUUID } from 'node:crypto';
import { Partitioners, type PartitionMetadata, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../config';
import type { DeadLetter } from '../contract';
import { disconnectPrisma, getPrisma } from '../db/client';
import { runAudit } from '../audit/run-audit';
import { createKafka } from '../kafka/client';
import { topics } from '../kafka/topics';
import { pollUntil, startWebProcess, startWorkerProcess, type TestProcess, type WebProcess } from '../testing/processes';

const runId = randomUUID().slice(0, 8);
const sellerHeaders = { 'content-type': 'application/json', authorization: `Bearer ${config.SELLER_TOKEN}` };
// A CHECK constraint for this test only, so that PostgreSQL itself refuses one restock the contract accepts.
const guiltyConstraint = 'dead_letters_test_guilty';
const guiltyDescription = `guilty-${runId}`;
const appliedWithinMs = 10_000;

let web: WebProcess;
let worker: TestProcess;
let producer: Producer;

const partitionMetadata: PartitionMetadata[] = Array.from({ length: config.KAFKA_TOPIC_PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [0],
  isr: [0],
  partitionErrorCode: 0,
}));
const partitioner = Partitioners.DefaultPartitioner();
const partitionOf = (itemId: string) => partitioner({ topic: topics.itemsAdded, partitionMetadata, message: { key: itemId, value: null } });

// Another item id that the producer's partitioner puts in the same partition as itemId.
function neighbourOf(itemId: string): string {
  for (let index = 0; index < 1_000; index += 1) {
    const candidate = `${itemId}-n${index}`;
    if (partitionOf(candidate) === partitionOf(itemId)) return candidate;
  }
  throw new Error(`no neighbour of ${itemId} in 1,000 tries`);
}

const restockValue = (itemId: string, quantity: number, description = `Dead letters ${itemId}`) =>
  Buffer.from(JSON.stringify({ schemaVersion: 1, itemId, description, quantity, addedAt: new Date().toISOString() }));

// One produce request, so the records sit side by side in the partition and reach the worker in one batch.
async function produceSideBySide(records: { key: string; value: Buffer }[]): Promise<{ partition: number; firstOffset: bigint }> {
  const [metadata] = await producer.send({ topic: topics.itemsAdded, acks: -1, messages: records });
  if (metadata === undefined || metadata.baseOffset === undefined) throw new Error('the broker answered no offset');
  return { partition: metadata.partition, firstOffset: BigInt(metadata.baseOffset) };
}

async function restocked(itemId: string, restockedTotal: number) {
  await pollUntil(
    async () => (await fetch(`${web.url}/api/items/${itemId}`)).json() as Promise<{ restocked?: number }>,
    (item) => item.restocked === restockedTotal,
    appliedWithinMs,
  );
}

async function restockThroughApi(itemId: string, quantity: number) {
  const response = await fetch(`${web.url}/api/items`, { method: 'POST', headers: sellerHeaders, body: JSON.stringify({ itemId, description: `Dead letters ${itemId}`, quantity }) });
  expect(response.status).toBe(202);
}

async function deadLetterAt(partition: number, offset: bigint) {
  return getPrisma().deadLetter.findUnique({ where: { topic_partition_offset: { topic: topics.itemsAdded, partition, offset } } });
}

beforeAll(async () => {
  // NOT VALID: rows already stored are not checked; only this run's guilty description is refused.
  await getPrisma().$executeRawUnsafe(`ALTER TABLE items DROP CONSTRAINT IF EXISTS ${guiltyConstraint}`);
  await getPrisma().$executeRawUnsafe(`ALTER TABLE items ADD CONSTRAINT ${guiltyConstraint} CHECK (description <> '${guiltyDescription}') NOT VALID`);
  producer = createKafka(`bps-dead-letters-test-${runId}`).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  worker = await startWorkerProcess();
  web = await startWebProcess(3151);
});

afterAll(async () => {
  await Promise.all([web?.stop(), worker?.stop(), producer?.disconnect()]);
  await getPrisma().$executeRawUnsafe(`ALTER TABLE items DROP CONSTRAINT IF EXISTS ${guiltyConstraint}`);
  await disconnectPrisma();
});

describe('dead letters', () => {
  it('dead-letters a NUL in a description and bytes that are not JSON, applies their batch neighbours and the next restock', async () => {
    const itemId = `dead-letters-${runId}`;
    const nulRestock = restockValue(itemId, 100, 'Dune\u0000');
    const notJson = Buffer.from([0x00, 0xff, 0x7b, 0x6e, 0x6f]);
    const { partition, firstOffset } = await produceSideBySide([
      { key: itemId, value: restockValue(itemId, 1) },
      { key: itemId, value: nulRestock },
      { key: itemId, value: restockValue(itemId, 2) },
      { key: itemId, value: notJson },
      { key: itemId, value: restockValue(itemId, 4) },
    ]);
    await restocked(itemId, 7);

    const nul = await deadLetterAt(partition, firstOffset + 1n);
    expect(nul?.reason).toMatch(/^malformed: description: must not contain control characters/);
    expect(Buffer.from(nul?.firstBytes ?? [])).toEqual(nulRestock);
    const garbage = await deadLetterAt(partition, firstOffset + 3n);
    expect(garbage?.reason).toBe('malformed: not JSON');
    expect(Buffer.from(garbage?.firstBytes ?? [])).toEqual(notJson);
    expect(Buffer.from(garbage?.key ?? [])).toEqual(Buffer.from(itemId));

    const startedAt = Date.now();
    await restockThroughApi(itemId, 8);
    await restocked(itemId, 15);
    expect(Date.now() - startedAt).toBeLessThan(appliedWithinMs);
  });

  it('bisects a batch PostgreSQL refuses: only the guilty restock is dead-lettered, with its SQLSTATE, and the rest apply', async () => {
    const itemId = `bisect-${runId}`;
    const guiltyItemId = neighbourOf(itemId);
    const guiltyValue = restockValue(guiltyItemId, 5, guiltyDescription);
    const { partition, firstOffset } = await produceSideBySide([
      { key: itemId, value: restockValue(itemId, 1) },
      { key: itemId, value: restockValue(itemId, 2) },
      { key: guiltyItemId, value: guiltyValue },
      { key: itemId, value: restockValue(itemId, 4) },
    ]);
    await restocked(itemId, 7);

    const guilty = await deadLetterAt(partition, firstOffset + 2n);
    expect(guilty?.reason).toMatch(/SQLSTATE 23514/);
    expect(guilty?.reason).toContain(guiltyConstraint);
    expect(Buffer.from(guilty?.firstBytes ?? [])).toEqual(guiltyValue);
    const others = await getPrisma().deadLetter.count({ where: { topic: topics.itemsAdded, partition, offset: { in: [firstOffset, firstOffset + 1n, firstOffset + 3n] } } });
    expect(others).toBe(0);
    expect((await fetch(`${web.url}/api/items/${guiltyItemId}`)).status).toBe(404);

    await restockThroughApi(itemId, 8);
    await restocked(itemId, 15);

    // The auditor leaves the dead-lettered restock out: no "restocked but no items row" for the guilty item.
    const report = await runAudit({ itemIds: [itemId, guiltyItemId] });
    expect(report.violations).toEqual([]);
    expect(report.items.find((item) => item.itemId === itemId)).toMatchObject({ restocked: 15 });
  });

  it('lists the dead letters for the seller, newest first, and refuses a buyer with 401', async () => {
    const buyer = await fetch(`${web.url}/api/dead-letters`);
    expect(buyer.status).toBe(401);
    const seller = await fetch(`${web.url}/api/dead-letters`, { headers: sellerHeaders });
    expect(seller.status).toBe(200);
    const listed = (await seller.json()) as DeadLetter[];
    const guilty = listed.find((deadLetter) => Buffer.from(deadLetter.firstBytes, 'base64').includes(guiltyDescription));
    expect(guilty).toMatchObject({ topic: topics.itemsAdded, reason: expect.stringContaining('SQLSTATE 23514') });
    const nul = listed.find((deadLetter) => deadLetter.reason.startsWith('malformed: description'));
    // JSON.stringify wrote the NUL as the six characters \u0000, which the contract refuses once parsed.
    expect(Buffer.from(nul?.firstBytes ?? '', 'base64').toString('utf8')).toContain('"description":"Dune\\u0000"');
    const garbage = listed.find((deadLetter) => deadLetter.reason === 'malformed: not JSON');
    expect(Buffer.from(garbage?.firstBytes ?? '', 'base64')).toEqual(Buffer.from([0x00, 0xff, 0x7b, 0x6e, 0x6f]));
    expect(listed.indexOf(guilty as DeadLetter)).toBeLessThan(listed.indexOf(nul as DeadLetter));
  });
});
