'use client';
// Every purchase decision, hold step and refund as it happens, newest first, with a filter by item and a
// visible connection state.
import { useEffect, useId, useState } from 'react';
import { limits } from '@/server/limits';
import { fetchItemsPage } from '@/components/api/api-client';
import { useLiveConnection } from '@/components/realtime/socket-provider';
import { itemName } from '@/components/shop/stock';
import { feedKeyOf, isHoldResult } from './feed-results';
import { FeedRow } from './feed-row';
import { useLiveFeed, type CatchUp } from './use-live-feed';

// Rows drawn at first and per "show older": the feed keeps limits.feedResultsMax, but a phone need not draw them all.
const rowsPerStep = 50;
const allItems = '';

export function LiveFeed() {
  const { results, catchUp, arrivedLive, retryCatchUp, isConfirmedHold } = useLiveFeed();
  const descriptions = useItemDescriptions();
  const [itemFilter, setItemFilter] = useState(allItems);
  const [rowsShown, setRowsShown] = useState(rowsPerStep);
  const filterId = useId();

  const itemIds = [...new Set([...descriptions.keys(), ...results.map((result) => result.itemId)])].sort();
  const matching = itemFilter === allItems ? results : results.filter((result) => result.itemId === itemFilter);
  const visible = matching.slice(0, rowsShown);
  const loaded = catchUp.status === 'done' || (catchUp.status === 'fetching' && !catchUp.first) || results.length > 0;

  return (
    <section aria-labelledby="feed-heading">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 id="feed-heading" className="text-3xl font-bold tracking-tight text-slate-900">
            Live feed
          </h1>
          <p className="mt-1.5 text-slate-600">Every purchase, reservation and refund the moment it is decided, newest first.</p>
        </div>
        <FeedConnection catchUp={catchUp} onRetry={retryCatchUp} />
      </div>

      <div className="mt-6 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <label htmlFor={filterId} className="block text-xs font-medium text-slate-600">
            Item
          </label>
          <select
            id={filterId}
            value={itemFilter}
            onChange={(event) => {
              setItemFilter(event.target.value);
              setRowsShown(rowsPerStep);
            }}
            className="mt-1 h-9 w-72 max-w-full truncate rounded-md border border-slate-300 bg-white px-2 text-sm focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40"
          >
            <option value={allItems}>All items</option>
            {itemIds.map((itemId) => (
              <option key={itemId} value={itemId}>
                {itemId}
              </option>
            ))}
          </select>
        </div>
        <p className="text-sm text-slate-500 tabular-nums">
          {matching.length.toLocaleString('en-US')} {matching.length === 1 ? 'result' : 'results'}
          {itemFilter !== allItems && ` for ${itemFilter}`}
          <span className="sr-only"> (the newest {limits.feedResultsMax} are kept)</span>
        </p>
      </div>

      <div className="mt-3 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm">
        {/* Only additions are announced, and only once the first load is in: the list that arrives with the
            page would otherwise be read out row by row. */}
        <ol
          aria-label="Purchase results"
          aria-live={loaded ? 'polite' : 'off'}
          aria-relevant="additions"
          aria-busy={catchUp.status === 'fetching'}
          className="divide-y divide-slate-100"
        >
          {visible.map((result) => (
            <FeedRow
              key={feedKeyOf(result)}
              result={result}
              itemName={itemName({ itemId: result.itemId, description: descriptions.get(result.itemId) })}
              arrivedLive={arrivedLive.has(feedKeyOf(result))}
              paidHold={!isHoldResult(result) && isConfirmedHold(result.purchaseId)}
            />
          ))}
        </ol>
        {visible.length === 0 && (
          <p className="px-5 py-12 text-center text-sm text-slate-500">
            {!loaded ? 'Loading the latest results…' : itemFilter === allItems ? 'No purchases yet. They appear here the moment they are decided.' : 'No results for this item yet.'}
          </p>
        )}
      </div>
      {matching.length > rowsShown && (
        <div className="mt-4 text-center">
          <button
            type="button"
            onClick={() => setRowsShown((shown) => shown + rowsPerStep)}
            className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Show older results ({(matching.length - rowsShown).toLocaleString('en-US')} more)
          </button>
        </div>
      )}
    </section>
  );
}

function FeedConnection({ catchUp, onRetry }: { catchUp: CatchUp; onRetry: () => void }) {
  const { connected } = useLiveConnection();
  const [label, dot, note] = !connected
    ? catchUp.status === 'waiting'
      ? ['Connecting…', 'bg-slate-300', undefined]
      : ['Reconnecting…', 'bg-amber-400', 'Missed results will be fetched when the connection is back.']
    : catchUp.status === 'fetching'
      ? ['Catching up…', 'bg-sky-400', catchUp.first ? undefined : 'Fetching the results missed while away.']
      : ['Live', 'bg-emerald-500', catchUp.status === 'done' && !catchUp.first ? missedNote(catchUp.added, catchUp.reloaded) : undefined];
  return (
    <div className="flex flex-col items-end gap-1">
      <p
        role="status"
        data-testid="feed-connection"
        data-connected={connected}
        className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm font-medium whitespace-nowrap shadow-sm"
      >
        <span aria-hidden className={`relative flex size-2.5`}>
          {connected && <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-60 motion-reduce:hidden" />}
          <span className={`relative inline-flex size-2.5 rounded-full ${dot}`} />
        </span>
        {label}
      </p>
      {note && <p className="text-xs text-slate-500">{note}</p>}
      {catchUp.status === 'failed' && connected && (
        <p role="alert" className="text-xs text-rose-700">
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
