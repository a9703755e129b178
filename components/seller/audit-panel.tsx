'use client';
// The oversell auditor's verdict. The auditor process keeps a report current (an incremental audit every few
// seconds) and this panel shows it, read again every few seconds; a full audit from offset 0 runs on demand
// in that process, and the panel follows its progress until its report replaces the shown one.
import { useEffect, useId, useState } from 'react';
import type { AuditJob, AuditReport, ItemAudit, StoredAudit } from '@/server/contract';
import { isActive, jobStatusWords, progressOf, timeAgo } from './audit-status';
import { focusRing } from './form-controls';
import { AlertIcon, CheckIcon, ShieldIcon, SpinnerIcon } from './icons';
import { useAudit } from './use-audit';

type LatestReport = NonNullable<StoredAudit['latest']>;

// A few violations say what is wrong; the rest are one click away. A badly broken history yields many, and
// past violationsShownMax the command-line auditor is the better tool.
const violationsCollapsedMax = 4;
const violationsShownMax = 50;
// How often "updated 12 s ago" moves on.
const ageRedrawMs = 1_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const count = (value: number) => value.toLocaleString('en-US');

// Time of day; the date too when it was not today.
function formatMoment(timeMs: number): string {
  return new Date(timeMs).toDateString() === new Date().toDateString() ? timeFormat.format(timeMs) : dateTimeFormat.format(timeMs);
}

// Only this small text ticks every second; the report and its table redraw only when a new one arrives.
function TimeAgo({ at }: { at: string }) {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), ageRedrawMs);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={at} title={formatMoment(Date.parse(at))}>
      {timeAgo(Date.parse(at), nowMs)}
    </time>
  );
}

function ReportSource({ latest }: { latest: LatestReport }) {
  switch (latest.kind) {
    case 'INCREMENTAL':
      return (
        <>
          Incremental report, updated <TimeAgo at={latest.finishedAt} />
        </>
      );
    case 'FULL':
      return (
        <>
          Full audit finished <time dateTime={latest.finishedAt}>{formatMoment(Date.parse(latest.finishedAt))}</time>
        </>
      );
    default: {
      const unreachable: never = latest.kind;
      throw new Error(`unknown report kind ${JSON.stringify(unreachable)}`);
    }
  }
}

function Verdict({ latest }: { latest: LatestReport }) {
  const { report } = latest;
  const purchases = report.totals.succeededCount + report.totals.failedCount;
  return (
    <div
      data-testid="audit-verdict"
      data-clean={report.clean}
      data-kind={latest.kind}
      className={`flex items-center gap-4 rounded-xl p-5 text-white shadow-sm ${report.clean ? 'bg-gradient-to-br from-emerald-600 to-emerald-700' : 'bg-gradient-to-br from-rose-600 to-rose-700'}`}
    >
      <span className="flex h-14 w-14 shrink-0 items-center justify-center rounded-full bg-white/15 ring-1 ring-white/30">
        {report.clean ? <ShieldIcon className="h-8 w-8" /> : <AlertIcon className="h-8 w-8" />}
      </span>
      <div className="min-w-0">
        <p className="text-3xl font-bold tracking-wide">{report.clean ? 'CLEAN' : 'NOT CLEAN'}</p>
        <p className="mt-1 text-sm text-white/90">
          {report.clean
            ? `Nothing oversold: ${count(report.totals.items)} items and ${count(purchases)} purchases agree between the event log and the stock.`
            : `${count(report.violations.length)} ${report.violations.length === 1 ? 'violation' : 'violations'} in ${count(report.totals.itemsWithViolations)} ${report.totals.itemsWithViolations === 1 ? 'item' : 'items'}.`}
        </p>
        <p className="mt-0.5 text-xs text-white/75 tabular-nums">
          <ReportSource latest={latest} />
        </p>
      </div>
    </div>
  );
}

// How the audit's item count relates to the stock table's: the audit counts every item id either topic ever
// mentioned (archived items, and ids buyers asked for that were never restocked), the table the items the
// shop knows.
function itemsExplanation(auditItems: number, tableItems: number | null): string {
  const base = 'Every item id the topics mention, archived items and ids buyers asked for but nobody ever restocked included';
  if (tableItems === null || tableItems === auditItems) return `${base}.`;
  return `${base}; the stock table lists ${count(tableItems)}.`;
}

function Totals({ report, tableItemCount }: { report: AuditReport; tableItemCount: number | null }) {
  const { totals } = report;
  const tiles = [
    ['Items', totals.items, itemsExplanation(totals.items, tableItemCount), 'audit-items'],
    ['Restocked', totals.restocked, 'Copies added by restocks the worker accepted.', 'audit-restocked'],
    ['Sold', totals.succeededQuantity, 'Copies sold, refunded ones included.', 'audit-sold'],
    ['Purchases succeeded', totals.succeededCount, 'Purchases that got their copies.', 'audit-succeeded'],
    ['Purchases failed', totals.failedCount, 'Turned away: too few copies left, or an unknown or archived item.', 'audit-failed'],
    [
      'Duplicates',
      totals.duplicates,
      'Re-sent copies of results already counted (a retry after a crash, or a buyer repeating a purchase): harmless, each counted once.',
      'audit-duplicates',
    ],
  ] as const;
  return (
    <dl className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
      {tiles.map(([label, value, explanation, testId]) => (
        <div key={label} className="rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-200/70 dark:bg-slate-800/60 dark:ring-slate-700">
          <dt className="text-xs font-medium text-slate-700 dark:text-slate-300">{label}</dt>
          <dd data-testid={testId} className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums dark:text-slate-50">
            {count(value)}
          </dd>
          <dd className="text-xs text-slate-600 dark:text-slate-400">{explanation}</dd>
        </div>
      ))}
    </dl>
  );
}

function ItemsTable({ items }: { items: readonly ItemAudit[] }) {
  // Items with violations first: they are what the seller must look at.
  const ordered = [...items].sort((left, right) => right.violations.length - left.violations.length);
  return (
    <div className={`relative max-h-[24rem] overflow-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-700 ${focusRing}`} tabIndex={0} role="region" aria-label="Audit per item, scrollable">
      <table className="w-full min-w-[40rem] text-sm whitespace-nowrap">
        <caption className="sr-only">Audit figures per item</caption>
        <thead className="sticky top-0 bg-slate-50 dark:bg-slate-800/60 text-xs font-semibold tracking-wide text-slate-600 dark:text-slate-400 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-left">
              Item
            </th>
            {['Restocked', 'Sold', 'Succeeded', 'Failed', 'Duplicates'].map((label) => (
              <th key={label} scope="col" className="px-3 py-2.5 text-right">
                {label}
              </th>
            ))}
            <th scope="col" className="px-4 py-2.5 text-right">
              Verdict
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {ordered.map((item) => {
            const bad = item.violations.length > 0;
            return (
              <tr key={item.itemId} data-testid={`audit-row-${item.itemId}`} className={bad ? 'bg-rose-50/70 dark:bg-rose-950/40' : undefined}>
                <th scope="row" className="max-w-[14rem] truncate px-4 py-2.5 text-left font-mono text-xs font-normal text-slate-700 dark:text-slate-300">
                  {item.itemId}
                </th>
                {[item.restocked, item.succeededQuantity, item.succeededCount, item.failedCount, item.duplicates].map((value, index) => (
                  <td key={index} className="px-3 py-2.5 text-right tabular-nums">
                    {count(value)}
                  </td>
                ))}
                <td className="px-4 py-2.5 text-right">
                  {bad ? (
                    <span className="inline-flex items-center gap-1 rounded-full bg-rose-100 dark:bg-rose-950 px-2 py-0.5 text-xs font-semibold text-rose-800 dark:text-rose-200 ring-1 ring-rose-200 dark:ring-rose-800">
                      <AlertIcon className="h-3.5 w-3.5" />
                      {item.violations.length} {item.violations.length === 1 ? 'violation' : 'violations'}
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-1 text-xs font-medium text-emerald-700 dark:text-emerald-300">
                      <CheckIcon className="h-3.5 w-3.5" />
                      OK
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Violations({ violations }: { violations: readonly string[] }) {
  const [expanded, setExpanded] = useState(false);
  const shown = violations.slice(0, expanded ? violationsShownMax : violationsCollapsedMax);
  return (
    <div>
      <h3 className="text-sm font-semibold text-rose-800 dark:text-rose-200">Violations</h3>
      <ul id="audit-violations" className="mt-2 space-y-1.5">
        {shown.map((violation, index) => (
          <li key={index} className="flex items-start gap-2 rounded-lg bg-rose-50 dark:bg-rose-950 px-3 py-2 font-mono text-xs break-words text-rose-900 dark:text-rose-200 ring-1 ring-rose-200 dark:ring-rose-800">
            <AlertIcon className="mt-0.5 h-3.5 w-3.5 shrink-0" />
            <span className="min-w-0">{violation}</span>
          </li>
        ))}
      </ul>
      {violations.length > violationsCollapsedMax && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls="audit-violations"
          onClick={() => setExpanded((current) => !current)}
          className={`mt-2 rounded text-sm font-medium text-rose-800 dark:text-rose-200 underline-offset-2 hover:underline ${focusRing}`}
        >
          {expanded ? 'Show fewer' : `Show all ${count(violations.length)} violations`}
        </button>
      )}
      {expanded && violations.length > violationsShownMax && (
        <p className="mt-2 text-xs text-rose-800 dark:text-rose-200">
          …and {count(violations.length - violationsShownMax)} more: npm run audit lists them all.
        </p>
      )}
    </div>
  );
}

function JobProgress({ job }: { job: AuditJob }) {
  const labelId = useId();
  const progress = progressOf(job);
  return (
    <div data-testid="audit-job" data-status={job.status} className="mt-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs text-slate-600 dark:text-slate-400">
        <span id={labelId} className="font-medium">
          Full audit #{job.jobId}
        </span>
        <span className="tabular-nums">
          {progress === null
            ? job.status === 'QUEUED'
              ? 'Waiting to start'
              : 'Measuring the topics…'
            : `${count(progress.messagesRead)} of ${count(progress.messagesTotal)} messages read (${progress.percent}%)`}
        </span>
      </div>
      {/* Without progress yet the bar has no value, which assistive technology reads as "busy". The numbers
          are in the bar's value text, not in a live region: announced every second they would drown the page. */}
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={progress === null ? undefined : 0}
        aria-valuemax={progress === null ? undefined : 100}
        aria-valuenow={progress?.percent}
        aria-valuetext={progress === null ? undefined : `${count(progress.messagesRead)} of ${count(progress.messagesTotal)} messages read`}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        {progress === null ? (
          <div className="h-full w-1/3 animate-pulse rounded-full bg-indigo-300" />
        ) : (
          <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-700" style={{ width: `${progress.percent}%` }} />
        )}
      </div>
    </div>
  );
}

function FullAudit({ job, jobError, startError }: { job: AuditJob | null; jobError: string | null; startError: string | null }) {
  return (
    <div>
      {/* Always rendered, so that its first words are announced; status words only, which change with the
          job's status, so each change is announced once. */}
      <p role="status" aria-live="polite" className={`mt-4 text-sm empty:mt-0 ${job?.status === 'FAILED' ? 'font-medium text-rose-800 dark:text-rose-200' : 'text-slate-700 dark:text-slate-300'}`}>
        {job && jobStatusWords(job)}
      </p>
      {job && isActive(job) && <JobProgress job={job} />}
      {(startError ?? jobError) && (
        <p role="alert" className="mt-3 flex items-start gap-2 rounded-lg bg-rose-50 dark:bg-rose-950 px-3 py-2 text-sm text-rose-800 dark:text-rose-200 ring-1 ring-rose-200 dark:ring-rose-800">
          <AlertIcon className="mt-0.5 h-4 w-4 shrink-0" />
          {startError ? `The full audit could not be started. ${startError}` : `Could not follow the full audit. ${jobError}`}
        </p>
      )}
    </div>
  );
}

function ReportDetails({ report, tableItemCount }: { report: AuditReport; tableItemCount: number | null }) {
  return (
    <div className="mt-5 space-y-5">
      <Totals report={report} tableItemCount={tableItemCount} />
      {report.violations.length > 0 && <Violations violations={report.violations} />}
      {report.items.length > 0 && (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900 dark:text-slate-50">Per item</h3>
          <ItemsTable items={report.items} />
        </div>
      )}
      {report.notes.length > 0 && (
        <details className="text-sm text-slate-600 dark:text-slate-400">
          <summary className={`cursor-pointer rounded font-medium text-slate-700 dark:text-slate-300 ${focusRing}`}>Notes ({report.notes.length})</summary>
          <ul className="mt-2 list-disc space-y-1 pl-5 font-mono text-xs">
            {report.notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function AuditPanel({ tableItemCount }: { tableItemCount: number | null }) {
  const { stored, loadError, job, jobError, starting, startError, startFull } = useAudit();
  const latest = stored?.latest ?? null;
  const running = job !== null && isActive(job);
  return (
    <section aria-labelledby="audit-heading" aria-busy={stored === null && loadError === null} className="rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-xl">
          <h2 id="audit-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Oversell audit
          </h2>
          <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            An independent check that no item ever sold more copies than were added: the auditor re-reads every restock and every result and compares
            them with the stock the shop shows. Its report follows new activity every few seconds; a full audit re-reads everything from the beginning.
          </p>
        </div>
        <button
          type="button"
          onClick={startFull}
          // A second full audit would only be the same job: the server answers the one queued or running.
          disabled={starting || running}
          className={`inline-flex items-center gap-2 rounded-lg bg-white dark:bg-slate-900 px-4 py-2 text-sm font-semibold text-slate-900 dark:text-slate-50 shadow-xs ring-1 ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800 disabled:cursor-wait disabled:text-slate-500 dark:disabled:text-slate-400 ${focusRing}`}
        >
          {starting || running ? <SpinnerIcon className="h-4 w-4" /> : <ShieldIcon className="h-4 w-4 text-indigo-600 dark:text-indigo-400" />}
          {starting ? 'Starting…' : running ? 'Full audit running…' : 'Run full audit'}
        </button>
      </div>

      <FullAudit job={job} jobError={jobError} startError={startError} />

      <div className="mt-4">
        {loadError && (
          <p role="alert" className="mb-3 flex items-start gap-2 rounded-lg bg-rose-50 dark:bg-rose-950 px-3 py-2 text-sm text-rose-800 dark:text-rose-200 ring-1 ring-rose-200 dark:ring-rose-800">
            <AlertIcon className="mt-0.5 h-4 w-4 shrink-0" />
            Could not load the audit report. {loadError}
          </p>
        )}
        {/* The verdict word alone is announced: the figures change with every purchase and are read on demand. */}
        <p role="status" aria-live="polite" className="sr-only">
          {latest && `Audit verdict: ${latest.report.clean ? 'clean' : 'not clean'}.`}
        </p>
        {latest ? (
          <Verdict latest={latest} />
        ) : stored ? (
          <p className="rounded-xl bg-slate-50 dark:bg-slate-800/60 p-5 text-sm text-slate-600 dark:text-slate-400 ring-1 ring-slate-200 dark:ring-slate-700">The auditor has not reported yet.</p>
        ) : (
          !loadError && (
            <p className="flex items-center gap-3 rounded-xl bg-slate-50 dark:bg-slate-800/60 p-5 text-sm text-slate-600 dark:text-slate-400 ring-1 ring-slate-200 dark:ring-slate-700">
              <SpinnerIcon className="h-5 w-5 text-indigo-600 dark:text-indigo-400" />
              Loading the audit report…
            </p>
          )
        )}
      </div>

      {latest && <ReportDetails report={latest.report} tableItemCount={tableItemCount} />}
    </section>
  );
}
