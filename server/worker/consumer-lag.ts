// bps_worker_consumer_lag: per owned input partition, the records not yet applied (high watermark minus the
// next offset to apply). Each applied batch updates its partition from the watermark its fetch brought; a timer
// reads the watermarks from the broker as well, because a worker that gets no batches (idle, or stuck) would
// otherwise show the lag of its last batch for ever.
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { limits } from '../limits';
import { consumerLag } from '../metrics';

export type LagPosition = { topic: string; partition: number; nextOffset: bigint | undefined };

export type LagTracker = {
  // The partitions this worker now owns, with their stored next offsets (undefined: nothing applied yet).
  assigned(positions: readonly LagPosition[]): void;
  applied(topic: string, partition: number, nextOffset: bigint, highWatermark: bigint): void;
  stop(): void;
};

const key = (topic: string, partition: number) => `${topic}:${partition}`;

export function trackConsumerLag(admin: Admin, log: Logger): LagTracker {
  let owned = new Map<string, LagPosition>();

  const show = (position: LagPosition, highWatermark: bigint, lowWatermark: bigint) => {
    // The watermark may be older than the position a batch has just stored; the lag is then none, not negative.
    const lag = highWatermark - (position.nextOffset ?? lowWatermark);
    consumerLag.set({ topic: position.topic, partition: String(position.partition) }, Number(lag > 0n ? lag : 0n));
  };

  async function refresh(): Promise<void> {
    for (const topic of new Set([...owned.values()].map((position) => position.topic))) {
      for (const offsets of await admin.fetchTopicOffsets(topic)) {
        const position = owned.get(key(topic, offsets.partition));
        if (position) show(position, BigInt(offsets.high), BigInt(offsets.low));
      }
    }
  }
  const refreshQuietly = () => void refresh().catch((error: unknown) => log.warn({ err: error }, 'could not read the partitions\' watermarks for the lag gauge'));
  const timer = setInterval(refreshQuietly, limits.workerLagRefreshIntervalMs);

  return {
    assigned(positions) {
      // Partitions that moved to another worker are that worker's to report.
      consumerLag.reset();
      owned = new Map(positions.map((position) => [key(position.topic, position.partition), position]));
      refreshQuietly();
    },
    applied(topic, partition, nextOffset, highWatermark) {
      const position = owned.get(key(topic, partition));
      if (!position) return;
      position.nextOffset = nextOffset;
      show(position, highWatermark, nextOffset);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
