'use client';
// "My purchases": every purchase and reservation made from this browser, newest first, with its status,
// total and, for a reservation still held, its countdown. Live, and the same after a reload.
import Link from 'next/link';
import { Countdown } from '@/components/shop/hold-panel';
import { useCurrency } from '@/components/shop/currency';
import { totalText } from '@/components/shop/price';
import { totalOf, type Known, type Row } from './my-purchases-state';
import { useMyPurchases } from './use-my-purchases';

export function MyPurchases() {
  const mine = useMyPurchases();
  return (
    <section aria-labelledby="purchases-heading">
      <h1 id="purchases-heading" className="text-3xl font-bold tracking-tight text-slate-900 dark:text-slate-50">
        My purchases
      </h1>
      <p className="mt-1.5 max-w-xl text-slate-600 dark:text-slate-300">
        Everything you bought or reserved in this browser, newest first. It updates by itself as decisions come in.
      </p>
      {mine.status === 'loading' && <div aria-busy="true" aria-label="Loading your purchases" className="mt-6 h-40 animate-pulse rounded-2xl bg-slate-200/70 dark:bg-slate-800" />}
      {mine.status === 'failed' && (
        <div role="alert" className="mt-6 rounded-2xl border border-rose-200 bg-rose-50 p-5 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
          <p className="font-semibold">Your purchases could not be loaded.</p>
          <p className="mt-1 text-sm">{mine.error}</p>
          <button
            type="button"
            onClick={mine.retry}
            className="mt-3 rounded-md bg-white px-3 py-1.5 text-sm font-semibold ring-1 ring-rose-300 hover:bg-rose-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-rose-900"
          >
            Try again
          </button>
        </div>
      )}
      {mine.status === 'ready' &&
        (mine.rows.length === 0 ? (
          <div className="mt-6 rounded-2xl border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-600 dark:bg-slate-900">
            <p className="font-semibold text-slate-900 dark:text-slate-50">Nothing yet</p>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
              What you buy or reserve in the{' '}
              <Link href="/" className="font-medium text-indigo-700 underline dark:text-indigo-300">
                shop
              </Link>{' '}
              shows up here.
            </p>
          </div>
        ) : (
          <ul data-testid="my-purchases" className="mt-6 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white dark:divide-slate-700 dark:border-slate-700 dark:bg-slate-900">
            {mine.rows.map((row) => (
              <PurchaseRow key={row.kept.id} row={row} title={row.kept.title ?? (row.known ? mine.titles.get(row.known.view.itemId) : undefined)} />
            ))}
          </ul>
        ))}
      {mine.status === 'ready' && mine.error && (
        <p role="alert" className="mt-4 text-sm text-rose-700 dark:text-rose-300">
          Could not refresh. {mine.error}
        </p>
      )}
    </section>
  );
}

function PurchaseRow({ row, title }: { row: Row; title: string | undefined }) {
  const currency = useCurrency();
  const known = row.known;
  const kind = row.kept.kind === 'hold' ? 'Reservation' : 'Purchase';
  const status = known === undefined ? undefined : statusOf(known);
  const name = title ?? 'An item';
  return (
    <li data-testid={`my-purchase-${row.kept.id}`} data-status={known?.view.status ?? 'UNKNOWN'} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="truncate font-medium text-slate-900 dark:text-slate-50" title={title}>
          {known ? (
            <Link href={`/items/${encodeURIComponent(known.view.itemId)}`} className="rounded hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
              {name}
            </Link>
          ) : (
            name
          )}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {kind}
          {known && (
            <>
              {' '}
              of {known.view.quantity.toLocaleString('en-US')} · <time dateTime={known.view.createdAt}>{new Date(known.view.createdAt).toLocaleString('en-GB')}</time>
            </>
          )}
        </p>
      </div>
      <div className="flex shrink-0 items-center gap-3 sm:justify-end">
        {known?.kind === 'hold' && known.view.status === 'HELD' && (
          <span className="text-sm text-indigo-900 dark:text-indigo-200">
            <Countdown expiresAt={known.view.expiresAt} />
          </span>
        )}
        <StatusBadge status={status} />
        <span data-testid="total" className="w-24 text-right font-semibold text-slate-900 tabular-nums dark:text-slate-50">
          {known ? totalText(totalOf(known), currency) : '—'}
        </span>
      </div>
    </li>
  );
}

type Status = { label: string; tone: 'good' | 'bad' | 'waiting' | 'neutral' };

function statusOf(known: Known): Status {
  if (known.kind === 'purchase') {
    const view = known.view;
    switch (view.status) {
      case 'PENDING':
        return { label: 'Pending', tone: 'waiting' };
      case 'SUCCEEDED':
        return { label: 'Bought', tone: 'good' };
      case 'REFUNDED':
        return { label: 'Refunded', tone: 'neutral' };
      case 'FAILED':
        return { label: view.reason === 'OUT_OF_STOCK' ? 'Not bought: sold out' : 'Not bought: no longer sold', tone: 'bad' };
      default: {
        const unreachable: never = view;
        throw new Error(`unknown purchase ${JSON.stringify(unreachable)}`);
      }
    }
  }
  const holdStatus = known.view.status;
  switch (holdStatus) {
    case 'PENDING':
      return { label: 'Pending', tone: 'waiting' };
    case 'HELD':
      return { label: 'Reserved', tone: 'waiting' };
    case 'CONFIRMED':
      return { label: 'Paid', tone: 'good' };
    case 'EXPIRED':
      return { label: 'Expired', tone: 'neutral' };
    case 'CANCELLED':
      return { label: 'Cancelled', tone: 'neutral' };
    case 'FAILED':
      return { label: 'Not reserved', tone: 'bad' };
    default: {
      const unreachable: never = holdStatus;
      throw new Error(`unknown hold status ${JSON.stringify(unreachable)}`);
    }
  }
}

const badgeClasses: Record<Status['tone'], string> = {
  good: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-800',
  bad: 'bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-100 dark:ring-rose-800',
  waiting: 'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800',
  neutral: 'bg-slate-100 text-slate-800 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700',
};

function StatusBadge({ status }: { status: Status | undefined }) {
  const shown = status ?? { label: 'Not found', tone: 'neutral' as const };
  return <span className={`rounded-full px-2.5 py-1 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${badgeClasses[shown.tone]}`}>{shown.label}</span>;
}
