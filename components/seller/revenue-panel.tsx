'use client';
// Revenue from the prices recorded at each decision (GET /api/sales/summary), net of refunds, each figure with
// a sentence saying what it counts. Read on every socket connect and again, at most every few seconds, after
// purchases and refunds arrive live: the summary is the server's sum, never one recomputed here.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchSalesSummary, type SalesSummary } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import { formatMoney, type Currency } from './money';
import { useReportFailure } from './session-guard';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const reloadAfterResultsMs = 2_000;
const count = (value: number) => value.toLocaleString('en-US');

function Figure({ label, value, testId, explanation, strong = false }: { label: string; value: string; testId: string; explanation: string; strong?: boolean }) {
  return (
    <div className={`rounded-lg px-4 py-3 ring-1 ${strong ? 'bg-indigo-50 ring-indigo-200 dark:bg-indigo-950 dark:ring-indigo-800' : 'bg-slate-50 ring-slate-200/70 dark:bg-slate-800/60 dark:ring-slate-700'}`}>
      <dt className="text-xs font-medium text-slate-700 dark:text-slate-300">{label}</dt>
      <dd data-testid={testId} className="mt-1 text-xl font-semibold tracking-tight text-slate-900 tabular-nums sm:text-2xl dark:text-slate-50">
        {value}
      </dd>
      <dd className="mt-1 text-xs text-slate-600 dark:text-slate-400">{explanation}</dd>
    </div>
  );
}

export function RevenuePanel({ currency }: { currency: Currency | null }) {
  const [summary, setSummary] = useState<SalesSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reportFailure = useReportFailure();
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    const answer = await fetchSalesSummary();
    if (!answer.ok) {
      reportFailure(answer.failure);
      setError(describeFailure(answer.failure));
      return;
    }
    setSummary(answer.value);
    setError(null);
  }, [reportFailure]);
  useLoadOnConnect(load);

  useEffect(
    () => () => {
      if (reloadTimer.current !== null) clearTimeout(reloadTimer.current);
    },
    [],
  );

  // Results arrive by the thousand in a race: one read after they settle is enough.
  useBatchedSocketEvent(
    'purchase.finished',
    (results) => {
      if (!results.some((result) => result.status !== 'FAILED') || reloadTimer.current !== null) return;
      reloadTimer.current = setTimeout(() => {
        reloadTimer.current = null;
        void load();
      }, reloadAfterResultsMs);
    },
    250,
  );

  const money = (minorUnits: number) => (currency ? formatMoney(minorUnits, { currency: currency.currency, currencyMinorDigits: currency.currencyMinorDigits }) : '…');
  const soldNet = summary ? summary.soldUnits - summary.refundedUnits : 0;

  return (
    <section aria-labelledby="revenue-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <h2 id="revenue-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Revenue
      </h2>
      <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">Every sale at the price it was made at; a later price change never alters a past sale.</p>
      {error && (
        <p role="alert" className="mt-3 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800">
          Could not load the revenue: {error}
        </p>
      )}
      {summary ? (
        <>
          <dl className="mt-4 grid grid-cols-2 gap-2 sm:gap-3 lg:grid-cols-4">
            <Figure strong label="Net revenue" testId="revenue-net" value={money(summary.netRevenue)} explanation="What you keep: sales minus refunds." />
            <Figure label="Sales" testId="revenue-gross" value={money(summary.grossRevenue)} explanation={`${count(summary.soldUnits)} ${summary.soldUnits === 1 ? 'copy' : 'copies'} sold, refunded ones included.`} />
            <Figure label="Refunded" testId="revenue-refunded" value={money(summary.refundedRevenue)} explanation={`${count(summary.refundedUnits)} ${summary.refundedUnits === 1 ? 'copy' : 'copies'} given back to buyers and put back on sale.`} />
            <Figure label="Copies sold, net" testId="revenue-units" value={count(soldNet)} explanation="Copies sold and not refunded." />
          </dl>
          {summary.unpricedSales > 0 && (
            <p data-testid="revenue-unpriced" className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800">
              {count(summary.unpricedSales)} {summary.unpricedSales === 1 ? 'sale was' : 'sales were'} of items without a price: {summary.unpricedSales === 1 ? 'it is' : 'they are'} not in the
              revenue. Set a price in the stock table below so future sales count.
            </p>
          )}
        </>
      ) : (
        !error && <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Loading the revenue…</p>
      )}
    </section>
  );
}
