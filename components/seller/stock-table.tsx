'use client';
// Every item's price, restocked, sold, held, refunded and available, live, with its actions: restock, edit
// (title, price, low-stock warning) and archive. Sold-out, low-stock, archived and unpriced rows say so in
// words as well as colour; a row whose edit is on its way says "saving…" until the change arrives; a figure
// that just changed flashes briefly so the eye finds it.
import { useEffect, useState } from 'react';
import type { Item } from '@/server/contract';
import { focusRing } from './form-controls';
import { isLowStock, type PendingEdit } from './item-edits';
import { formatMoney, type Currency } from './money';
import type { EditRequest } from './edit-item-dialog';

const flashMs = 1_200;
const count = (value: number) => value.toLocaleString('en-US');

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
    <td role="cell" className="px-2 py-3 text-right max-sm:p-0 max-sm:text-left">
      <span aria-hidden className="block text-[11px] font-medium tracking-wide text-slate-600 uppercase sm:hidden dark:text-slate-400">
        {label}
      </span>
      <span
        data-testid={testId}
        className={`rounded px-1.5 py-0.5 tabular-nums transition-colors duration-700 max-sm:-ml-1.5 max-sm:text-base max-sm:font-semibold ${
          flashing ? 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100' : value < 0 ? 'font-semibold text-rose-700 dark:text-rose-300' : ''
        }`}
      >
        {count(value)}
      </span>
    </td>
  );
}

const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 whitespace-nowrap';

function StockLevel({ item }: { item: Item }) {
  const share = item.restocked === 0 ? 0 : Math.max(0, item.available) / item.restocked;
  const low = isLowStock(item);
  return (
    <div className="flex items-center justify-end gap-3 max-sm:justify-start">
      <div aria-hidden className="h-1.5 w-10 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
        <div className={`h-full rounded-full ${low || share < 0.2 ? 'bg-amber-500' : 'bg-emerald-500'}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      {item.available < 0 ? (
        <span className={`${badge} bg-rose-700 text-white ring-rose-700`}>Oversold</span>
      ) : item.available === 0 ? (
        <span className={`${badge} bg-rose-100 text-rose-900 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800`}>Sold out</span>
      ) : low ? (
        <span data-testid={`low-stock-${item.itemId}`} className={`${badge} bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700`}>
          Low stock
        </span>
      ) : (
        <span className={`${badge} bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800`}>In stock</span>
      )}
    </div>
  );
}

function PriceCell({ item, currency, onSetPrice }: { item: Item; currency: Currency | null; onSetPrice: () => void }) {
  return (
    <td role="cell" className="px-2 py-3 text-right max-sm:col-span-3 max-sm:p-0 max-sm:text-left">
      <span aria-hidden className="block text-[11px] font-medium tracking-wide text-slate-600 uppercase sm:hidden dark:text-slate-400">
        Price
      </span>
      {item.unitPrice === null ? (
        <button
          type="button"
          onClick={onSetPrice}
          data-testid={`set-price-${item.itemId}`}
          className={`max-w-[7.5rem] rounded-md bg-amber-50 px-2 py-0.5 text-left text-xs font-semibold text-amber-900 max-sm:max-w-none ring-1 ring-amber-300 hover:bg-amber-100 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700 dark:hover:bg-amber-900 ${focusRing}`}
        >
          No price yet — set one<span className="sr-only"> for {item.description}</span>
        </button>
      ) : (
        <span data-testid={`stock-price-${item.itemId}`} className="tabular-nums whitespace-nowrap max-sm:text-base max-sm:font-semibold">
          {currency ? formatMoney(item.unitPrice, currency) : '…'}
        </span>
      )}
    </td>
  );
}

const actionButton = `relative rounded-md px-2 py-0.5 text-xs font-medium ring-1 disabled:cursor-progress disabled:opacity-60 ${focusRing}`;

function Row({
  item,
  currency,
  pending,
  problem,
  onRestock,
  onEdit,
  onArchive,
}: {
  item: Item;
  currency: Currency | null;
  pending: PendingEdit | undefined;
  problem: string | undefined;
  onRestock: (itemId: string) => void;
  onEdit: (request: EditRequest) => void;
  onArchive: (item: Item) => void;
}) {
  const soldOut = item.available <= 0;
  return (
    <tr
      role="row"
      data-testid={`stock-row-${item.itemId}`}
      data-sold-out={soldOut}
      data-archived={item.archived}
      data-saving={pending !== undefined}
      className={`max-sm:grid max-sm:grid-cols-3 max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-3 max-sm:px-5 max-sm:py-4 ${
        item.archived
          ? 'bg-slate-100 text-slate-600 dark:bg-slate-800/70 dark:text-slate-400'
          : soldOut
            ? 'bg-rose-50 dark:bg-rose-950/40'
            : 'hover:bg-slate-50 dark:hover:bg-slate-800/50'
      }`}
    >
      <th role="rowheader" scope="row" className="max-w-[15rem] px-4 py-3 text-left font-normal max-sm:col-span-3 max-sm:max-w-none max-sm:p-0 sm:px-5">
        <span className={`block truncate font-medium ${item.archived ? 'text-slate-700 dark:text-slate-300' : 'text-slate-900 dark:text-slate-50'}`} title={item.description}>
          {item.description}
        </span>
        <span className="block truncate font-mono text-xs text-slate-600 dark:text-slate-400">{item.itemId}</span>
        {(item.archived || pending) && (
          <span className="mt-1 flex flex-wrap gap-1.5">
            {item.archived && (
              <span className={`${badge} bg-slate-200 text-slate-800 ring-slate-300 dark:bg-slate-700 dark:text-slate-100 dark:ring-slate-600`} title="Hidden from the shop; its history is kept.">
                Archived
              </span>
            )}
            {pending && (
              <span role="status" data-testid={`saving-${item.itemId}`} className="text-xs font-medium text-indigo-800 italic dark:text-indigo-200">
                saving…
              </span>
            )}
          </span>
        )}
        {/* The row's actions sit under its title, so the table fits a laptop's width without scrolling sideways. */}
        <span className="mt-2 flex flex-wrap gap-1.5">
          <button
            type="button"
            onClick={() => onRestock(item.itemId)}
            className={`${actionButton} text-indigo-700 ring-indigo-200 hover:bg-indigo-50 dark:text-indigo-200 dark:ring-indigo-700 dark:hover:bg-indigo-950`}
          >
            Restock<span className="sr-only"> {item.description}</span>
          </button>
          <button
            type="button"
            onClick={() => onEdit({ item, focus: 'description' })}
            className={`${actionButton} text-slate-800 ring-slate-300 hover:bg-slate-100 dark:text-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800`}
          >
            Edit<span className="sr-only"> {item.description}</span>
          </button>
          <button
            type="button"
            onClick={() => onArchive(item)}
            disabled={pending?.changes.archived !== undefined}
            className={`${actionButton} text-slate-800 ring-slate-300 hover:bg-slate-100 dark:text-slate-100 dark:ring-slate-600 dark:hover:bg-slate-800`}
          >
            {item.archived ? 'Unarchive' : 'Archive'}
            <span className="sr-only"> {item.description}</span>
          </button>
        </span>
        {problem && (
          <span role="alert" className="mt-1 block text-xs text-rose-800 dark:text-rose-300">
            {problem}
          </span>
        )}
      </th>
      <PriceCell item={item} currency={currency} onSetPrice={() => onEdit({ item, focus: 'unitPrice' })} />
      <Figure label="Restocked" value={item.restocked} testId={`stock-restocked-${item.itemId}`} />
      <Figure label="Sold" value={item.sold} testId={`stock-sold-${item.itemId}`} />
      <Figure label="Held" value={item.held} testId={`stock-held-${item.itemId}`} />
      <Figure label="Refunded" value={item.refunded} testId={`stock-refunded-${item.itemId}`} />
      <Figure label="Available" value={item.available} testId={`stock-available-${item.itemId}`} />
      <td role="cell" className="py-3 pr-4 pl-2 max-sm:col-span-3 max-sm:p-0 sm:pr-5">
        <StockLevel item={item} />
      </td>
    </tr>
  );
}

// The figures above the table, each in words: what is counted and what it means for the seller.
function Summary({ items }: { items: readonly Item[] }) {
  const archived = items.filter((item) => item.archived).length;
  const onSale = items.filter((item) => !item.archived);
  const soldOut = onSale.filter((item) => item.available <= 0).length;
  const low = onSale.filter(isLowStock).length;
  const parts = [
    `${count(items.length)} ${items.length === 1 ? 'item' : 'items'}`,
    archived > 0 ? `${count(onSale.length)} on sale, ${count(archived)} archived (hidden from the shop)` : null,
    soldOut > 0 ? `${count(soldOut)} sold out` : null,
    low > 0 ? `${count(low)} low on stock` : null,
  ].filter((part): part is string => part !== null);
  return (
    <>
      {parts.join(' · ')}
      {' · updates live'}
    </>
  );
}

function UnpricedPrompt({ items, onEdit }: { items: readonly Item[]; onEdit: (request: EditRequest) => void }) {
  const unpriced = items.filter((item) => item.unitPrice === null && !item.archived);
  const first = unpriced[0];
  if (first === undefined) return null;
  return (
    <p data-testid="unpriced-prompt" className="border-b border-amber-200 bg-amber-50 px-5 py-2.5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      {unpriced.length === 1 ? '1 item on sale has' : `${count(unpriced.length)} items on sale have`} no price yet: buyers get {unpriced.length === 1 ? 'it' : 'them'} for
      nothing, and {unpriced.length === 1 ? 'its sales do' : 'their sales do'} not count as revenue.{' '}
      <button type="button" onClick={() => onEdit({ item: first, focus: 'unitPrice' })} className={`rounded text-left font-semibold underline underline-offset-2 ${focusRing}`}>
        Set a price for {first.description}
      </button>
    </p>
  );
}

export function StockTable({
  items,
  loaded,
  error,
  currency,
  pending,
  problems,
  onRestock,
  onEdit,
  onArchive,
}: {
  items: readonly Item[];
  loaded: boolean;
  error: string | null;
  currency: Currency | null;
  pending: ReadonlyMap<string, PendingEdit>;
  problems: ReadonlyMap<string, string>;
  onRestock: (itemId: string) => void;
  onEdit: (request: EditRequest) => void;
  onArchive: (item: Item) => void;
}) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? items : items.filter((item) => `${item.description} ${item.itemId}`.toLowerCase().includes(needle));

  return (
    <section aria-labelledby="stock-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 px-5 py-4 dark:border-slate-700">
        <div>
          <h2 id="stock-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Stock
          </h2>
          <p data-testid="stock-summary" className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            {loaded ? <Summary items={items} /> : error ? 'Not loaded' : 'Loading…'}
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
              placeholder="Filter by title or ID"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:placeholder:text-slate-400"
            />
          </div>
        )}
      </div>
      {error && (
        <p role="alert" className="border-b border-rose-200 bg-rose-50 px-5 py-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">
          Could not load the stock: {error}
        </p>
      )}
      {loaded && <UnpricedPrompt items={items} onEdit={onEdit} />}
      {loaded && items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-600 dark:text-slate-400">No items yet. Add the first one above.</p>
      ) : (
        // Past a screenful of rows the table scrolls and its header stays put. On a phone each row stacks
        // into a card (the explicit roles keep it a table for screen readers once its display changes).
        <div
          className="relative max-h-[30rem] overflow-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
          tabIndex={0}
          role="region"
          aria-label="Stock table, scrollable"
        >
          <table role="table" className="w-full text-sm text-slate-800 sm:min-w-[48rem] dark:text-slate-200">
            <caption className="sr-only">Price, restocked, sold, held, refunded and available units per item, updated live</caption>
            <thead role="rowgroup" className="sticky top-0 z-10 bg-slate-50 text-xs font-semibold text-slate-700 uppercase max-sm:sr-only dark:bg-slate-800 dark:text-slate-300">
              <tr role="row">
                <th role="columnheader" scope="col" className="px-4 py-2.5 text-left sm:px-5">
                  Item
                </th>
                {['Price', 'Restocked', 'Sold', 'Held', 'Refunded', 'Available', 'Status'].map((label) => (
                  <th key={label} role="columnheader" scope="col" className="px-2 py-2.5 text-right">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup" className="divide-y divide-slate-100 dark:divide-slate-800">
              {shown.map((item) => (
                <Row
                  key={item.itemId}
                  item={item}
                  currency={currency}
                  pending={pending.get(item.itemId)}
                  problem={problems.get(item.itemId)}
                  onRestock={onRestock}
                  onEdit={onEdit}
                  onArchive={onArchive}
                />
              ))}
              {shown.length === 0 && loaded && (
                <tr role="row">
                  <td role="cell" colSpan={8} className="px-5 py-8 text-center text-slate-600 max-sm:block dark:text-slate-400">
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
