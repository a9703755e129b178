// One step in the feed: a decided purchase, a refund, or a hold's step (reserved, expired, cancelled, could
// not be placed). Each says who, what, how many, the outcome with a label of its own, and when.
import type { LiveHold, LiveResult } from '@/server/contract';

type FailureReason = NonNullable<LiveHold['reason']>;
import { feedTimeOf, isHoldResult, type FeedResult } from './feed-results';

type Tone = 'success' | 'failure' | 'neutral' | 'hold';

const toneClasses: Record<Tone, string> = {
  success: 'bg-emerald-50 dark:bg-emerald-950 text-emerald-700 dark:text-emerald-300 ring-emerald-200 dark:ring-emerald-800',
  failure: 'bg-rose-50 dark:bg-rose-950 text-rose-700 dark:text-rose-300 ring-rose-200 dark:ring-rose-800',
  neutral: 'bg-slate-100 dark:bg-slate-800 text-slate-700 dark:text-slate-300 ring-slate-300 dark:ring-slate-600',
  hold: 'bg-indigo-50 dark:bg-indigo-950 text-indigo-700 dark:text-indigo-300 ring-indigo-200 dark:ring-indigo-800',
};

type Shown = { label: string; icon: string; tone: Tone; who: string; verb: string; outcome: string };

// total: the sale's total as money, for a purchase that has one (null for a hold, a failure or an unpriced item).
export function FeedRow({ result, itemName, total, arrivedLive, paidHold }: { result: FeedResult; itemName: string; total: string | null; arrivedLive: boolean; paidHold: boolean }) {
  const shown = isHoldResult(result) ? holdStep(result) : purchaseStep(result, paidHold);
  const time = feedTimeOf(result);
  const rowIds = isHoldResult(result)
    ? { 'data-hold-id': result.holdId, 'data-hold-status': result.status }
    : result.status === 'REFUNDED'
      ? { 'data-refund-id': result.purchaseId }
      : { 'data-purchase-id': result.purchaseId };
  return (
    <li
      {...rowIds}
      // Results that arrive while watching glow for a moment; the ones loaded with the page do not.
      className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 px-4 py-3 transition-colors duration-[1500ms] sm:flex-nowrap sm:px-5 ${arrivedLive ? 'starting:bg-indigo-50' : ''}`}
    >
      <span className={`inline-flex w-[5.75rem] shrink-0 items-center justify-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${toneClasses[shown.tone]}`}>
        <span aria-hidden>{shown.icon}</span>
        {shown.label}
      </span>
      {/* On a phone the time shares the first line with the status and the sentence gets the full width. */}
      <time dateTime={time} className="ml-auto shrink-0 text-xs text-slate-600 dark:text-slate-400 tabular-nums sm:order-last">
        {formatTime(time)}
      </time>
      <div className="w-full min-w-0 sm:w-auto sm:flex-1">
        <p className="text-sm break-words text-slate-900 dark:text-slate-50">
          <strong className="font-semibold">{shown.who}</strong> {shown.verb}{' '}
          <span className="font-semibold tabular-nums">{result.quantity.toLocaleString('en-US')} ×</span> {itemName}
        </p>
        <p className="mt-0.5 truncate text-xs text-slate-600 dark:text-slate-400 tabular-nums">
          {total !== null && <span className="font-semibold text-slate-800 dark:text-slate-200">{total} · </span>}
          {shown.outcome}
          <span className="font-mono"> · {result.itemId}</span>
        </p>
      </div>
    </li>
  );
}

function purchaseStep(result: LiveResult, paidHold: boolean): Shown {
  const left = `${result.remaining.toLocaleString('en-US')} left`;
  switch (result.status) {
    case 'SUCCEEDED':
      // A confirmed hold's purchase: the buyer reserved first, then paid.
      return paidHold
        ? { label: 'Paid', icon: '✓', tone: 'success', who: result.purchasedBy, verb: 'paid for reserved', outcome: `Reservation confirmed · ${left}` }
        : { label: 'Succeeded', icon: '✓', tone: 'success', who: result.purchasedBy, verb: 'bought', outcome: left };
    case 'REFUNDED':
      return { label: 'Refunded', icon: '↩', tone: 'neutral', who: result.purchasedBy, verb: 'was refunded for', outcome: 'Refunded by the seller · the copies are back on sale' };
    case 'FAILED':
      return {
        label: 'Failed',
        icon: '✕',
        tone: 'failure',
        who: result.purchasedBy,
        verb: 'could not buy',
        outcome: failureWords(result.reason, left),
      };
    default: {
      const unreachable: never = result;
      throw new Error(`unknown purchase ${JSON.stringify(unreachable)}`);
    }
  }
}

function holdStep(hold: LiveHold): Shown {
  const left = `${hold.remaining.toLocaleString('en-US')} left`;
  switch (hold.status) {
    case 'HELD':
      return { label: 'Reserved', icon: '⏳', tone: 'hold', who: hold.heldBy, verb: 'reserved', outcome: `Until ${formatTime(hold.expiresAt)} · ${left}` };
    case 'EXPIRED':
      return { label: 'Expired', icon: '⌛', tone: 'neutral', who: hold.heldBy, verb: 'did not pay in time for', outcome: `Hold expired: the copies were released · ${left}` };
    case 'CANCELLED':
      return { label: 'Cancelled', icon: '↩', tone: 'neutral', who: hold.heldBy, verb: 'cancelled the reservation of', outcome: `The copies were released · ${left}` };
    case 'CONFIRMED':
      return { label: 'Paid', icon: '✓', tone: 'success', who: hold.heldBy, verb: 'paid for reserved', outcome: `Reservation confirmed · ${left}` };
    case 'FAILED':
      return {
        label: 'Not reserved',
        icon: '✕',
        tone: 'failure',
        who: hold.heldBy,
        verb: 'could not reserve',
        outcome: failureWords(hold.reason ?? 'OUT_OF_STOCK', left),
      };
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${JSON.stringify(unreachable)}`);
    }
  }
}

function failureWords(reason: FailureReason, left: string): string {
  switch (reason) {
    case 'OUT_OF_STOCK':
      return `Out of stock · ${left}`;
    case 'UNKNOWN_ITEM':
      return 'No such item';
    case 'ITEM_ARCHIVED':
      return 'No longer sold';
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown failure reason ${JSON.stringify(unreachable)}`);
    }
  }
}

// Local time of day; the date too when it was not today.
function formatTime(moment: string): string {
  const date = new Date(moment);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${time}`;
}
