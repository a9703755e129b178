'use client';
// Every item's restocked, sold, held, refunded and available, live. Sold-out rows say so in words as well as colour, and a
// figure that just changed flashes briefly so the eye finds it.
import { useEffect, useState } from 'react';
import type { Item } from '@/server/contract';
import { focusRing } from './form-controls';

const flashMs = 1_200;

// True for a moment after the value changes (not on first render).
function useFlash(value: number): boolean {
  const [previous, setPrevious] = useState(value);
  const [flashing, setFlashing] = useState(false);
  if (previous !== value) {
    setPrevious(value);
    setFlashing(true);
  }
  useEffect(() => {
    if (!flashing) return;
    const timer = setTimeout(() => setFlashing(false), flashMs);
    return () => clearTimeout(timer);
  }, [flashing, previous]);
  return flashing;
}

// On a phone each row stacks into a small card, so every figure carries its own label there.
function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  const flashing = useFlash(value);
  return (
    <td role="cell" className="px-4 py-3 text-right max-sm:p-0 max-sm:text-left">
      <span aria-hidden className="block text-[11px] font-medium tracking-wide text-slate-500 uppercase sm:hidden">
        {label}
      </span>
      <span
        data-testid={testId}
        className={`rounded px-1.5 py-0.5 tabular-nums transition-colors duration-700 max-sm:-ml-1.5 max-sm:text-base max-sm:font-semibold ${
          flashing ? 'bg-indigo-100 text-indigo-900' : value < 0 ? 'font-semibold text-rose-700' : ''
        }`}
      >
        {value.toLocaleString('en-US')}
      </span>
    </td>
  );
}

function StockLevel({ item }: { item: Item }) {
  const share = item.restocked === 0 ? 0 : Math.max(0, item.available) / item.restocked;
  return (
    <div className="flex items-center justify-end gap-3 max-sm:justify-start">
      <div aria-hidden className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-200">
        <div className={`h-full rounded-full ${share < 0.2 ? 'bg-amber-500' : 'bg-emerald-500'}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      {item.available < 0 ? (
        <span className="inline-flex items-center rounded-full bg-rose-600 px-2 py-0.5 text-xs font-semibold text-white">Oversold</span>
      ) : item.available === 0 ? (
        <span className="inline-flex items-center rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800 ring-1 ring-rose-200">Sold out</span>
      ) : (
        <span className="inline-flex items-center rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200">In stock</span>
      )}
    </div>
  );
}

export function StockTable({
  items,
  loaded,
  error,
  onRestock,
}: {
  items: readonly Item[];
  loaded: boolean;
  error: string | null;
  onRestock: (itemId: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? items : items.filter((item) => `${item.description} ${item.itemId}`.toLowerCase().includes(needle));
  const soldOutCount = items.filter((item) => item.available <= 0).length;

  return (
    <section aria-labelledby="stock-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <div>
          <h2 id="stock-heading" className="text-base font-semibold text-slate-900">
            Stock
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {loaded ? (
              <>
                <span className="tabular-nums">{items.length.toLocaleString('en-US')}</span> {items.length === 1 ? 'item' : 'items'}
                {soldOutCount > 0 && (
                  <>
                    {' · '}
                    <span className="tabular-nums">{soldOutCount.toLocaleString('en-US')}</span> sold out
                  </>
                )}
                {' · updates live'}
              </>
            ) : error ? (
              'Not loaded'
            ) : (
              'Loading…'
            )}
          </p>
        </div>
        {items.length > 0 && (
          <div className="w-full sm:w-64">
            <label htmlFor="stock-filter" className="sr-only">
              Filter items
            </label>
            <input
              id="stock-filter"
              type="search"
              placeholder="Filter by description or ID"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm placeholder:text-slate-400 focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600"
            />
          </div>
        )}
      </div>
      {error && (
        <p role="alert" className="border-b border-rose-200 bg-rose-50 px-5 py-2 text-sm text-rose-800">
          Could not load the stock: {error}
        </p>
      )}
      {loaded && items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No items yet. Add the first one above.</p>
      ) : (
        // Past a screenful of rows the table scrolls and its header stays put. On a phone each row stacks
        // into a card (the explicit roles keep it a table for screen readers once its display changes).
        <div className="relative max-h-[30rem] overflow-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600" tabIndex={0} role="region" aria-label="Stock table, scrollable">
          <table role="table" className="w-full text-sm sm:min-w-[52rem]">
            <caption className="sr-only">Restocked, sold, held, refunded and available units per item, updated live</caption>
            <thead role="rowgroup" className="sticky top-0 z-10 bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase max-sm:sr-only">
              <tr role="row">
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-left sm:px-5">
                  Item
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Restocked
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Sold
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Held
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Refunded
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Available
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-right">
                  Status
                </th>
                <th role="columnheader" scope="col" className="px-4 py-2.5 sm:pr-5">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup" className="divide-y divide-slate-100">
              {shown.map((item) => (
                <tr
                  key={item.itemId}
                  role="row"
                  data-testid={`stock-row-${item.itemId}`}
                  data-sold-out={item.available <= 0}
                  className={`max-sm:grid max-sm:grid-cols-3 max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-3 max-sm:px-5 max-sm:py-4 ${
                    item.available <= 0 ? 'bg-rose-50/70' : 'hover:bg-slate-50'
                  }`}
                >
                  <th role="rowheader" scope="row" className="max-w-[18rem] px-4 py-3 text-left font-normal max-sm:col-span-3 max-sm:max-w-none max-sm:p-0 sm:px-5">
                    <span className="block truncate font-medium text-slate-900" title={item.description}>
                      {item.description}
                    </span>
                    <span className="block truncate font-mono text-xs text-slate-500">{item.itemId}</span>
                  </th>
                  <Figure label="Restocked" value={item.restocked} testId={`stock-restocked-${item.itemId}`} />
                  <Figure label="Sold" value={item.sold} testId={`stock-sold-${item.itemId}`} />
                  <Figure label="Held" value={item.held} testId={`stock-held-${item.itemId}`} />
                  <Figure label="Refunded" value={item.refunded} testId={`stock-refunded-${item.itemId}`} />
                  <Figure label="Available" value={item.available} testId={`stock-available-${item.itemId}`} />
                  <td role="cell" className="px-4 py-3 max-sm:col-span-2 max-sm:p-0">
                    <StockLevel item={item} />
                  </td>
                  <td role="cell" className="px-4 py-3 text-right max-sm:p-0 sm:pr-5">
                    <button
                      type="button"
                      onClick={() => onRestock(item.itemId)}
                      className={`relative rounded-md px-2.5 py-1 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50 ${focusRing}`}
                    >
                      Restock<span className="sr-only"> {item.description}</span>
                    </button>
                  </td>
                </tr>
              ))}
              {shown.length === 0 && loaded && (
                <tr role="row">
                  <td role="cell" colSpan={8} className="px-5 py-8 text-center text-slate-500 max-sm:block">
                    No item matches “{filter.trim()}”.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
