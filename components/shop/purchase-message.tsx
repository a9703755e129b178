'use client';
// What happened to the buyer's last purchase, in words, in the card's message slot. The slot is not a live
// region: the site's notices (components/toast) read each result out once, wherever the card is.
import type { ReactNode } from 'react';
import type { HoldResult, PurchaseResult } from '@/server/contract';
import { sentence, withFullStop } from '@/components/api/describe-failure';
import { formatMoney, type Currency } from './price';
import type { PurchaseState } from './use-purchase';

export type Tone = 'success' | 'failure' | 'waiting' | 'error';

const toneClasses: Record<Tone, string> = {
  success: 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100',
  failure: 'border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100',
  waiting: 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100',
  error: 'border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100',
};

const toneIcons: Record<Tone, string> = { success: '✓', failure: '✕', waiting: '…', error: '!' };

// What was charged, as a sentence: the total recorded with the decision, or why there is none.
export function chargedText(total: number | null, currency: Currency): string {
  return total === null ? 'Nothing charged: no price yet.' : `Total ${formatMoney(total, currency)}.`;
}

// No "N left" in a success: that was the stock at the decision, soon stale; the card shows the live stock.
export function describeResult(result: PurchaseResult, name: string, currency: Currency): string {
  if (result.status === 'SUCCEEDED') return `You bought ${result.quantity} × ${name}. ${chargedText(result.total, currency)}`;
  if (result.status === 'REFUNDED') return `Your purchase of ${result.quantity} × ${name} was refunded by the seller.`;
  switch (result.reason) {
    case 'OUT_OF_STOCK':
      return result.remaining === 0
        ? 'Sold out before your turn — none left.'
        : `Sold out before your turn — only ${result.remaining} left, you asked for ${result.quantity}.`;
    case 'UNKNOWN_ITEM':
      return 'This item no longer exists.';
    case 'ITEM_ARCHIVED':
      return 'This item is no longer sold.';
    default: {
      const unreachable: never = result;
      throw new Error(`unknown failure ${JSON.stringify(unreachable)}`);
    }
  }
}

// What a hold's confirm charges: the unit price fixed when it was placed, times its quantity.
export function holdTotal(hold: Pick<HoldResult, 'unitPrice' | 'quantity'>): number | null {
  return hold.unitPrice === null ? null : hold.unitPrice * hold.quantity;
}

// The card's message slot: a fixed height, so that a message never makes its card taller than its row.
// Longer words are cut at three lines here; the notice and "My purchases" carry them whole.
export function MessageSlot({ children }: { children: ReactNode }) {
  return (
    <div data-testid="card-message" className="mt-3 h-20">
      {children}
    </div>
  );
}

export function PurchaseMessage({
  state,
  name,
  currency,
  onRetry,
  onCheckAgain,
}: {
  state: PurchaseState;
  name: string;
  currency: Currency;
  onRetry: () => void;
  onCheckAgain: () => void;
}) {
  return state.phase === 'idle' ? null : <Message state={state} name={name} currency={currency} onRetry={onRetry} onCheckAgain={onCheckAgain} />;
}

function Message({
  state,
  name,
  currency,
  onRetry,
  onCheckAgain,
}: {
  state: Exclude<PurchaseState, { phase: 'idle' }>;
  name: string;
  currency: Currency;
  onRetry: () => void;
  onCheckAgain: () => void;
}) {
  switch (state.phase) {
    case 'sending':
      return <Box tone="waiting" text={`Buying ${state.attempt.quantity} × ${name}…`} />;
    case 'pending':
      return <Box tone="waiting" text="Pending… your order is in the queue; the result shows here as soon as it is decided." />;
    case 'decided':
      return <Box tone={state.result.status === 'FAILED' ? 'failure' : 'success'} text={describeResult(state.result, name, currency)} status={state.result.status} />;
    case 'refused':
      return <Box tone="error" text={refusedText(state.failure)} />;
    case 'unavailable':
      return (
        <Box
          tone="error"
          text="Couldn’t confirm your order: it may or may not have gone through."
          detail={`${sentence(state.message)} Trying again is safe: the same order can never be bought twice.`}
          action={<ActionButton onClick={onRetry}>Try again</ActionButton>}
        />
      );
    case 'undecided':
      return <Box tone="waiting" text="Still waiting for a decision. It will show here and in My purchases." action={<ActionButton onClick={onCheckAgain}>Check again</ActionButton>} />;
    default: {
      const unreachable: never = state;
      throw new Error(`unknown purchase state ${JSON.stringify(unreachable)}`);
    }
  }
}

function refusedText(failure: Extract<PurchaseState, { phase: 'refused' }>['failure']): string {
  const fields = failure.kind === 'invalid' ? Object.entries(failure.fields).map(([field, problem]) => `${field}: ${problem}`) : [];
  const base = `The shop refused this order: ${withFullStop(failure.message)}`;
  return fields.length === 0 ? base : `${base} ${fields.join('; ')}.`;
}

// One message: an icon, up to three lines of words, and an optional action on the right. detail is read in full
// by screen readers and shown on hover; the slot has no room for it.
export function Box({ tone, text, status, detail, action }: { tone: Tone; text: string; status?: string; detail?: string; action?: ReactNode }) {
  return (
    <div data-status={status} title={detail === undefined ? text : `${text} ${detail}`} className={`flex h-full items-start gap-2 rounded-lg border px-3 py-2 text-sm ${toneClasses[tone]}`}>
      <span aria-hidden className="mt-px font-semibold">
        {toneIcons[tone]}
      </span>
      <p className="line-clamp-3 min-w-0 flex-1 leading-5 font-medium">
        {text}
        {detail !== undefined && <span className="sr-only"> {detail}</span>}
      </p>
      {action}
    </div>
  );
}

export function ActionButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="shrink-0 self-center rounded-md border border-current/30 bg-white px-3 py-1 text-xs font-semibold whitespace-nowrap hover:bg-white/70 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-slate-900 dark:hover:bg-slate-800"
    >
      {children}
    </button>
  );
}
