'use client';
// One item of the shop: its live stock, a quantity, Buy and Reserve, the hold's countdown with Pay and
// Cancel while there is one, and what became of the last attempt.
import { useId, useState } from 'react';
import { HoldMessage } from './hold-message';
import { HoldPanel } from './hold-panel';
import { isActive } from './hold-state';
import { PurchaseMessage, StatusRegion } from './purchase-message';
import { QuantityPicker } from './quantity-picker';
import { availableNow, itemName, quantityMaxFor, type ShopItem } from './stock';
import { useHold, type HoldListeners } from './use-hold';
import { usePurchase, type ResultListeners } from './use-purchase';

// At or below this many units an item is flagged as running low.
const lowStockMax = 3;

export function ItemCard({
  item,
  buyerName,
  results,
  holds,
  onNameMissing,
}: {
  item: ShopItem;
  buyerName: string | undefined;
  results: ResultListeners;
  holds: HoldListeners;
  onNameMissing: () => void;
}) {
  const titleId = useId();
  const quantityId = useId();
  const [chosen, setChosen] = useState(1);
  const { state, buy, checkAgain } = usePurchase(item.itemId, results);
  const hold = useHold(item.itemId, holds);
  // The live region tells of whichever the buyer did last: a purchase or a hold.
  const [lastAttempt, setLastAttempt] = useState<'purchase' | 'hold'>('purchase');
  const holding = isActive(hold.state);
  const available = availableNow(item);
  const quantityMax = quantityMaxFor(item);
  const soldOut = available === 0;
  // The stock may fall below what was chosen; the picker follows it down instead of offering the impossible.
  const quantity = Math.min(chosen, Math.max(1, quantityMax));
  const inFlight = state.phase === 'sending' || state.phase === 'pending';
  const name = itemName(item);

  const onBuy = () => {
    if (soldOut || inFlight) return;
    if (!buyerName) {
      onNameMissing();
      return;
    }
    setLastAttempt('purchase');
    void buy(quantity, buyerName);
  };
  const onRetry = () => {
    if (state.phase === 'unavailable') void buy(state.attempt.quantity, state.attempt.purchasedBy);
  };
  const onReserve = () => {
    if (soldOut || holding) return;
    if (!buyerName) {
      onNameMissing();
      return;
    }
    setLastAttempt('hold');
    void hold.reserve(quantity, buyerName);
  };
  const onRetryHold = () => {
    if (hold.state.phase === 'unavailable') void hold.reserve(hold.state.request.quantity, hold.state.request.heldBy);
  };
  const showHold = hold.state.phase !== 'idle' && (holding || lastAttempt === 'hold');

  return (
    <article
      data-testid={`item-${item.itemId}`}
      aria-labelledby={titleId}
      className={`flex h-full flex-col rounded-2xl border p-5 shadow-sm transition-colors ${
        soldOut ? 'border-slate-200 bg-slate-100/70' : 'border-slate-200 bg-white'
      }`}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 id={titleId} className={`line-clamp-2 text-base leading-snug font-semibold break-words ${soldOut ? 'text-slate-500' : 'text-slate-900'}`}>
            {item.description ?? item.itemId}
          </h3>
          <p className="mt-0.5 truncate font-mono text-xs text-slate-500" title={item.itemId}>
            {item.itemId}
          </p>
        </div>
        <StockBadge available={available} held={item.held} />
      </div>

      <div className="mt-5 flex items-end justify-between gap-3">
        <p className="flex items-baseline gap-1.5">
          <span data-testid={`available-${item.itemId}`} className={`text-3xl font-semibold tabular-nums ${soldOut ? 'text-slate-400' : 'text-slate-900'}`}>
            {available.toLocaleString('en-US')}
          </span>
          <span className="text-sm text-slate-500">available</span>
        </p>
        <p className="text-right text-xs text-slate-500 tabular-nums">
          {item.held > 0 && (
            <>
              <span data-testid={`held-${item.itemId}`}>{item.held.toLocaleString('en-US')}</span> reserved ·{' '}
            </>
          )}
          {item.sold.toLocaleString('en-US')} sold of {item.restocked.toLocaleString('en-US')}
        </p>
      </div>
      <StockBar available={available} restocked={item.restocked} />

      {isActive(hold.state) ? (
        <HoldPanel state={hold.state} name={name} onPay={() => void hold.pay()} onCancel={() => void hold.cancel()} />
      ) : (
        <div className="mt-5 flex gap-2">
          <QuantityPicker
            id={quantityId}
            label={`Quantity of ${name}`}
            value={quantity}
            max={quantityMax}
            disabled={soldOut}
            onChange={setChosen}
          />
          <button
            type="button"
            onClick={onBuy}
            // Sold out: really disabled. In flight: only marked, so a keyboard user's focus stays on the button
            // while the order is sent (a disabled button drops focus); onBuy ignores the click meanwhile.
            disabled={soldOut}
            aria-disabled={soldOut || inFlight}
            className={`h-10 flex-1 rounded-lg px-4 text-sm font-semibold whitespace-nowrap shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
              soldOut
                ? 'cursor-not-allowed bg-slate-200 text-slate-500 shadow-none'
                : inFlight
                  ? 'cursor-progress bg-indigo-400 text-white'
                  : 'bg-indigo-600 text-white hover:bg-indigo-700 active:bg-indigo-800'
            }`}
          >
            {state.phase === 'sending' ? 'Buying…' : state.phase === 'pending' ? 'Pending…' : 'Buy'}
            <span className="sr-only"> {name}</span>
          </button>
          <button
            type="button"
            onClick={onReserve}
            disabled={soldOut}
            title="Hold the copies for a few minutes and pay later"
            className={`h-10 rounded-lg border px-3 text-sm font-semibold whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
              soldOut ? 'cursor-not-allowed border-slate-200 text-slate-400' : 'border-indigo-300 bg-white text-indigo-700 hover:bg-indigo-50'
            }`}
          >
            Reserve
            <span className="sr-only"> {name}</span>
          </button>
        </div>
      )}

      <StatusRegion>
        {showHold && hold.state.phase !== 'idle' ? (
          <HoldMessage state={hold.state} name={name} onRetry={onRetryHold} />
        ) : (
          <PurchaseMessage state={state} name={name} onRetry={onRetry} onCheckAgain={checkAgain} />
        )}
      </StatusRegion>
    </article>
  );
}

function StockBadge({ available, held }: { available: number; held: number }) {
  // Nothing to buy now, but reserved copies may come back when their holds expire or are cancelled.
  if (available === 0 && held > 0) {
    return <span className="shrink-0 rounded-full bg-indigo-100 px-2.5 py-1 text-xs font-semibold text-indigo-800 ring-1 ring-indigo-200 ring-inset">All reserved</span>;
  }
  if (available === 0) {
    return <span className="shrink-0 rounded-full bg-slate-700 px-2.5 py-1 text-xs font-semibold text-white">Sold out</span>;
  }
  if (available <= lowStockMax) {
    return <span className="shrink-0 rounded-full bg-amber-100 px-2.5 py-1 text-xs font-semibold text-amber-800 ring-1 ring-amber-200 ring-inset">Low stock</span>;
  }
  return <span className="shrink-0 rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-semibold text-emerald-700 ring-1 ring-emerald-200 ring-inset">In stock</span>;
}

// How much of everything ever stocked is still there: a glance at how fast an item goes.
function StockBar({ available, restocked }: { available: number; restocked: number }) {
  const share = restocked > 0 ? Math.min(1, available / restocked) : 0;
  return (
    <div aria-hidden className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-200">
      <div
        className={`h-full rounded-full transition-[width] duration-500 ${share === 0 ? '' : share <= 0.25 ? 'bg-amber-400' : 'bg-emerald-500'}`}
        style={{ width: `${share * 100}%` }}
      />
    </div>
  );
}
