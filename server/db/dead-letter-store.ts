// The web's read of the worker's dead letters (table dead_letters), reshaped into the contract's view.
import { deadLettersSchema, type DeadLetter } from '../contract';
import { limits } from '../limits';
import { getPrisma } from './client';
import { databaseCall } from './errors';

export async function listDeadLetters(): Promise<DeadLetter[]> {
  const rows = await databaseCall(() => getPrisma().deadLetter.findMany({ orderBy: { id: 'desc' }, take: limits.deadLettersListedMax }));
  return deadLettersSchema.parse(
    rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      offset: row.offset.toString(),
      reason: row.reason,
      firstBytes: Buffer.from(row.firstBytes).toString('base64'),
      createdAt: row.createdAt.toISOString(),
    })),
  );
}
