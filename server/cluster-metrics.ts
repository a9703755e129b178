// One /metrics answer for all web processes. Under node:cluster a scrape lands on any one web process, whose
// own counters would be a random share of the truth; so that process asks the primary over IPC, the primary
// gathers every web process's metrics with prom-client's AggregatorRegistry (sums; max or first where the
// metric says so) and adds its own. With one web process there is nothing to gather.
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { clusterMetricsAnswerSchema, clusterMetricsRequestSchema, type ClusterMetricsAnswer, type ClusterMetricsRequest } from './contract';
import { limits } from './limits';
import { clusterPrimaryRegistry, webRegistry } from './metrics';
import type { MetricsSource } from './http/metrics-endpoint';

// In a web process under node:cluster, first thing: answer the primary's requests for this process's metrics.
// The primary asks every process it forked and waits for all, so a process still loading Next would hold up
// (and, after 5 s, fail) every scrape.
export function answerPrimary(): void {
  AggregatorRegistry.setRegistries([webRegistry]);
  // Constructing it installs prom-client's listener (once, however often it is called).
  new AggregatorRegistry();
}

// In a web process: the metrics source of GET /metrics.
export function webMetricsSource(): MetricsSource {
  if (!cluster.isWorker) return { read: () => webRegistry.metrics(), contentType: webRegistry.contentType };
  answerPrimary();
  return { read: askPrimary(), contentType: webRegistry.contentType };
}

function askPrimary(): () => Promise<string> {
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextRequestId = 0;
  process.on('message', (message: unknown) => {
    const parsed = clusterMetricsAnswerSchema.safeParse(message);
    if (!parsed.success) return; // Someone else's message (prom-client's, node:cluster's).
    const waiting = pending.get(parsed.data.requestId);
    if (!waiting) return; // Answered after its deadline.
    pending.delete(parsed.data.requestId);
    if (parsed.data.ok) waiting.resolve(parsed.data.text);
    else waiting.reject(new Error(parsed.data.error));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const requestId = nextRequestId;
      nextRequestId = (nextRequestId + 1) % Number.MAX_SAFE_INTEGER;
      const timer = setTimeout(() => {
        pending.delete(requestId);
        reject(new Error(`the cluster primary did not answer within ${limits.clusterMetricsTimeoutMs} ms`));
      }, limits.clusterMetricsTimeoutMs);
      pending.set(requestId, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: ClusterMetricsRequest = { type: 'bps:cluster-metrics-request', requestId };
      process.send?.(request);
    });
}

// In the cluster primary: answers its web processes' requests. Requests that arrive while a gathering is under
// way share it, so a burst of scrapes costs one round over the processes.
export function answerWebProcesses(): void {
  const aggregator = new AggregatorRegistry();
  let gathering: Promise<string> | undefined;
  const gather = () => {
    gathering ??= Promise.all([aggregator.clusterMetrics(), clusterPrimaryRegistry.metrics()])
      .then(([webProcesses, primary]) => `${webProcesses}${primary}`)
      .finally(() => {
        gathering = undefined;
      });
    return gathering;
  };
  cluster.on('message', (worker, message: unknown) => {
    const parsed = clusterMetricsRequestSchema.safeParse(message);
    if (!parsed.success) return;
    const { requestId } = parsed.data;
    const send = (answer: ClusterMetricsAnswer) => {
      if (worker.isConnected()) worker.send(answer);
    };
    gather().then(
      (text) => send({ type: 'bps:cluster-metrics-answer', requestId, ok: true, text }),
      (error: unknown) => send({ type: 'bps:cluster-metrics-answer', requestId, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
