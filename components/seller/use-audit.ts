'use client';
// The audit panel's data. The auditor process keeps its report current (an incremental audit every few
// seconds), so the panel only reads it: GET /api/audit while mounted, at the auditor's own pace. A full
// audit is a job of that process: started with a POST, followed through GET /api/audit/jobs/{jobId} every
// second until it is done or failed, and then the stored report is read again, so the job's report shows.
import { useCallback, useEffect, useState } from 'react';
import type { AuditJob, StoredAudit } from '@/server/contract';
import { limits } from '@/server/limits';
import { fetchAuditJob, fetchStoredAudit, startFullAudit } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { isActive, jobToFollow } from './audit-status';
import { useReportFailure } from './session-guard';

// The auditor stores a new incremental report every auditIntervalMs; reading faster would show nothing new.
const reportPollMs = limits.auditIntervalMs;
const jobPollMs = 1_000;

export type Audit = {
  // Null until the first answer.
  stored: StoredAudit | null;
  loadError: string | null;
  // The full-audit job being followed: started here, or found queued or running.
  job: AuditJob | null;
  jobError: string | null;
  starting: boolean;
  startError: string | null;
  startFull: () => void;
};

export function useAudit(): Audit {
  const [stored, setStored] = useState<StoredAudit | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [job, setJob] = useState<AuditJob | null>(null);
  const [jobError, setJobError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const reportFailure = useReportFailure();

  const reload = useCallback(async () => {
    const answer = await fetchStoredAudit();
    if (!answer.ok) {
      reportFailure(answer.failure);
      setLoadError(describeFailure(answer.failure));
      return;
    }
    setStored(answer.value);
    setLoadError(null);
    setJob((followed) => jobToFollow(followed, answer.value.job));
  }, [reportFailure]);

  // Each read waits for the previous answer, so a slow server is never asked twice at once.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      await reload();
      if (!stopped) timer = setTimeout(() => void read(), reportPollMs);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [reload]);

  const followedJobId = job !== null && isActive(job) ? job.jobId : null;
  useEffect(() => {
    if (followedJobId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      const answer = await fetchAuditJob(followedJobId);
      if (stopped) return;
      if (answer.ok) {
        setJob(answer.value);
        setJobError(null);
        if (!isActive(answer.value)) {
          void reload();
          return;
        }
      } else if (answer.failure.kind === 'not-found') {
        // The auditor keeps only its newest jobs; one that is gone cannot be followed any further.
        setJob(null);
        setJobError(describeFailure(answer.failure));
        return;
      } else {
        reportFailure(answer.failure);
        setJobError(describeFailure(answer.failure));
      }
      timer = setTimeout(() => void read(), jobPollMs);
    };
    timer = setTimeout(() => void read(), jobPollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [followedJobId, reload, reportFailure]);

  const startFull = useCallback(() => {
    setStarting(true);
    setStartError(null);
    setJobError(null);
    void startFullAudit().then((answer) => {
      setStarting(false);
      if (!answer.ok) {
        reportFailure(answer.failure);
        setStartError(describeFailure(answer.failure));
        return;
      }
      setJob(answer.value);
      // Already finished (a very small history): its report is there to read now.
      if (!isActive(answer.value)) void reload();
    });
  }, [reload, reportFailure]);

  return { stored, loadError, job, jobError, starting, startError, startFull };
}
