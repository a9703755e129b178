// Kafka's own ceiling on this machine: the producer and consumer perf tools from the broker's jars, on a
// scratch topic with the partition count and message size of the real input topic.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type KafkaCeiling = { records: number; recordBytes: number; producerRecordsPerSecond: number; consumerRecordsPerSecond: number };

function java(libsDirectory: string, mainClass: string, toolArguments: string[]) {
  const classPath = path.join(libsDirectory, '*');
  return run('java', ['-Xmx512m', '-Dlog4j2.configurationFile=kafka/tools-log4j2.yaml', '-cp', classPath, mainClass, ...toolArguments], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 600_000,
  });
}

// libsDirectory: the broker's jars, as scripts/kafka.sh caches them.
export async function measureKafkaCeiling(libsDirectory: string, bootstrap: string, topic: string, records: number, recordBytes: number): Promise<KafkaCeiling> {
  const produced = await java(libsDirectory, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordBytes), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all', 'enable.idempotence=true',
  ]);
  // Last line: "N records sent, X records/sec (Y MB/sec), ..."
  const producerMatch = /([\d.]+) records\/sec/.exec(produced.stdout.trim().split('\n').at(-1) ?? '');
  const consumed = await java(libsDirectory, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(records), '--timeout', '60000',
  ]);
  // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  const consumerFields = consumed.stdout.trim().split('\n').at(-1)?.split(',').map((field) => field.trim()) ?? [];
  const producerRecordsPerSecond = Number(producerMatch?.[1]);
  const consumerRecordsPerSecond = Number(consumerFields[5]);
  if (!Number.isFinite(producerRecordsPerSecond) || !Number.isFinite(consumerRecordsPerSecond)) {
    throw new Error(`could not read the perf tools' output:\n${produced.stdout}\n${consumed.stdout}`);
  }
  return { records, recordBytes, producerRecordsPerSecond, consumerRecordsPerSecond };
}
