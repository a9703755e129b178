// The blocking steps on something already decided (confirm, cancel, refund): append the command, and wait
// for the result it leads to. Waiting starts before the append, since the result can arrive before the
// append's acknowledgement; a client without a free waiter slot (or a process without a free waiter) is
// answered PENDING at once after the append instead of 429: its command is in the log either way.
import type { ClientSlots } from '../client-slots';
import type { BatchingProducer } from '../kafka/batching-producer';
import { topics } from '../kafka/topics';
import type { WaiterTable } from './waiters';

export type StepAppend<Result> = {
  producer: BatchingProducer;
  waiterSlots: ClientSlots;
  client: string;
  table: WaiterTable<Result>;
  id: string;
  waitMs: number;
  // The result that ends the wait (a final hold, a REFUNDED purchase).
  accepts: (result: Result) => boolean;
  // The bps-purchase-created record, keyed by its item, built at the moment of the append: its requestedAt
  // stamp is taken as late as possible, so that a confirm's stamp is no earlier than its append.
  record: () => { key: string; value: Buffer };
  // The stored result, for a wait that ended before the result came through the consumer.
  stored: () => Promise<Result | undefined>;
};

// The accepted result, or undefined when the wait ended first (answer PENDING).
export async function appendAndWait<Result>(step: StepAppend<Result>): Promise<Result | undefined> {
  const release = step.waitMs > 0 ? step.waiterSlots.take(step.client) : undefined;
  const wait = release ? step.table.wait(step.id, step.waitMs, step.accepts) : undefined;
  try {
    await step.producer.send(topics.purchaseCreated, step.record());
    if (!wait) return undefined;
    const result = await wait.result;
    if (result) return result;
    const stored = await step.stored();
    return stored && step.accepts(stored) ? stored : undefined;
  } finally {
    wait?.cancel();
    release?.();
  }
}
