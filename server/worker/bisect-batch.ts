// When PostgreSQL refuses a batch for a reason tied to one of its records (a data or integrity error, SQLSTATE
// class 22 or 23), the batch is split in halves, each applied in offset order in a transaction of its own with its
// own next offset, until the guilty record stands alone: it is then dead-lettered with the error, and the rest is
// applied, so the partition moves on. Any other error is rethrown untouched: it is transient, the caller retries
// it, and it never dead-letters anything.
import type { KafkaMessage } from 'kafkajs';

// A record PostgreSQL refused, with the reason stored in its dead letter.
export type RefusedRecord = { message: KafkaMessage; reason: string };

export type BatchSlice = {
  messages: readonly KafkaMessage[];
  // The offset after the slice: the next slice's first offset, or the batch's own next offset.
  nextOffset: bigint;
  refused: readonly RefusedRecord[];
};

export type SliceOutcome = { status: 'fenced' } | { status: 'applied' };

export async function applyBisecting<Outcome extends SliceOutcome>(
  messages: readonly KafkaMessage[],
  nextOffset: bigint,
  apply: (slice: BatchSlice) => Promise<Outcome>,
): Promise<Outcome[]> {
  try {
    return [await apply({ messages, nextOffset, refused: [] })];
  } catch (error) {
    const sqlState = recordErrorState(error);
    if (sqlState === undefined) throw error;
    const [only] = messages;
    if (only !== undefined && messages.length === 1) {
      const reason = `refused by PostgreSQL (SQLSTATE ${sqlState}): ${error instanceof Error ? error.message : String(error)}`;
      return [await apply({ messages: [], nextOffset, refused: [{ message: only, reason }] })];
    }
    // A data error with no record left to blame is not the records' fault: rethrown, so it is retried.
    if (messages.length === 0) throw error;
    const middle = Math.ceil(messages.length / 2);
    const second = messages.slice(middle);
    // The second half's first offset exists: messages has at least two entries here.
    const secondOffset = BigInt((second[0] as KafkaMessage).offset);
    const firstOutcomes = await applyBisecting(messages.slice(0, middle), secondOffset, apply);
    if (firstOutcomes.some((outcome) => outcome.status === 'fenced')) return firstOutcomes;
    return [...firstOutcomes, ...(await applyBisecting(second, nextOffset, apply))];
  }
}

// PostgreSQL's SQLSTATE class 22 is "data exception" (e.g. 22021, an invalid byte sequence), class 23
// "integrity constraint violation" (e.g. 23514, a CHECK): errors about the values written, not the server.
export function recordErrorState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code) ? code : undefined;
}
