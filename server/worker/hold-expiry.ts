// The partition owner's expiry of holds: every limits.holdExpiryScanIntervalMs it looks for the HELD holds of
// its partitions whose expiresAt + limits.holdConfirmGraceMs has passed and appends an `expire` command for each
// to bps-purchase-created, keyed by itemId so that it lands on the hold's own partition. Nothing is decided
// here: the ExpireHold is decided in log order by the batch, so a confirm the API acknowledged before expiresAt
// (which reached the log within the grace) wins, and a hold already final changes nothing. A duplicate append
// (this process retrying, or a new owner after a crash or rebalance) is therefore harmless.
import type { Logger } from 'pino';
import { purchaseCreatedMessageSchema, purchaseCreatedSchemaVersion, type PurchaseCreatedMessage } from '../contract';
import type { DueHold } from '../db/stock-store';
import { encodeMessage } from '../kafka/messages';
import { limits } from '../limits';

// Expiry appends remembered for limits.holdExpiryRetryMs: holdId → when it was appended (epoch ms).
export type RecentExpiries = ReadonlyMap<string, number>;

// Holds that expired before this instant are due: the grace lets a confirm stamped just before expiresAt reach
// the log first (it is longer than the API's produce timeout).
export function expiryDueBefore(nowMs: number): string {
  return new Date(nowMs - limits.holdConfirmGraceMs).toISOString();
}

// Which due holds to append now, and the appends to remember: one appended within holdExpiryRetryMs is not
// appended again (its command is on its way to the batch); older appends are forgotten, so a hold whose
// expiry was lost with a crash of the broker's leader is appended again, and memory stays bounded.
export function selectExpiries(due: readonly DueHold[], recent: RecentExpiries, nowMs: number): { append: DueHold[]; recent: Map<string, number> } {
  const kept = new Map([...recent].filter(([, appendedAtMs]) => nowMs - appendedAtMs < limits.holdExpiryRetryMs));
  const append = due.filter((hold) => !kept.has(hold.holdId)).slice(0, limits.holdExpiryBatchMax);
  for (const hold of append) kept.set(hold.holdId, nowMs);
  return { append, recent: kept };
}

export function expireMessage(hold: DueHold, requestedAt: string): PurchaseCreatedMessage {
  return { schemaVersion: purchaseCreatedSchemaVersion, kind: 'expire', holdId: hold.holdId, itemId: hold.itemId, requestedAt };
}

export type HoldExpiryDependencies = {
  // The partition numbers this worker owns now (bps-purchase-created's, the holds' source_partition).
  ownedPartitions: () => readonly number[];
  findDueHolds: (partitions: readonly number[], dueBefore: string, skipped: readonly string[], limit: number) => Promise<DueHold[]>;
  // Appends records to bps-purchase-created with acks from every in-sync replica.
  append: (messages: { key: string; value: Buffer }[]) => Promise<void>;
  now: () => number;
  log: Logger;
};

export type HoldExpiry = { stop(): Promise<void> };

export function startHoldExpiry(dependencies: HoldExpiryDependencies): HoldExpiry {
  let recent: RecentExpiries = new Map();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  async function scan(): Promise<void> {
    const partitions = dependencies.ownedPartitions();
    if (partitions.length === 0) return;
    const nowMs = dependencies.now();
    const due = await dependencies.findDueHolds(partitions, expiryDueBefore(nowMs), [...recent.keys()], limits.holdExpiryBatchMax);
    const selected = selectExpiries(due, recent, nowMs);
    if (selected.append.length === 0) {
      recent = selected.recent;
      return;
    }
    const requestedAt = new Date(nowMs).toISOString();
    await dependencies.append(selected.append.map((hold) => ({ key: hold.itemId, value: encodeMessage(purchaseCreatedMessageSchema, expireMessage(hold, requestedAt)) })));
    // Remembered only once appended: a failed send is tried again at the next scan.
    recent = selected.recent;
    dependencies.log.info({ holds: selected.append.length }, 'hold expiries appended');
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = scan()
        .catch((error: unknown) => dependencies.log.warn({ err: error }, 'hold expiry scan failed; trying again at the next scan'))
        .finally(schedule);
    }, limits.holdExpiryScanIntervalMs);
  }
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
