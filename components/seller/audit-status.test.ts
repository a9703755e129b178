// Goal: the audit panel follows the right full-audit job, reads its progress safely, and says how old the report is.
import { describe, expect, it } from 'vitest';
import type { AuditJob } from '../../server/contract';
import { isActive, jobStatusWords, jobToFollow, progressOf, timeAgo } from './audit-status';

function job(jobId: string, status: AuditJob['status'], progress: AuditJob['progress'] = null): AuditJob {
  return {
    jobId,
    status,
    requestedAt: '2026-11-26T10:00:00.000Z',
    startedAt: status === 'QUEUED' ? null : '2026-11-26T10:00:01.000Z',
    finishedAt: status === 'DONE' || status === 'FAILED' ? '2026-11-26T10:00:09.000Z' : null,
    progress,
    error: status === 'FAILED' ? 'a partition did not reach its end in time' : null,
  };
}

describe('jobToFollow', () => {
  it('given nothing followed and a running job named, takes it up (a reload mid-audit)', () => {
    const running = job('7', 'RUNNING');
    expect(jobToFollow(null, running)).toBe(running);
  });

  it('given an old finished job named, leaves it out of the way', () => {
    expect(jobToFollow(null, job('6', 'DONE'))).toBeNull();
    expect(jobToFollow(null, job('6', 'FAILED'))).toBeNull();
    expect(jobToFollow(null, null)).toBeNull();
  });

  it('given the followed job named with staler state, keeps the polled state', () => {
    const followed = job('7', 'RUNNING', { messagesRead: 900, messagesTotal: 1_000 });
    expect(jobToFollow(followed, job('7', 'QUEUED'))).toBe(followed);
    const done = job('7', 'DONE');
    expect(jobToFollow(done, job('7', 'RUNNING'))).toBe(done);
  });

  it('given a finished followed job and a new active one, follows the new one', () => {
    const newer = job('8', 'QUEUED');
    expect(jobToFollow(job('7', 'DONE'), newer)).toBe(newer);
  });

  it('given a finished followed job and only itself named as finished, keeps showing its outcome', () => {
    const failed = job('7', 'FAILED');
    expect(jobToFollow(failed, job('7', 'FAILED'))).toBe(failed);
  });
});

describe('progressOf', () => {
  it('is null until the topics are measured', () => {
    expect(progressOf(job('7', 'RUNNING'))).toBeNull();
  });

  it('gives whole percents, never past 100', () => {
    expect(progressOf(job('7', 'RUNNING', { messagesRead: 1, messagesTotal: 3 }))).toEqual({ messagesRead: 1, messagesTotal: 3, percent: 33 });
    expect(progressOf(job('7', 'RUNNING', { messagesRead: 12, messagesTotal: 10 }))?.percent).toBe(100);
    expect(progressOf(job('7', 'RUNNING', { messagesRead: 0, messagesTotal: 0 }))?.percent).toBe(100);
  });
});

describe('words', () => {
  it('says what each status means, and why a job failed', () => {
    expect(isActive(job('1', 'QUEUED')) && isActive(job('1', 'RUNNING'))).toBe(true);
    expect(isActive(job('1', 'DONE')) || isActive(job('1', 'FAILED'))).toBe(false);
    expect(jobStatusWords(job('1', 'FAILED'))).toBe('Full audit failed: a partition did not reach its end in time');
    expect(jobStatusWords({ ...job('1', 'FAILED'), error: null })).toBe('Full audit failed: the auditor gave no reason');
  });

  it('says how long ago, in the largest whole unit', () => {
    const nowMs = Date.parse('2026-11-26T10:00:00Z');
    expect(timeAgo(nowMs + 3_000, nowMs)).toBe('just now');
    expect(timeAgo(nowMs - 4_999, nowMs)).toBe('just now');
    expect(timeAgo(nowMs - 12_000, nowMs)).toBe('12 s ago');
    expect(timeAgo(nowMs - 3 * 60_000, nowMs)).toBe('3 min ago');
    expect(timeAgo(nowMs - 2 * 3_600_000, nowMs)).toBe('2 h ago');
    expect(timeAgo(nowMs - 4 * 86_400_000, nowMs)).toBe('4 days ago');
  });
});
