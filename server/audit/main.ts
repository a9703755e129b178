// The auditor process: keeps the oversell audit's report current without any web request ever replaying a
// topic. One Auditor follows both topics for ever and stores a report every auditIntervalMs; a seller's
// full-audit job (audit_runs, QUEUED) is run by a fresh Auditor from offset 0, with its progress recorded,
// and its report then replaces the stored one.
import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../config';
import { claimQueuedJob, failJob, finishJob, recordJobProgress, requeueInterruptedJobs, storeIncrementalReport } from '../db/audit-store';
import { disconnectPrisma } from '../db/client';
import { createKafka } from '../kafka/client';
import { limits } from '../limits';
import { componentLogger } from '../logger';
import { Auditor } from './run-audit';

const log = componentLogger('auditor');
const kafka = createKafka(`${config.KAFKA_CLIENT_ID}-auditor`);
// Progress is written at most this often: a full audit reads thousands of records per second.
const progressWriteIntervalMs = 500;

let stopping = false;

async function runFullAuditJob(jobId: string): Promise<void> {
  log.info({ jobId }, 'full audit started');
  let lastWrite = 0;
  let auditor: Auditor | undefined;
  try {
    auditor = await Auditor.start(kafka);
    const report = await auditor.cycle({
      onProgress: ({ messagesRead, messagesTotal }) => {
        if (Date.now() - lastWrite < progressWriteIntervalMs) return;
        lastWrite = Date.now();
        recordJobProgress(jobId, messagesRead, messagesTotal).catch((error: unknown) => log.warn({ err: error, jobId }, 'could not record progress'));
      },
    });
    await finishJob(jobId, report);
    log.info({ jobId, clean: report.clean, violations: report.violations.length }, 'full audit finished');
  } catch (error) {
    log.error({ err: error, jobId }, 'full audit failed');
    await failJob(jobId, error instanceof Error ? error.message : String(error)).catch(() => undefined);
  } finally {
    await auditor?.stop();
  }
}

async function runIncrementalCycle(auditor: Auditor): Promise<void> {
  const startedAt = performance.now();
  const report = await auditor.cycle();
  await storeIncrementalReport(report);
  log.debug({ durationMs: Math.round(performance.now() - startedAt), clean: report.clean, items: report.totals.items }, 'incremental audit stored');
  if (!report.clean) log.warn({ violations: report.violations.slice(0, 10) }, 'the audit found violations');
}

// Kafka or Postgres may be away for a while: the loop logs, waits and goes on; the first cycle after start-up
// reads both topics from offset 0 in this process, never in a web request.
async function loop(): Promise<void> {
  let auditor: Auditor | undefined;
  let nextCycleAt = 0;
  let requeued = false;
  while (!stopping) {
    try {
      // A job left RUNNING by an auditor that stopped mid-run is run again.
      if (!requeued) requeued = (await requeueInterruptedJobs(), true);
      const jobId = await claimQueuedJob();
      if (jobId !== undefined) await runFullAuditJob(jobId);
      if (Date.now() >= nextCycleAt) {
        auditor ??= await Auditor.start(kafka);
        await runIncrementalCycle(auditor);
        nextCycleAt = Date.now() + limits.auditIntervalMs;
      }
    } catch (error) {
      log.warn({ err: error }, 'audit cycle failed; starting over from offset 0 after a pause');
      await auditor?.stop();
      auditor = undefined;
      nextCycleAt = Date.now() + limits.auditIntervalMs;
    }
    await sleep(limits.auditJobPollMs);
  }
  await auditor?.stop();
}

const running = loop();
log.info({ intervalMs: limits.auditIntervalMs }, 'auditor ready');

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  setTimeout(() => process.exit(1), limits.shutdownTimeoutMs).unref();
  stopping = true;
  await running.catch((error: unknown) => log.error({ err: error }, 'auditor loop failed'));
  await disconnectPrisma();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
running.catch((error: unknown) => {
  log.fatal({ err: error }, 'auditor stopped');
  process.exit(1);
});
