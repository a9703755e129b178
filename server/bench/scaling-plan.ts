// The plan of npm run bench:scaling: which shapes (partitions × workers) it runs, in what order, under which
// topic namespace, and which items, so that every partition gets the same share of the backlog.
import { Partitioners, type PartitionMetadata } from 'kafkajs';

export type ScalingShape = { partitions: number; workers: number };
export type PlannedRun = { shape: ScalingShape; repeat: number };

// Bounds of the benchmark's own options: the topics' partition count is bounded like KAFKA_TOPIC_PARTITIONS;
// more worker processes than that only measure a machine swapping node processes.
const partitionsMax = 1_000;
const workersMax = 16;
// Candidate item ids tried per item wanted before giving up on an even spread (a fair hash needs about P per item).
const candidatesPerItemMax = 1_000;

export const defaultShapes = '3x1,12x1,12x4';

// "3x1,12x1,12x4": partitions x workers, comma-separated.
export function parseShapes(text: string): ScalingShape[] {
  const shapes = text.split(',').map((part) => parseShape(part.trim()));
  if (shapes.length === 0) throw new Error('bench:scaling: name at least one shape, e.g. 12x4');
  return shapes;
}

function parseShape(text: string): ScalingShape {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match) throw new Error(`bench:scaling: a shape is PARTITIONSxWORKERS, e.g. 12x4; got ${JSON.stringify(text)}`);
  const partitions = Number(match[1]);
  const workers = Number(match[2]);
  if (partitions < 1 || partitions > partitionsMax) throw new Error(`bench:scaling: partitions must be 1 to ${partitionsMax}; got ${partitions}`);
  if (workers < 1 || workers > workersMax) throw new Error(`bench:scaling: workers must be 1 to ${workersMax}; got ${workers}`);
  // A worker beyond the partition count gets no partition and decides nothing.
  if (workers > partitions) throw new Error(`bench:scaling: ${text} has more workers than partitions; the extra ones would stay idle`);
  return { partitions, workers };
}

export function shapeLabel(shape: ScalingShape): string {
  return `${shape.partitions}×${shape.workers}`;
}

// Every shape once per repeat, repeats one after another: a slow spell of the shared machine then hits every
// shape alike instead of all runs of one.
export function interleave(shapes: readonly ScalingShape[], repeats: number): PlannedRun[] {
  return Array.from({ length: repeats }, (_, index) => shapes.map((shape) => ({ shape, repeat: index + 1 }))).flat();
}

// Fresh topics for every run (KAFKA_TOPIC_NAMESPACE allows letters and digits and one separator at the end).
export function runNamespace(run: PlannedRun, runId: string): string {
  return `scale${run.shape.partitions}p${run.shape.workers}w${runId}r${run.repeat}.`;
}

// `count` item ids (rounded up to a multiple of the partition count) of which each partition gets the same
// number under the producer's partitioner, listed partition by partition in turn: purchases given to the
// items in turn then load every partition equally, and the slowest partition does not set the pace alone.
export function balancedItemIds(prefix: string, count: number, partitions: number, partitionOf: (key: string) => number): string[] {
  const perPartition = Math.ceil(count / partitions);
  const buckets: string[][] = Array.from({ length: partitions }, () => []);
  let filled = 0;
  for (let candidate = 0; filled < partitions; candidate += 1) {
    if (candidate >= perPartition * partitions * candidatesPerItemMax) throw new Error(`no even spread of ${count} items over ${partitions} partitions`);
    const itemId = `${prefix}${candidate}`;
    const bucket = buckets[partitionOf(itemId)];
    if (!bucket) throw new Error(`partitionOf(${itemId}) is not one of ${partitions} partitions`);
    if (bucket.length === perPartition) continue;
    bucket.push(itemId);
    if (bucket.length === perPartition) filled += 1;
  }
  return Array.from({ length: perPartition }, (_, index) => buckets.map((bucket) => bucket[index] ?? '')).flat();
}

// The partition the producers (kafkajs' default partitioner, murmur2 as the Java client) give a key.
export function kafkaPartitionOf(partitions: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return (key) => partitioner({ topic: '', partitionMetadata, message: { key, value: null } });
}
