// The audit panel's decisions, without React: which full-audit job to follow, and how its progress and the
// report's age read. Pure, with the time passed in, so it is tested without a clock.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { AuditJob } from '../../server/contract';

export function isActive(job: AuditJob): boolean {
  return job.status === 'QUEUED' || job.status === 'RUNNING';
}

// The job whose progress the panel shows, given the one it follows and the newest one GET /api/audit names.
// A job this page follows keeps its own, fresher, polled state; a queued or running job it does not follow
// yet (started before a reload, or from another tab) is taken up. Old finished jobs stay out of the way.
export function jobToFollow(followed: AuditJob | null, newest: AuditJob | null): AuditJob | null {
  if (newest === null || !isActive(newest)) return followed;
  if (followed !== null && followed.jobId === newest.jobId) return followed;
  return newest;
}

export type JobProgress = { messagesRead: number; messagesTotal: number; percent: number };

// Null while the job has not measured the topics yet. Never past 100 %, even should more be read than
// the ends taken at the start.
export function progressOf(job: AuditJob): JobProgress | null {
  if (job.progress === null) return null;
  const { messagesRead, messagesTotal } = job.progress;
  const percent = messagesTotal === 0 ? 100 : Math.min(100, Math.floor((messagesRead / messagesTotal) * 100));
  return { messagesRead, messagesTotal, percent };
}

// Status words, short enough for a live region: they change with the status, not with every message read.
export function jobStatusWords(job: AuditJob): string {
  switch (job.status) {
    case 'QUEUED':
      return 'Full audit queued: waiting for the auditor to start it.';
    case 'RUNNING':
      return 'Full audit running: replaying both topics from the beginning.';
    case 'DONE':
      return 'Full audit done.';
    case 'FAILED':
      return `Full audit failed: ${job.error ?? 'the auditor gave no reason'}`;
    default: {
      const unreachable: never = job.status;
      throw new Error(`unknown audit job status ${JSON.stringify(unreachable)}`);
    }
  }
}

// "just now", "12 s ago", "3 min ago", "2 h ago", "4 days ago". A time ahead of the browser's clock (the
// server's clock may run a little fast) reads as just now.
export function timeAgo(thenMs: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - thenMs) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
