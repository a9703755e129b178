'use client';
// The buyer's page: who is buying, and every item with its live stock. Loaded in the browser, because the
// custom server makes a server-side fetch to itself awkward and the stock is live anyway.
import { useId, useRef, useState } from 'react';
import { BuyerNameBar, useBuyerName } from './buyer-name';
import { ItemCard } from './item-card';
import { availableNow, type ShopItem } from './stock';
import { useHoldListeners, type HoldListeners } from './use-hold';
import { useResultListeners, type ResultListeners } from './use-purchase';
import { useShopItems } from './use-shop-items';

export function Shop() {
  const [buyerName, setBuyerName] = useBuyerName();
  const nameInput = useRef<HTMLInputElement>(null);
  const [nameHint, setNameHint] = useState(false);
  const shop = useShopItems();
  const results = useResultListeners();
  const holds = useHoldListeners();
  const [showSoldOut, setShowSoldOut] = useState(false);
  const soldOutListId = useId();
  // Items seen in stock stay in the grid when they sell out, so nothing jumps away from a buyer's eyes.
  const onSale = shop.items.filter((item) => item.seenInStock);
  const soldOutAllAlong = shop.items.filter((item) => !item.seenInStock);
  const inStock = onSale.filter((item) => availableNow(item) > 0).length;

  const askForName = () => {
    setNameHint(true);
    nameInput.current?.focus();
  };

  return (
    <section aria-labelledby="shop-heading">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="max-w-xl">
          <h1 id="shop-heading" className="text-3xl font-bold tracking-tight text-slate-900">
            Shop
          </h1>
          <p className="mt-1.5 text-slate-600">
            Every order is decided in turn by the single writer of its item&apos;s partition: however many buyers race
            for the last copy, nothing is ever over-sold.
          </p>
        </div>
        <div className="sm:shrink-0">
          <BuyerNameBar
            name={buyerName}
            inputRef={nameInput}
            onChange={(name) => {
              setBuyerName(name);
              setNameHint(false);
            }}
          />
          {nameHint && !buyerName && (
            <p role="alert" className="mt-1.5 text-sm text-rose-700">
              Tell us your name first: it goes with your order.
            </p>
          )}
        </div>
      </div>

      {shop.status === 'loading' && <LoadingGrid />}
      {shop.status === 'failed' && (
        <div role="alert" className="mt-8 rounded-2xl border border-rose-200 bg-rose-50 p-5 text-rose-900">
          <p className="font-semibold">The items could not be loaded.</p>
          <p className="mt-1 text-sm">{shop.error}</p>
          <button
            type="button"
            onClick={shop.retry}
            className="mt-3 rounded-md bg-white px-3 py-1.5 text-sm font-semibold ring-1 ring-rose-300 hover:bg-rose-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Try again
          </button>
        </div>
      )}
      {shop.status === 'ready' && (
        <>
          <h2 className="sr-only">For sale</h2>
          {onSale.length === 0 ? (
            <div className="mt-8 rounded-2xl border border-dashed border-slate-300 bg-white p-10 text-center">
              <p className="font-semibold text-slate-900">{soldOutAllAlong.length === 0 ? 'Nothing for sale yet' : 'Everything is sold out right now'}</p>
              <p className="mt-1 text-sm text-slate-600">Items appear here the moment a seller stocks them.</p>
            </div>
          ) : (
            <>
              <p className="mt-8 text-sm text-slate-500 tabular-nums">
                {onSale.length.toLocaleString('en-US')} {onSale.length === 1 ? 'item' : 'items'} · {inStock.toLocaleString('en-US')} in stock
              </p>
              <ItemGrid items={onSale} buyerName={buyerName} results={results} holds={holds} onNameMissing={askForName} />
            </>
          )}
          {shop.error && (
            <p role="alert" className="mt-4 text-sm text-rose-700">
              Could not refresh the items. {shop.error}
            </p>
          )}
          {shop.hasMore && (
            <div className="mt-6 text-center">
              <button
                type="button"
                onClick={shop.loadMore}
                disabled={shop.loadingMore}
                className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              >
                {shop.loadingMore ? 'Loading…' : 'Show more items'}
              </button>
            </div>
          )}
          {soldOutAllAlong.length > 0 && (
            <section aria-labelledby="sold-out-heading" className="mt-12 border-t border-slate-200 pt-6">
              <div className="flex items-center justify-between gap-3">
                <h2 id="sold-out-heading" className="text-lg font-semibold text-slate-900">
                  Sold out <span className="font-normal text-slate-500 tabular-nums">({soldOutAllAlong.length.toLocaleString('en-US')})</span>
                </h2>
                <button
                  type="button"
                  aria-expanded={showSoldOut}
                  aria-controls={soldOutListId}
                  onClick={() => setShowSoldOut((shown) => !shown)}
                  className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                >
                  {showSoldOut ? 'Hide' : 'Show'}
                  <span className="sr-only"> sold-out items</span>
                </button>
              </div>
              <p className="mt-1 text-sm text-slate-500">Items that were sold out when you arrived. A restock brings them back up.</p>
              <div id={soldOutListId} hidden={!showSoldOut}>
                {showSoldOut && <ItemGrid items={soldOutAllAlong} buyerName={buyerName} results={results} holds={holds} onNameMissing={askForName} />}
              </div>
            </section>
          )}
        </>
      )}
    </section>
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
  onNameMissing: () => void;
}) {
  return (
    <ul className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
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
    <div aria-busy="true" aria-label="Loading items" className="mt-8 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {[0, 1, 2].map((index) => (
        <div key={index} className="h-56 animate-pulse rounded-2xl border border-slate-200 bg-white" />
      ))}
    </div>
  );
}
