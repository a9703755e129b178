// The auditor's runs in Postgres (table audit_runs): the web records full-audit jobs and reads the newest
// report; the auditor process claims jobs, reports progress and stores reports. Reports are checked against
// the contract when stored and again when read.
import { auditReportSchema, type AuditJob, type AuditReport, type StoredAudit } from '../contract';
import { limits } from '../limits';
import { getPrisma } from './client';
import { databaseCall } from './errors';

type RunRow = {
  id: bigint;
  status: AuditJob['status'];
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  messages_read: number | null;
  messages_total: number | null;
  error: string | null;
};

const runColumns = `id, status::text AS status, requested_at, started_at, finished_at, messages_read, messages_total, error`;

function toAuditJob(row: RunRow): AuditJob {
  return {
    jobId: row.id.toString(),
    status: row.status,
    requestedAt: row.requested_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    progress: row.messages_total === null ? null : { messagesRead: row.messages_read ?? 0, messagesTotal: row.messages_total },
    error: row.error,
  };
}

export async function readStoredAudit(): Promise<StoredAudit> {
  return databaseCall(async () => {
    const prisma = getPrisma();
    const [latest] = await prisma.$queryRaw<{ kind: 'INCREMENTAL' | 'FULL'; finished_at: Date; report: unknown }[]>`
      SELECT kind::text AS kind, finished_at, report FROM audit_runs
      WHERE status = 'DONE' AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1`;
    const [job] = await prisma.$queryRawUnsafe<RunRow[]>(`SELECT ${runColumns} FROM audit_runs WHERE kind = 'FULL' ORDER BY id DESC LIMIT 1`);
    // A report stored before the holds release lacks their figures: it is shown as none until the auditor's
    // next cycle stores one, rather than failing every request meanwhile.
    const report = latest === undefined ? undefined : auditReportSchema.safeParse(latest.report);
    return {
      latest: latest && report?.success ? { kind: latest.kind, finishedAt: latest.finished_at.toISOString(), report: report.data } : null,
      job: job ? toAuditJob(job) : null,
    };
  });
}

// One full audit at a time: while one is queued or running, asking again answers that one. The advisory
// lock serialises two sellers asking at the same moment.
export async function requestFullAudit(): Promise<AuditJob> {
  return databaseCall(() =>
    getPrisma().$transaction(async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('bps-full-audit'))`;
      const [open] = await transaction.$queryRawUnsafe<RunRow[]>(
        `SELECT ${runColumns} FROM audit_runs WHERE kind = 'FULL' AND status IN ('QUEUED', 'RUNNING') ORDER BY id LIMIT 1`,
      );
      if (open) return toAuditJob(open);
      const [created] = await transaction.$queryRawUnsafe<RunRow[]>(
        `INSERT INTO audit_runs (kind, status) VALUES ('FULL', 'QUEUED') RETURNING ${runColumns}`,
      );
      // INSERT … RETURNING always returns the row it inserted.
      if (!created) throw new Error('audit job insert returned no row');
      return toAuditJob(created);
    }),
  );
}

export async function findAuditJob(jobId: string): Promise<AuditJob | undefined> {
  return databaseCall(async () => {
    const [row] = await getPrisma().$queryRawUnsafe<RunRow[]>(`SELECT ${runColumns} FROM audit_runs WHERE kind = 'FULL' AND id = $1::bigint`, jobId);
    return row ? toAuditJob(row) : undefined;
  });
}

// The auditor's side. A job left RUNNING by an auditor that stopped is queued again at start-up.
export async function requeueInterruptedJobs(): Promise<number> {
  return getPrisma().$executeRaw`
    UPDATE audit_runs SET status = 'QUEUED', started_at = NULL, messages_read = NULL, messages_total = NULL
    WHERE kind = 'FULL' AND status = 'RUNNING'`;
}

export async function claimQueuedJob(): Promise<string | undefined> {
  const [row] = await getPrisma().$queryRaw<{ id: bigint }[]>`
    UPDATE audit_runs SET status = 'RUNNING', started_at = now()
    WHERE id = (SELECT id FROM audit_runs WHERE kind = 'FULL' AND status = 'QUEUED' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return row?.id.toString();
}

export async function recordJobProgress(jobId: string, messagesRead: number, messagesTotal: number): Promise<void> {
  await getPrisma().$executeRaw`
    UPDATE audit_runs SET messages_read = ${messagesRead}, messages_total = ${messagesTotal} WHERE id = ${BigInt(jobId)}`;
}

export async function finishJob(jobId: string, report: AuditReport): Promise<void> {
  const checked = auditReportSchema.parse(report);
  await getPrisma().$executeRaw`
    UPDATE audit_runs SET status = 'DONE', finished_at = now(), report = ${JSON.stringify(checked)}::jsonb WHERE id = ${BigInt(jobId)}`;
  await pruneFinishedJobs();
}

export async function failJob(jobId: string, error: string): Promise<void> {
  await getPrisma().$executeRaw`
    UPDATE audit_runs SET status = 'FAILED', finished_at = now(), error = ${error.slice(0, 1_000)} WHERE id = ${BigInt(jobId)}`;
}

// The incremental audit keeps a single row current rather than adding one per cycle.
export async function storeIncrementalReport(report: AuditReport): Promise<void> {
  const payload = JSON.stringify(auditReportSchema.parse(report));
  await getPrisma().$transaction(async (transaction) => {
    const updated = await transaction.$executeRaw`
      UPDATE audit_runs SET finished_at = now(), report = ${payload}::jsonb WHERE kind = 'INCREMENTAL'`;
    if (updated === 0) {
      await transaction.$executeRaw`
        INSERT INTO audit_runs (kind, status, started_at, finished_at, report)
        VALUES ('INCREMENTAL', 'DONE', now(), now(), ${payload}::jsonb)`;
    }
  });
}

async function pruneFinishedJobs(): Promise<void> {
  await getPrisma().$executeRaw`
    DELETE FROM audit_runs WHERE kind = 'FULL' AND status IN ('DONE', 'FAILED') AND id NOT IN (
      SELECT id FROM audit_runs WHERE kind = 'FULL' AND status IN ('DONE', 'FAILED') ORDER BY id DESC LIMIT ${limits.auditJobsKeptMax})`;
}
