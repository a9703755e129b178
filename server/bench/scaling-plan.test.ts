// Goal: bench:scaling reads its shapes strictly, interleaves the repeats, names namespaces the config accepts, and spreads items evenly over partitions.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { balancedItemIds, interleave, kafkaPartitionOf, parseShapes, runNamespace, shapeLabel } from './scaling-plan';

describe('parseShapes', () => {
  it('reads partitions x workers, comma-separated, spaces allowed', () => {
    expect(parseShapes('3x1, 12x1,12x4')).toEqual([{ partitions: 3, workers: 1 }, { partitions: 12, workers: 1 }, { partitions: 12, workers: 4 }]);
    expect(shapeLabel({ partitions: 12, workers: 4 })).toBe('12×4');
  });

  it.each(['', '12', '12x', 'x4', '12*4', '0x1', '12x0', '3x4', '1001x1', '64x17', '12x4,'])('refuses %j', (text) => {
    expect(() => parseShapes(text)).toThrow('bench:scaling');
  });
});

describe('interleave', () => {
  it('runs every shape once per repeat, repeat after repeat', () => {
    const shapes = parseShapes('3x1,12x4');
    expect(interleave(shapes, 2).map((run) => `${shapeLabel(run.shape)} r${run.repeat}`)).toEqual(['3×1 r1', '12×4 r1', '3×1 r2', '12×4 r2']);
  });
});

describe('runNamespace', () => {
  it('is a namespace the configuration accepts, different for every run', () => {
    const runs = interleave(parseShapes('3x1,12x1,12x4'), 2);
    const namespaces = runs.map((run) => runNamespace(run, 'mih3x9k2'));
    expect(new Set(namespaces).size).toBe(runs.length);
    for (const namespace of namespaces) expect(parseConfig({ KAFKA_TOPIC_NAMESPACE: namespace }).KAFKA_TOPIC_NAMESPACE).toBe(namespace);
  });
});

describe('balancedItemIds', () => {
  it('gives every partition the same number of items under the kafkajs default partitioner, partitions in turn', () => {
    const partitions = 12;
    const partitionOf = kafkaPartitionOf(partitions);
    const itemIds = balancedItemIds('scale-item-', 240, partitions, partitionOf);
    expect(itemIds).toHaveLength(240);
    expect(new Set(itemIds).size).toBe(240);
    expect(itemIds.slice(0, partitions).map(partitionOf)).toEqual(Array.from({ length: partitions }, (_, partition) => partition));
    const perPartition = new Map<number, number>();
    for (const itemId of itemIds) perPartition.set(partitionOf(itemId), (perPartition.get(partitionOf(itemId)) ?? 0) + 1);
    expect([...perPartition.values()]).toEqual(Array.from({ length: partitions }, () => 20));
  });

  it('agrees with the Java client on a known key (murmur2, as the broker tools hash)', () => {
    // Kafka's own murmur2 test vector: "21" hashes to -973932308; its positive form mod 12 is 8.
    expect(kafkaPartitionOf(12)('21')).toBe((-973932308 & 0x7fffffff) % 12);
  });

  it('rounds the count up to a multiple of the partitions', () => {
    expect(balancedItemIds('i', 5, 3, (key) => Number(key.slice(1)) % 3)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5']);
  });

  it('stops when the partitioner never reaches a partition, and refuses a partition out of range', () => {
    expect(() => balancedItemIds('i', 4, 2, () => 0)).toThrow('no even spread');
    expect(() => balancedItemIds('i', 4, 2, () => 2)).toThrow('is not one of 2 partitions');
  });
});
