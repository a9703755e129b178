'use client';
// The newest sales, for refunds. The list is GET /api/sales, reloaded on every socket connect, and kept
// current live by purchase.finished: a new sale appears and a refund (from this tab, another, or the API)
// turns its row REFUNDED, without polling. Refund asks first in a modal <dialog>, which keeps focus inside
// while open and gives it back to the row's button when closed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { limits } from '@/server/limits';
import { fetchSales, refundPurchase } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import { focusRing } from './form-controls';
import { formatMoney, type Currency } from './money';
import { mergeSales, type Sale } from './sales-list';
import { useReportFailure } from './session-guard';
import { useBatchedSocketEvent } from './use-batched-socket-event';

const flushMs = 250;
// A refund accepted (202) but not applied within the wait: the list is read again this long after, in case
// the live result does not come (a socket that was away).
const refundPendingReloadMs = 3_000;

type RowState = { kind: 'refunding' } | { kind: 'pending' } | { kind: 'problem'; message: string };

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export function SalesPanel({ currency, titleOf }: { currency: Currency | null; titleOf: (itemId: string) => string | undefined }) {
  const [sales, setSales] = useState<Sale[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<ReadonlyMap<string, RowState>>(new Map());
  const [asking, setAsking] = useState<Sale | undefined>(undefined);
  const reportFailure = useReportFailure();

  const load = useCallback(async () => {
    const answer = await fetchSales();
    if (!answer.ok) {
      reportFailure(answer.failure);
      setError(describeFailure(answer.failure));
      return;
    }
    setSales((current) => mergeSales(current ?? [], answer.value, limits.salesListedMax));
    setError(null);
  }, [reportFailure]);
  useLoadOnConnect(load);

  useBatchedSocketEvent(
    'purchase.finished',
    (results, overflowed) => {
      if (overflowed) void load();
      setSales((current) => (current === undefined ? current : mergeSales(current, results, limits.salesListedMax)));
    },
    flushMs,
  );

  const setRow = (purchaseId: string, state: RowState | undefined) =>
    setRows((current) => {
      const next = new Map(current);
      if (state === undefined) next.delete(purchaseId);
      else next.set(purchaseId, state);
      return next;
    });

  async function refund(sale: Sale) {
    setAsking(undefined);
    setRow(sale.purchaseId, { kind: 'refunding' });
    const answer = await refundPurchase(sale.purchaseId);
    if (!answer.ok) {
      reportFailure(answer.failure);
      setRow(sale.purchaseId, { kind: 'problem', message: describeFailure(answer.failure) });
      return;
    }
    if (answer.value.status === 'REFUND_PENDING') {
      setRow(sale.purchaseId, { kind: 'pending' });
      setTimeout(() => void load(), refundPendingReloadMs);
      return;
    }
    const refunded = answer.value;
    setRow(sale.purchaseId, undefined);
    setSales((current) => mergeSales(current ?? [], [refunded], limits.salesListedMax));
  }

  return (
    <section aria-labelledby="sales-heading" className="rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 shadow-sm">
      <div className="border-b border-slate-200 dark:border-slate-700 px-5 py-4">
        <h2 id="sales-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
          Recent sales
        </h2>
        <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">The newest {limits.salesListedMax} sales, updated live. A refund puts the copies back on sale.</p>
      </div>
      {error && (
        <p role="alert" className="border-b border-rose-200 dark:border-rose-800 bg-rose-50 dark:bg-rose-950 px-5 py-2 text-sm text-rose-800 dark:text-rose-200">
          Could not load the sales: {error}
        </p>
      )}
      {sales === undefined ? (
        <p className="px-5 py-8 text-center text-sm text-slate-600 dark:text-slate-400">{error ? 'Not loaded' : 'Loading…'}</p>
      ) : sales.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-600 dark:text-slate-400">No sales yet.</p>
      ) : (
        <div className={`relative max-h-[24rem] overflow-auto ${focusRing}`} tabIndex={0} role="region" aria-label="Recent sales, scrollable">
          <table className="w-full min-w-[50rem] text-sm">
            <caption className="sr-only">Recent sales, newest first, with their totals at the price of the sale and a refund action for each that is not refunded</caption>
            <thead className="sticky top-0 bg-slate-50 dark:bg-slate-800/60 text-xs font-semibold tracking-wide text-slate-600 dark:text-slate-400 uppercase">
              <tr>
                <th scope="col" className="px-5 py-2.5 text-left">
                  Item
                </th>
                <th scope="col" className="px-3 py-2.5 text-left">
                  Buyer
                </th>
                <th scope="col" className="px-3 py-2.5 text-right">
                  Quantity
                </th>
                <th scope="col" className="px-3 py-2.5 text-right">
                  Total
                </th>
                <th scope="col" className="px-3 py-2.5 text-right">
                  Sold at
                </th>
                <th scope="col" className="px-3 py-2.5 text-left">
                  Status
                </th>
                <th scope="col" className="px-5 py-2.5">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {sales.map((sale) => (
                <SaleRow key={sale.purchaseId} sale={sale} title={titleOf(sale.itemId)} currency={currency} state={rows.get(sale.purchaseId)} onRefund={() => setAsking(sale)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RefundDialog sale={asking} onConfirm={(sale) => void refund(sale)} onClose={() => setAsking(undefined)} />
    </section>
  );
}

function SaleRow({ sale, title, currency, state, onRefund }: { sale: Sale; title: string | undefined; currency: Currency | null; state: RowState | undefined; onRefund: () => void }) {
  const refunded = sale.status === 'REFUNDED';
  const busy = state?.kind === 'refunding' || state?.kind === 'pending';
  return (
    <tr data-testid={`sale-row-${sale.purchaseId}`} data-status={sale.status} className={refunded ? 'bg-slate-50 dark:bg-slate-800/60 text-slate-600 dark:text-slate-400' : undefined}>
      <th scope="row" className="max-w-[16rem] px-5 py-2 text-left font-normal" title={`Purchase ${sale.purchaseId}`}>
        <span className="block truncate text-slate-900 dark:text-slate-100">{title ?? sale.itemId}</span>
        {title !== undefined && <span className="block truncate font-mono text-xs text-slate-600 dark:text-slate-400">{sale.itemId}</span>}
      </th>
      <td className="max-w-[10rem] truncate px-3 py-2.5">{sale.purchasedBy}</td>
      <td className="px-3 py-2.5 text-right tabular-nums">{sale.quantity.toLocaleString('en-US')}</td>
      <td className="px-3 py-2.5 text-right tabular-nums" data-testid={`sale-total-${sale.purchaseId}`}>
        {/* A sale of an item that had no price then has no total: a dash, not a zero that would look charged. */}
        {sale.total === null ? <span title="No price when sold">—</span> : currency ? formatMoney(sale.total, currency) : '…'}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums">
        <time dateTime={sale.decidedAt}>{timeFormat.format(Date.parse(sale.decidedAt))}</time>
      </td>
      <td className="px-3 py-2.5">
        {refunded ? (
          <span className="inline-flex rounded-full bg-slate-200 dark:bg-slate-700 px-2 py-0.5 text-xs font-semibold text-slate-700 dark:text-slate-300">REFUNDED</span>
        ) : (
          <span className="inline-flex rounded-full bg-emerald-50 dark:bg-emerald-950 px-2 py-0.5 text-xs font-semibold text-emerald-700 dark:text-emerald-300 ring-1 ring-emerald-200 dark:ring-emerald-800">SUCCEEDED</span>
        )}
        {state?.kind === 'problem' && (
          <p role="alert" className="mt-1 text-xs text-rose-700 dark:text-rose-300">
            {state.message}
          </p>
        )}
      </td>
      <td className="px-5 py-2.5 text-right">
        {!refunded && (
          <button
            type="button"
            onClick={onRefund}
            disabled={busy}
            className={`rounded-md px-2.5 py-1 text-sm font-medium text-rose-700 dark:text-rose-300 ring-1 ring-rose-200 dark:ring-rose-800 hover:bg-rose-50 dark:hover:bg-rose-950 disabled:cursor-progress disabled:opacity-60 ${focusRing}`}
          >
            {state?.kind === 'refunding' ? 'Refunding…' : state?.kind === 'pending' ? 'Refund pending…' : 'Refund'}
            <span className="sr-only">
              {' '}
              {sale.quantity} × {sale.itemId} bought by {sale.purchasedBy}
            </span>
          </button>
        )}
      </td>
    </tr>
  );
}

// A modal <dialog>: the browser traps focus inside it, closes it on Escape, and the element that opened it
// gets focus back when it closes (returned by hand below, since the row's button may have re-rendered).
function RefundDialog({ sale, onConfirm, onClose }: { sale: Sale | undefined; onConfirm: (sale: Sale) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const keep = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (sale && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
      // The safe choice takes focus first: Enter alone must not refund.
      keep.current?.focus();
    } else if (!sale && element.open) {
      element.close();
    }
  }, [sale]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="refund-dialog-heading"
      aria-describedby="refund-dialog-text"
      onClose={() => {
        onClose();
        opener.current?.focus();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {sale && (
        <div className="p-5">
          <h2 id="refund-dialog-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Refund this sale?
          </h2>
          <p id="refund-dialog-text" className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Refund {sale.quantity} × <span className="font-mono">{sale.itemId}</span> to {sale.purchasedBy}? The{' '}
            {sale.quantity === 1 ? 'copy goes' : 'copies go'} back on sale. A refund cannot be undone.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button
              ref={keep}
              type="button"
              onClick={() => dialog.current?.close()}
              className={`rounded-lg border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-4 py-2 text-sm font-semibold text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800 ${focusRing}`}
            >
              Keep the sale
            </button>
            <button
              type="button"
              onClick={() => {
                onConfirm(sale);
                dialog.current?.close();
              }}
              className={`rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white hover:bg-rose-700 ${focusRing}`}
            >
              Refund
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
