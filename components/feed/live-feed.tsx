'use client';
// Every purchase decision, hold step and refund as it happens, newest first, with a search to show one
// item's results and the feed's own catch-up state (the header's badge alone says whether the page is live).
import { useEffect, useState } from 'react';
import { limits } from '@/server/limits';
import { fetchItemsPage } from '@/components/api/api-client';
import { useLiveConnection } from '@/components/realtime/socket-provider';
import { feedKeyOf, isHoldResult } from './feed-results';
import { FeedRow } from './feed-row';
import { ItemSearch, type PickedItem } from './item-search';
import { formatMoney } from '@/components/seller/money';
import { useShopCurrency } from '@/components/seller/use-shop-currency';
import { useLiveFeed, type CatchUp } from './use-live-feed';

// Rows drawn at first and per "show older": the feed keeps limits.feedResultsMax, but a phone need not draw them all.
const rowsPerStep = 50;

export function LiveFeed() {
  const { results, catchUp, arrivedLive, retryCatchUp, isConfirmedHold } = useLiveFeed();
  const descriptions = useItemDescriptions();
  const currency = useShopCurrency();
  const [itemFilter, setItemFilter] = useState<PickedItem | null>(null);
  const [rowsShown, setRowsShown] = useState(rowsPerStep);

  const matching = itemFilter === null ? results : results.filter((result) => result.itemId === itemFilter.itemId);
  const nameOf = (itemId: string) => (itemFilter?.itemId === itemId ? itemFilter.description : descriptions.get(itemId));
  const visible = matching.slice(0, rowsShown);
  const loaded = catchUp.status === 'done' || (catchUp.status === 'fetching' && !catchUp.first) || results.length > 0;

  return (
    <section aria-labelledby="feed-heading">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="feed-heading" className="text-3xl font-bold tracking-tight text-slate-900 dark:text-slate-50">
            Live feed
          </h1>
          <p className="mt-1.5 text-slate-600 dark:text-slate-400">Every purchase, reservation and refund the moment it is decided, newest first.</p>
        </div>
        <FeedConnection catchUp={catchUp} onRetry={retryCatchUp} />
      </div>

      <div className="mt-6 flex flex-wrap items-end justify-between gap-3">
        <ItemSearch
          picked={itemFilter}
          onPick={(item) => {
            setItemFilter(item);
            setRowsShown(rowsPerStep);
          }}
        />
        <p className="text-sm text-slate-600 tabular-nums dark:text-slate-400">
          {matching.length.toLocaleString('en-US')} {matching.length === 1 ? 'result' : 'results'}
          {itemFilter !== null && ` for “${itemFilter.description}”`}
          <span className="sr-only"> (the newest {limits.feedResultsMax} are kept)</span>
        </p>
      </div>

      <div className="mt-3 overflow-hidden rounded-2xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 shadow-sm">
        {/* Only additions are announced, and only once the first load is in: the list that arrives with the
            page would otherwise be read out row by row. */}
        <ol
          aria-label="Purchase results"
          aria-live={loaded ? 'polite' : 'off'}
          aria-relevant="additions"
          aria-busy={catchUp.status === 'fetching'}
          className="divide-y divide-slate-100 dark:divide-slate-800"
        >
          {visible.map((result) => (
            <FeedRow
              key={feedKeyOf(result)}
              result={result}
              itemName={readableName(result.itemId, nameOf(result.itemId))}
              total={!isHoldResult(result) && result.total !== null && currency !== null ? formatMoney(result.total, currency) : null}
              arrivedLive={arrivedLive.has(feedKeyOf(result))}
              paidHold={!isHoldResult(result) && isConfirmedHold(result.purchaseId)}
            />
          ))}
        </ol>
        {visible.length === 0 && (
          <p className="px-5 py-12 text-center text-sm text-slate-600 dark:text-slate-400">
            {!loaded ? 'Loading the latest results…' : itemFilter === null ? 'No purchases yet. They appear here the moment they are decided.' : 'No results for this item yet.'}
          </p>
        )}
      </div>
      {matching.length > rowsShown && (
        <div className="mt-4 text-center">
          <button
            type="button"
            onClick={() => setRowsShown((shown) => shown + rowsPerStep)}
            className="rounded-lg border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-4 py-2 text-sm font-semibold text-slate-700 dark:text-slate-300 shadow-sm hover:bg-slate-50 dark:hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Show older results ({(matching.length - rowsShown).toLocaleString('en-US')} more)
          </button>
        </div>
      )}
    </section>
  );
}

// The feed's own state, in words rather than a second "Live" badge beside the header's: whether it is up to
// date, catching up on what it missed, or waiting for the connection.
function FeedConnection({ catchUp, onRetry }: { catchUp: CatchUp; onRetry: () => void }) {
  const { connected } = useLiveConnection();
  const [state, label, dot, note] = !connected
    ? catchUp.status === 'waiting'
      ? (['connecting', 'Connecting…', 'bg-slate-400', undefined] as const)
      : (['offline', 'Connection lost', 'bg-amber-500', 'Missed results will be fetched when the connection is back.'] as const)
    : catchUp.status === 'fetching'
      ? (['catching-up', 'Catching up…', 'bg-sky-500', catchUp.first ? undefined : 'Fetching the results missed while away.'] as const)
      : (['live', 'Up to date', 'bg-emerald-500', catchUp.status === 'done' && !catchUp.first ? missedNote(catchUp.added, catchUp.reloaded) : undefined] as const);
  return (
    <div className="flex flex-col items-end gap-1">
      <p role="status" data-testid="feed-connection" data-state={state} data-connected={connected} className="flex items-center gap-2 text-sm font-medium whitespace-nowrap text-slate-700 dark:text-slate-300">
        <span aria-hidden className={`inline-flex size-2 rounded-full ${dot}`} />
        {label}
      </p>
      {note && <p className="text-xs text-slate-600 dark:text-slate-400">{note}</p>}
      {catchUp.status === 'failed' && connected && (
        <p role="alert" className="text-xs text-rose-700 dark:text-rose-300">
          Could not fetch missed results ({catchUp.error}).{' '}
          <button type="button" onClick={onRetry} className="font-semibold underline focus-visible:outline-2 focus-visible:outline-indigo-600">
            Try again
          </button>
        </p>
      )}
    </div>
  );
}

function missedNote(added: number, reloaded: boolean): string {
  if (reloaded) return 'Back online: away too long to fetch what was missed, so the feed was reloaded with the latest results.';
  if (added === 0) return 'Back online: nothing was missed.';
  return `Back online: ${added} missed ${added === 1 ? 'result' : 'results'} fetched.`;
}

// The name people read: the title (a row wraps a long one in full), or the id while the title is unknown.
function readableName(itemId: string, title: string | undefined): string {
  const trimmed = title?.trim();
  return trimmed ? trimmed : itemId;
}

// Item descriptions for the rows and the filter: the first page of items, once.
function useItemDescriptions(): ReadonlyMap<string, string> {
  const [descriptions, setDescriptions] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let current = true;
    void fetchItemsPage(undefined).then((answer) => {
      if (current && answer.ok) setDescriptions(new Map(answer.value.items.map((item) => [item.itemId, item.description])));
    });
    return () => {
      current = false;
    };
  }, []);
  return descriptions;
}
