'use client';
// One item of the shop: its title (a link to its page), price and live stock, a quantity, Buy and Reserve,
// the hold's countdown with Pay and Cancel while there is one, and what became of the last attempt. The same
// card is the buying panel of the item's own page (variant "panel", where the page shows the title).
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import { useToasts, type ToastTone } from '@/components/toast/toast-region';
import { describeHold, HoldMessage } from './hold-message';
import { HoldPanel } from './hold-panel';
import { isActive, type HoldState } from './hold-state';
import { useCurrency } from './currency';
import { noPriceText, unitPriceText, type Currency } from './price';
import { Box, describeResult, MessageSlot, PurchaseMessage } from './purchase-message';
import { QuantityPicker } from './quantity-picker';
import { availableNow, itemName, quantityMaxFor, type ShopItem } from './stock';
import { useHold, type HoldListeners } from './use-hold';
import { usePurchase, type PurchaseState, type ResultListeners } from './use-purchase';

// Without a threshold set by the seller, at or below this many units an item is flagged as running low.
const lowStockDefault = 3;

// Said at once, without asking the server, when the card already knows there is nothing to take.
export const soldOutNotice = 'Sold out — none left.';

// What the card says instead of its last result: a click that sent nothing, or the quantity typed.
type Notice = { kind: 'sold-out' } | { kind: 'too-many' } | { kind: 'archived' };

export type NameMissing = (returnFocusTo: HTMLElement | null) => void;

export function ItemCard({
  item,
  buyerName,
  results,
  holds,
  onNameMissing,
  variant = 'card',
}: {
  item: ShopItem;
  buyerName: string | undefined;
  results: ResultListeners;
  holds: HoldListeners;
  onNameMissing: NameMissing;
  variant?: 'card' | 'panel';
}) {
  const titleId = useId();
  const quantityId = useId();
  const hintId = useId();
  const currency = useCurrency();
  const [chosen, setChosen] = useState(1);
  const [noticeSet, setNotice] = useState<Notice | undefined>(undefined);
  const title = item.description ?? item.itemId;
  const { state, buy, checkAgain } = usePurchase(item.itemId, results, title);
  const hold = useHold(item.itemId, holds, title);
  // The message slot tells of whichever the buyer did last: a purchase or a hold.
  const [lastAttempt, setLastAttempt] = useState<'purchase' | 'hold'>('purchase');
  const holding = isActive(hold.state);
  const available = availableNow(item);
  const quantityMax = quantityMaxFor(item);
  const soldOut = available === 0;
  // The stock may fall below what was chosen; the picker follows it down instead of offering the impossible.
  const quantity = Math.min(chosen, Math.max(1, quantityMax));
  const inFlight = state.phase === 'sending' || state.phase === 'pending';
  const name = itemName(item);
  // A sold-out notice goes once a restock arrives, as an archived one does once the item is back.
  const notice = (noticeSet?.kind === 'sold-out' && !soldOut) || (noticeSet?.kind === 'archived' && !item.archived) ? undefined : noticeSet;
  useAnnouncements(state, hold.state, name, currency);

  // Every click says something: a sold-out or archived item answers at once and sends nothing.
  const refusedHere = (): boolean => {
    if (item.archived) setNotice({ kind: 'archived' });
    else if (soldOut) setNotice({ kind: 'sold-out' });
    else if (notice?.kind === 'too-many') setNotice({ kind: 'too-many' });
    else return false;
    return true;
  };
  const onBuy = (event: MouseEvent<HTMLButtonElement>) => {
    if (inFlight || refusedHere()) return;
    if (!buyerName) {
      onNameMissing(event.currentTarget);
      return;
    }
    setNotice(undefined);
    setLastAttempt('purchase');
    void buy(quantity, buyerName);
  };
  const onRetry = () => {
    if (state.phase === 'unavailable') void buy(state.attempt.quantity, state.attempt.purchasedBy);
  };
  const onReserve = (event: MouseEvent<HTMLButtonElement>) => {
    if (holding || refusedHere()) return;
    if (!buyerName) {
      onNameMissing(event.currentTarget);
      return;
    }
    setNotice(undefined);
    setLastAttempt('hold');
    void hold.reserve(quantity, buyerName);
  };
  const onRetryHold = () => {
    if (hold.state.phase === 'unavailable') void hold.reserve(hold.state.request.quantity, hold.state.request.heldBy);
  };
  const showHold = hold.state.phase !== 'idle' && (holding || lastAttempt === 'hold');
  const unavailableHere = soldOut || item.archived;

  return (
    <article
      data-testid={`item-${item.itemId}`}
      aria-labelledby={variant === 'card' ? titleId : undefined}
      aria-label={variant === 'panel' ? `Buy ${name}` : undefined}
      className={`flex h-full flex-col rounded-2xl border p-5 shadow-sm transition-colors ${
        unavailableHere ? 'border-slate-200 bg-slate-100/70 dark:border-slate-700 dark:bg-slate-900/60' : 'border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900'
      }`}
    >
      <div className="flex items-start justify-between gap-3">
        {variant === 'card' ? (
          <h3 id={titleId} className="min-w-0 text-base leading-snug font-semibold">
            <Link
              href={`/items/${encodeURIComponent(item.itemId)}`}
              // The card clamps a long title to two lines; the link's name and tooltip carry it whole.
              title={item.description}
              className={`line-clamp-2 rounded break-words hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
                unavailableHere ? 'text-slate-600 dark:text-slate-400' : 'text-slate-900 dark:text-slate-50'
              }`}
            >
              {item.description || name}
            </Link>
          </h3>
        ) : (
          <PriceTag unitPrice={item.unitPrice} itemId={item.itemId} currency={currency} large />
        )}
        <StockBadge available={available} held={item.held} lowStockThreshold={item.lowStockThreshold} archived={item.archived} />
      </div>
      {variant === 'card' && <PriceTag unitPrice={item.unitPrice} itemId={item.itemId} currency={currency} />}

      <div className="mt-4 flex items-end justify-between gap-3">
        <p className="flex items-baseline gap-1.5">
          <span
            data-testid={`available-${item.itemId}`}
            className={`text-3xl font-semibold tabular-nums ${unavailableHere ? 'text-slate-500 dark:text-slate-400' : 'text-slate-900 dark:text-slate-50'}`}
          >
            {available.toLocaleString('en-US')}
          </span>
          <span className="text-sm text-slate-600 dark:text-slate-400">available</span>
        </p>
        <p className="text-right text-xs text-slate-600 tabular-nums dark:text-slate-400">
          {item.held > 0 && (
            <>
              <span data-testid={`held-${item.itemId}`}>{item.held.toLocaleString('en-US')}</span> reserved ·{' '}
            </>
          )}
          {item.sold.toLocaleString('en-US')} sold of {item.restocked.toLocaleString('en-US')}
        </p>
      </div>
      <StockBar available={available} restocked={item.restocked} />

      <div className="mt-auto pt-5">
        {isActive(hold.state) ? (
          <HoldPanel state={hold.state} name={name} onPay={() => void hold.pay()} onCancel={() => void hold.cancel()} />
        ) : (
          <div className="flex gap-1.5">
            <QuantityPicker
              id={quantityId}
              label={`Quantity of ${name}`}
              value={quantity}
              max={quantityMax}
              disabled={unavailableHere}
              describedBy={hintId}
              onChange={(next) => {
                setChosen(next);
                if (notice?.kind === 'too-many') setNotice(undefined);
              }}
              onTooMany={() => setNotice({ kind: 'too-many' })}
            />
            <button
              type="button"
              onClick={onBuy}
              // Never disabled: a click on a sold-out item must say so (a disabled button says nothing and drops
              // keyboard focus). Marked aria-disabled while there is nothing to buy or an order is in flight.
              aria-disabled={unavailableHere || inFlight}
              className={`h-10 min-w-14 flex-1 rounded-lg px-3 text-sm font-semibold whitespace-nowrap shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
                unavailableHere
                  ? 'cursor-not-allowed bg-slate-200 text-slate-600 shadow-none dark:bg-slate-800 dark:text-slate-400'
                  : inFlight
                    ? 'cursor-progress bg-indigo-500 text-white'
                    : 'bg-indigo-600 text-white hover:bg-indigo-700 active:bg-indigo-800'
              }`}
            >
              {state.phase === 'sending' ? 'Buying…' : state.phase === 'pending' ? 'Pending…' : 'Buy'}
              <span className="sr-only"> {name}</span>
            </button>
            <button
              type="button"
              onClick={onReserve}
              aria-disabled={unavailableHere}
              title="Hold the copies for a few minutes and pay later"
              className={`h-10 shrink-0 rounded-lg border px-2.5 text-sm font-semibold whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
                unavailableHere
                  ? 'cursor-not-allowed border-slate-200 text-slate-500 dark:border-slate-700 dark:text-slate-400'
                  : 'border-indigo-300 bg-white text-indigo-700 hover:bg-indigo-50 dark:border-indigo-500 dark:bg-slate-900 dark:text-indigo-200 dark:hover:bg-slate-800'
              }`}
            >
              Reserve
              <span className="sr-only"> {name}</span>
            </button>
          </div>
        )}

        <MessageSlot>
          {/* The hint is its own polite region: typing a number is not a result, so it is not a notice. */}
          <div id={hintId} aria-live="polite" className={notice === undefined ? 'sr-only' : 'h-full'}>
            {notice !== undefined && <NoticeBox notice={notice} available={quantityMax} />}
          </div>
          {notice === undefined &&
            (showHold && hold.state.phase !== 'idle' ? (
              <HoldMessage state={hold.state} name={name} currency={currency} onRetry={onRetryHold} />
            ) : (
              <PurchaseMessage state={state} name={name} currency={currency} onRetry={onRetry} onCheckAgain={checkAgain} />
            ))}
        </MessageSlot>
      </div>
    </article>
  );
}

function NoticeBox({ notice, available }: { notice: Notice; available: number }) {
  switch (notice.kind) {
    case 'sold-out':
      return <Box tone="failure" status="SOLD_OUT" text={soldOutNotice} />;
    case 'archived':
      return <Box tone="failure" status="ARCHIVED" text="This item is no longer sold." />;
    case 'too-many':
      return <Box tone="waiting" status="TOO_MANY" text={`Only ${available.toLocaleString('en-US')} available.`} />;
    default: {
      const unreachable: never = notice;
      throw new Error(`unknown notice ${JSON.stringify(unreachable)}`);
    }
  }
}

// Each decided purchase or hold of this card, once, in the site's notices: the card may be off-screen.
function useAnnouncements(state: PurchaseState, holdState: HoldState, name: string, currency: Currency) {
  const { announce } = useToasts();
  const announced = useRef(new Set<string>());
  const say = (key: string, tone: ToastTone, text: string) => {
    if (announced.current.has(key)) return;
    announced.current.add(key);
    announce({ tone, text });
  };
  useEffect(() => {
    if (state.phase === 'decided') {
      say(`purchase:${state.attempt.purchaseId}:${state.result.status}`, state.result.status === 'FAILED' ? 'failure' : 'success', describeResult(state.result, name, currency));
    }
    if (state.phase === 'refused') say(`purchase:${state.attempt.purchaseId}:refused`, 'failure', `Your order of ${name} was refused.`);
  });
  useEffect(() => {
    if (holdState.phase === 'held' || holdState.phase === 'confirmed' || holdState.phase === 'expired' || holdState.phase === 'cancelled' || holdState.phase === 'failed') {
      const tone: ToastTone = holdState.phase === 'held' || holdState.phase === 'confirmed' ? 'success' : 'failure';
      say(`hold:${holdState.hold.holdId}:${holdState.phase}`, tone, describeHold(holdState.hold, name, currency));
    }
  });
}

function PriceTag({ unitPrice, itemId, currency, large = false }: { unitPrice: number | null; itemId: string; currency: Currency; large?: boolean }) {
  const size = large ? 'text-2xl' : 'mt-1 text-lg';
  return unitPrice === null ? (
    <p data-testid={`price-${itemId}`} className={`${large ? 'text-lg' : 'mt-1 text-sm'} font-medium text-slate-600 italic dark:text-slate-400`}>
      {noPriceText}
    </p>
  ) : (
    <p data-testid={`price-${itemId}`} className={`${size} font-semibold text-slate-900 tabular-nums dark:text-slate-50`}>
      {unitPriceText(unitPrice, currency)}
    </p>
  );
}

function StockBadge({ available, held, lowStockThreshold, archived }: { available: number; held: number; lowStockThreshold: number | null; archived: boolean }) {
  if (archived) {
    return <span className="shrink-0 rounded-full bg-slate-200 px-2.5 py-1 text-xs font-semibold text-slate-800 dark:bg-slate-700 dark:text-slate-100">No longer sold</span>;
  }
  // Nothing to buy now, but reserved copies may come back when their holds expire or are cancelled.
  if (available === 0 && held > 0) {
    return (
      <span className="shrink-0 rounded-full bg-indigo-100 px-2.5 py-1 text-xs font-semibold text-indigo-800 ring-1 ring-indigo-200 ring-inset dark:bg-indigo-950 dark:text-indigo-100 dark:ring-indigo-800">
        All reserved
      </span>
    );
  }
  if (available === 0) {
    return <span className="shrink-0 rounded-full bg-slate-700 px-2.5 py-1 text-xs font-semibold text-white dark:bg-slate-200 dark:text-slate-900">Sold out</span>;
  }
  if (available <= (lowStockThreshold ?? lowStockDefault)) {
    return (
      <span className="shrink-0 rounded-full bg-amber-100 px-2.5 py-1 text-xs font-semibold text-amber-900 ring-1 ring-amber-200 ring-inset dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800">
        Low stock
      </span>
    );
  }
  return (
    <span className="shrink-0 rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-semibold text-emerald-800 ring-1 ring-emerald-200 ring-inset dark:bg-emerald-950 dark:text-emerald-100 dark:ring-emerald-800">
      In stock
    </span>
  );
}

// How much of everything ever stocked is still there: a glance at how fast an item goes.
function StockBar({ available, restocked }: { available: number; restocked: number }) {
  const share = restocked > 0 ? Math.min(1, available / restocked) : 0;
  return (
    <div aria-hidden className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
      <div
        className={`h-full rounded-full transition-[width] duration-500 ${share === 0 ? '' : share <= 0.25 ? 'bg-amber-400' : 'bg-emerald-500'}`}
        style={{ width: `${share * 100}%` }}
      />
    </div>
  );
}
