// The web server's entry. With WEB_CONCURRENCY=1 (the default) this process is the web process; above 1 it
// becomes a small supervisor that forks that many web processes sharing the port through node:cluster (the
// primary accepts connections and hands them round-robin to the processes). Each process keeps its own
// results consumer and stock listener, so every one of them pushes every result to its own sockets. The
// primary also sums the web processes' metrics for GET /metrics (server/cluster-metrics.ts).
import cluster from 'node:cluster';
import { answerPrimary, answerWebProcesses } from './cluster-metrics';
import { config } from './config';
import { limits } from './limits';
import { componentLogger } from './logger';
import { webProcessRestarts } from './metrics';

const log = componentLogger('web-cluster');

// A process that dies is replaced after a pause that doubles with each quick death, so a process that
// cannot start does not spin.
const restartDelayMsMin = 500;
const restartDelayMsMax = 30_000;
const healthyAfterMs = 30_000;

function superviseWebProcesses(count: number): void {
  let stopping = false;
  let delayMs = restartDelayMsMin;
  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      delayMs = Date.now() - startedAt > healthyAfterMs ? restartDelayMsMin : Math.min(delayMs * 2, restartDelayMsMax);
      log.error({ pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'web process exited; starting another');
      setTimeout(() => {
        webProcessRestarts.inc();
        fork();
      }, delayMs);
    });
  };
  answerWebProcesses();
  for (let index = 0; index < count; index += 1) fork();
  log.info({ processes: count, port: config.PORT }, 'web processes started');

  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), limits.shutdownTimeoutMs).unref();
    const exitWhenAllGone = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    };
    cluster.on('exit', exitWhenAllGone);
    exitWhenAllGone();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) superviseWebProcesses(config.WEB_CONCURRENCY);
else {
  if (cluster.isWorker) answerPrimary();
  await import('./web-process');
}
