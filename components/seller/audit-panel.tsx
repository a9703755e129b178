'use client';
// The oversell auditor's verdict (GET /api/audit replays both topics and compares them with Postgres, which
// takes seconds). Runs once when the dashboard opens, and again on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { focusRing } from './form-controls';
import { AlertIcon, CheckIcon, ShieldIcon, SpinnerIcon } from './icons';
import { fetchAudit, refusalMessage, type AuditItemView, type AuditView } from './seller-api';

type Completed = { report: AuditView; ranAtMs: number; tookMs: number };

// A few violations say what is wrong; the rest are one click away. A badly broken history yields many, and
// past violationsShownMax the command-line auditor is the better tool.
const violationsCollapsedMax = 4;
const violationsShownMax = 50;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const count = (value: number) => value.toLocaleString('en-US');

function Verdict({ completed }: { completed: Completed }) {
  const { report, ranAtMs, tookMs } = completed;
  const purchases = report.totals.succeededCount + report.totals.failedCount;
  return (
    <div
      data-testid="audit-verdict"
      data-clean={report.clean}
      className={`flex items-center gap-4 rounded-xl p-5 text-white shadow-sm ${report.clean ? 'bg-gradient-to-br from-emerald-600 to-emerald-700' : 'bg-gradient-to-br from-rose-600 to-rose-700'}`}
    >
      <span className="flex h-14 w-14 shrink-0 items-center justify-center rounded-full bg-white/15 ring-1 ring-white/30">
        {report.clean ? <ShieldIcon className="h-8 w-8" /> : <AlertIcon className="h-8 w-8" />}
      </span>
      <div className="min-w-0">
        <p className="text-3xl font-bold tracking-wide">{report.clean ? 'CLEAN' : 'NOT CLEAN'}</p>
        <p className="mt-1 text-sm text-white/90">
          {report.clean
            ? `Nothing oversold: ${count(report.totals.items)} items and ${count(purchases)} purchases agree between Kafka and PostgreSQL.`
            : `${count(report.violations.length)} ${report.violations.length === 1 ? 'violation' : 'violations'} in ${count(report.totals.itemsWithViolations)} ${report.totals.itemsWithViolations === 1 ? 'item' : 'items'}.`}
        </p>
        <p className="mt-0.5 text-xs text-white/75 tabular-nums">
          Run at {timeFormat.format(ranAtMs)} · took {(tookMs / 1000).toFixed(1)} s
        </p>
      </div>
    </div>
  );
}

function Totals({ report }: { report: AuditView }) {
  const tiles = [
    ['Items', report.totals.items],
    ['Restocked', report.totals.restocked],
    ['Sold', report.totals.succeededQuantity],
    ['Purchases succeeded', report.totals.succeededCount],
    ['Purchases failed', report.totals.failedCount],
    ['Duplicates', report.totals.duplicates],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
      {tiles.map(([label, value]) => (
        <div key={label} className="rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-200/70">
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums">{count(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function ItemsTable({ items }: { items: readonly AuditItemView[] }) {
  // Items with violations first: they are what the seller must look at.
  const ordered = [...items].sort((left, right) => right.violations.length - left.violations.length);
  return (
    <div className={`relative max-h-[24rem] overflow-auto rounded-lg ring-1 ring-slate-200 ${focusRing}`} tabIndex={0} role="region" aria-label="Audit per item, scrollable">
      <table className="w-full min-w-[40rem] text-sm whitespace-nowrap">
        <caption className="sr-only">Audit figures per item</caption>
        <thead className="sticky top-0 bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
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
        <tbody className="divide-y divide-slate-100">
          {ordered.map((item) => {
            const bad = item.violations.length > 0;
            return (
              <tr key={item.itemId} data-testid={`audit-row-${item.itemId}`} className={bad ? 'bg-rose-50/70' : undefined}>
                <th scope="row" className="max-w-[14rem] truncate px-4 py-2.5 text-left font-mono text-xs font-normal text-slate-700">
                  {item.itemId}
                </th>
                {[item.restocked, item.succeededQuantity, item.succeededCount, item.failedCount, item.duplicates].map((value, index) => (
                  <td key={index} className="px-3 py-2.5 text-right tabular-nums">
                    {count(value)}
                  </td>
                ))}
                <td className="px-4 py-2.5 text-right">
                  {bad ? (
                    <span className="inline-flex items-center gap-1 rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800 ring-1 ring-rose-200">
                      <AlertIcon className="h-3.5 w-3.5" />
                      {item.violations.length} {item.violations.length === 1 ? 'violation' : 'violations'}
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-1 text-xs font-medium text-emerald-700">
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
      <h3 className="text-sm font-semibold text-rose-800">Violations</h3>
      <ul id="audit-violations" className="mt-2 space-y-1.5">
        {shown.map((violation, index) => (
          <li key={index} className="flex items-start gap-2 rounded-lg bg-rose-50 px-3 py-2 font-mono text-xs break-words text-rose-900 ring-1 ring-rose-200">
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
          className={`mt-2 rounded text-sm font-medium text-rose-800 underline-offset-2 hover:underline ${focusRing}`}
        >
          {expanded ? 'Show fewer' : `Show all ${count(violations.length)} violations`}
        </button>
      )}
      {expanded && violations.length > violationsShownMax && (
        <p className="mt-2 text-xs text-rose-800">
          …and {count(violations.length - violationsShownMax)} more: npm run audit lists them all.
        </p>
      )}
    </div>
  );
}

export function AuditPanel() {
  const [running, setRunning] = useState(false);
  const [completed, setCompleted] = useState<Completed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const startedOnLoad = useRef(false);

  const run = useCallback(async () => {
    setRunning(true);
    setError(null);
    const startedAtMs = Date.now();
    const outcome = await fetchAudit();
    setRunning(false);
    if (outcome.kind === 'ok') setCompleted({ report: outcome.value, ranAtMs: startedAtMs, tookMs: Date.now() - startedAtMs });
    else setError(refusalMessage(outcome));
  }, []);

  useEffect(() => {
    // Once per page, not once per effect run (development mode runs effects twice).
    if (startedOnLoad.current) return;
    startedOnLoad.current = true;
    void run();
  }, [run]);

  const report = completed?.report;
  return (
    <section aria-labelledby="audit-heading" aria-busy={running} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-xl">
          <h2 id="audit-heading" className="text-base font-semibold text-slate-900">
            Oversell audit
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            Replays both Kafka topics from the beginning and checks them against PostgreSQL: no item may sell more than was restocked.
          </p>
        </div>
        <button
          type="button"
          onClick={() => void run()}
          disabled={running}
          className={`inline-flex items-center gap-2 rounded-lg bg-white px-4 py-2 text-sm font-semibold text-slate-900 shadow-xs ring-1 ring-slate-300 hover:bg-slate-50 disabled:cursor-wait disabled:text-slate-500 ${focusRing}`}
        >
          {running ? <SpinnerIcon className="h-4 w-4" /> : <ShieldIcon className="h-4 w-4 text-indigo-600" />}
          {running ? 'Auditing…' : 'Run audit'}
        </button>
      </div>

      <div role="status" aria-live="polite" className="mt-4">
        {error && (
          <p className="mb-3 flex items-start gap-2 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
            <AlertIcon className="mt-0.5 h-4 w-4 shrink-0" />
            The audit could not run: {error}
          </p>
        )}
        {completed ? (
          <div className={running ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
            <Verdict completed={completed} />
          </div>
        ) : (
          running && (
            <p className="flex items-center gap-3 rounded-xl bg-slate-50 p-5 text-sm text-slate-600 ring-1 ring-slate-200">
              <SpinnerIcon className="h-5 w-5 text-indigo-600" />
              Auditing: replaying both topics…
            </p>
          )
        )}
      </div>

      {report && (
        <div className="mt-5 space-y-5">
          <Totals report={report} />
          {report.violations.length > 0 && <Violations violations={report.violations} />}
          {report.items.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-900">Per item</h3>
              <ItemsTable items={report.items} />
            </div>
          )}
          {report.notes.length > 0 && (
            <details className="text-sm text-slate-600">
              <summary className={`cursor-pointer rounded font-medium text-slate-700 ${focusRing}`}>Notes ({report.notes.length})</summary>
              <ul className="mt-2 list-disc space-y-1 pl-5 font-mono text-xs">
                {report.notes.map((note, index) => (
                  <li key={index}>{note}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
