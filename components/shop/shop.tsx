'use client';
// The buyer's page: who is buying, a search with an order and an in-stock filter (kept in the URL, so a link
// reproduces the view), and a page of items with their live stock. The items load in the browser: the stock
// is live anyway, and the server filters and pages them.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useBuyerPrompt } from './buyer-name';
import { ItemCard, type NameMissing } from './item-card';
import { cleanSearch, isDefaultView, parseShopView, shopSorts, shopViewSearch, type ShopSort, type ShopView } from './shop-view';
import type { ShopItem } from './stock';
import { useHoldListeners, type HoldListeners } from './use-hold';
import { useResultListeners, type ResultListeners } from './use-purchase';
import { useShopItems } from './use-shop-items';

// Typing pauses this long before the search runs (and the URL changes).
const searchDelayMs = 350;

export function Shop() {
  const urlView = parseShopView(useSearchParams());
  const urlSearch = shopViewSearch(urlView);
  // The view just chosen, shown at once while the router catches up with its URL (a checkbox that waited for
  // the navigation would flick back first); the URL's view again once it has arrived or Back was pressed.
  const [chosenView, setChosenView] = useState<ShopView | null>(null);
  useEffect(() => setChosenView(null), [urlSearch]);
  const view = chosenView ?? urlView;
  const router = useRouter();
  const pathname = usePathname();
  const shop = useShopItems(view);
  const results = useResultListeners();
  const holds = useHoldListeners();
  const buyer = useBuyerPrompt();
  const gridHeading = useRef<HTMLHeadingElement>(null);

  const show = (next: ShopView, how: 'push' | 'replace' = 'push') => {
    setChosenView(next);
    const url = `${pathname}${shopViewSearch(next)}`;
    if (how === 'push') router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  };
  const turnPage = (turn: () => void) => {
    turn();
    // The next page starts at the top of the list, where the keyboard's focus goes too.
    gridHeading.current?.scrollIntoView({ block: 'start' });
    gridHeading.current?.focus({ preventScroll: true });
  };

  return (
    <section aria-labelledby="shop-heading">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="max-w-xl">
          <h1 id="shop-heading" className="text-3xl font-bold tracking-tight text-slate-900 dark:text-slate-50">
            Shop
          </h1>
          <p className="mt-1.5 text-slate-600 dark:text-slate-300">
            Books for sale right now. Stock changes as other people buy: what you see is always up to date, and you are
            never sold a copy that isn&apos;t there.
          </p>
        </div>
        <div className="sm:shrink-0">{buyer.bar}</div>
      </div>

      <ShopControls view={view} onChange={show} />

      {shop.status === 'loading' && <LoadingGrid />}
      {shop.status === 'failed' && (
        <div role="alert" className="mt-6 rounded-2xl border border-rose-200 bg-rose-50 p-5 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
          <p className="font-semibold">The items could not be loaded.</p>
          <p className="mt-1 text-sm">{shop.error}</p>
          <button
            type="button"
            onClick={shop.retry}
            className="mt-3 rounded-md bg-white px-3 py-1.5 text-sm font-semibold ring-1 ring-rose-300 hover:bg-rose-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-rose-900 dark:hover:bg-rose-800"
          >
            Try again
          </button>
        </div>
      )}
      {shop.status === 'ready' && (
        <>
          <h2 ref={gridHeading} tabIndex={-1} className="mt-6 scroll-mt-4 text-sm text-slate-600 tabular-nums focus:outline-none dark:text-slate-400" data-testid="results-summary">
            {summaryOf(view, shop.items.length, shop.page)}
          </h2>
          {shop.items.length === 0 ? (
            <EmptyShop view={view} onReset={() => show({ q: '', sort: view.sort, inStock: false })} />
          ) : (
            <ItemGrid items={shop.items} buyerName={buyer.name} results={results} holds={holds} onNameMissing={buyer.ask} />
          )}
          {shop.error && (
            <p role="alert" className="mt-4 text-sm text-rose-700 dark:text-rose-300">
              Could not refresh the items. {shop.error}
            </p>
          )}
          {(shop.page > 0 || shop.hasNext) && (
            <nav aria-label="Pages" className="mt-6 flex items-center justify-center gap-3">
              <PageButton disabled={shop.page === 0 || shop.loadingPage} onClick={() => turnPage(shop.previousPage)}>
                ← Previous
              </PageButton>
              <span className="text-sm text-slate-600 tabular-nums dark:text-slate-400">Page {shop.page + 1}</span>
              <PageButton disabled={!shop.hasNext || shop.loadingPage} onClick={() => turnPage(shop.nextPage)}>
                {shop.loadingPage ? 'Loading…' : 'Next →'}
              </PageButton>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function summaryOf(view: ShopView, count: number, page: number): string {
  const items = `${count.toLocaleString('en-US')} ${count === 1 ? 'item' : 'items'}`;
  const found = view.q === '' ? items : `${items} matching “${view.q}”`;
  const stock = view.inStock ? ', in stock' : '';
  return page === 0 ? `${found}${stock}` : `${found}${stock} · page ${page + 1}`;
}

function ShopControls({ view, onChange }: { view: ShopView; onChange: (view: ShopView, how?: 'push' | 'replace') => void }) {
  const searchId = useId();
  const sortId = useId();
  const [draft, setDraft] = useState(view.q);
  const latest = useRef({ view, onChange });
  latest.current = { view, onChange };
  // The URL changed by Back or a link: the field follows it.
  useEffect(() => setDraft(view.q), [view.q]);
  useEffect(() => {
    const typed = cleanSearch(draft);
    if (typed === latest.current.view.q) return;
    const timer = setTimeout(() => latest.current.onChange({ ...latest.current.view, q: typed }, 'replace'), searchDelayMs);
    return () => clearTimeout(timer);
  }, [draft]);

  const field =
    'h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-50';
  return (
    <form
      role="search"
      aria-label="Items"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...view, q: cleanSearch(draft) });
      }}
      className="mt-6 flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-3 shadow-sm sm:flex-row sm:items-end dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="min-w-0 flex-1">
        <label htmlFor={searchId} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Search titles
        </label>
        <input
          id={searchId}
          type="search"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          maxLength={100}
          placeholder="e.g. Dune"
          className={`mt-1 block w-full ${field} placeholder:text-slate-500 dark:placeholder:text-slate-400`}
        />
      </div>
      <div className="flex items-end gap-3">
        <div>
          <label htmlFor={sortId} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
            Sort by
          </label>
          <select id={sortId} value={view.sort} onChange={(event) => onChange({ ...view, sort: event.target.value as ShopSort })} className={`mt-1 block ${field}`}>
            {shopSorts.map((sort) => (
              <option key={sort.value} value={sort.value}>
                {sort.label}
              </option>
            ))}
          </select>
        </div>
        <label className="flex h-10 items-center gap-2 text-sm whitespace-nowrap text-slate-700 dark:text-slate-200">
          <input
            type="checkbox"
            checked={view.inStock}
            onChange={(event) => onChange({ ...view, inStock: event.target.checked })}
            className="size-4 rounded border-slate-300 accent-indigo-600"
          />
          In stock only
        </label>
      </div>
      {!isDefaultView(view) && (
        <button
          type="button"
          onClick={() => {
            setDraft('');
            onChange({ q: '', sort: view.sort, inStock: false });
          }}
          className="h-10 rounded-lg px-3 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-slate-800"
        >
          Clear
        </button>
      )}
    </form>
  );
}

function EmptyShop({ view, onReset }: { view: ShopView; onReset: () => void }) {
  const filtered = view.q !== '' || view.inStock;
  return (
    <div className="mt-3 rounded-2xl border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-600 dark:bg-slate-900">
      <p className="font-semibold text-slate-900 dark:text-slate-50">{filtered ? 'Nothing matches' : 'Nothing for sale yet'}</p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        {filtered ? 'Try another title, or include sold-out items.' : 'Items appear here the moment a seller stocks them.'}
      </p>
      {filtered && (
        <button
          type="button"
          onClick={onReset}
          className="mt-3 rounded-md px-3 py-1.5 text-sm font-semibold text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:bg-slate-800"
        >
          Show everything
        </button>
      )}
    </div>
  );
}

function PageButton({ disabled, onClick, children }: { disabled: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={onClick}
      className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
    >
      {children}
    </button>
  );
}

function ItemGrid({
  items,
  buyerName,
  results,
  holds,
  onNameMissing,
}: {
  items: ShopItem[];
  buyerName: string | undefined;
  results: ResultListeners;
  holds: HoldListeners;
  onNameMissing: NameMissing;
}) {
  return (
    <ul className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="item-grid">
      {items.map((item) => (
        <li key={item.itemId}>
          <ItemCard item={item} buyerName={buyerName} results={results} holds={holds} onNameMissing={onNameMissing} />
        </li>
      ))}
    </ul>
  );
}

function LoadingGrid() {
  return (
    <div aria-busy="true" aria-label="Loading items" className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {[0, 1, 2].map((index) => (
        <div key={index} className="h-64 animate-pulse rounded-2xl border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900" />
      ))}
    </div>
  );
}
