// One decided purchase in the feed: who, what, how many, the outcome and why, what was left, and when.
import type { FeedResult } from './feed-results';

export function FeedRow({ result, itemName, arrivedLive }: { result: FeedResult; itemName: string; arrivedLive: boolean }) {
  const succeeded = result.status === 'SUCCEEDED';
  return (
    <li
      data-purchase-id={result.purchaseId}
      // Results that arrive while watching glow for a moment; the ones loaded with the page do not.
      className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 px-4 py-3 transition-colors duration-[1500ms] sm:flex-nowrap sm:px-5 ${arrivedLive ? 'starting:bg-indigo-50' : ''}`}
    >
      <span
        className={`inline-flex w-[5.75rem] shrink-0 items-center justify-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${
          succeeded ? 'bg-emerald-50 text-emerald-700 ring-1 ring-emerald-200 ring-inset' : 'bg-rose-50 text-rose-700 ring-1 ring-rose-200 ring-inset'
        }`}
      >
        <span aria-hidden>{succeeded ? '✓' : '✕'}</span>
        {succeeded ? 'Succeeded' : 'Failed'}
      </span>
      {/* On a phone the time shares the first line with the status and the sentence gets the full width. */}
      <time dateTime={result.decidedAt} className="ml-auto shrink-0 text-xs text-slate-500 tabular-nums sm:order-last">
        {formatDecidedAt(result.decidedAt)}
      </time>
      <div className="w-full min-w-0 sm:w-auto sm:flex-1">
        <p className="text-sm break-words text-slate-900">
          <strong className="font-semibold">{result.purchasedBy}</strong> {succeeded ? 'bought' : 'could not buy'}{' '}
          <span className="font-semibold tabular-nums">{result.quantity.toLocaleString('en-US')} ×</span> {itemName}
        </p>
        <p className="mt-0.5 truncate text-xs text-slate-500 tabular-nums">
          {outcome(result)}
          <span className="font-mono"> · {result.itemId}</span>
        </p>
      </div>
    </li>
  );
}

function outcome(result: FeedResult): string {
  const left = `${result.remaining.toLocaleString('en-US')} left`;
  if (result.status === 'SUCCEEDED') return left;
  switch (result.reason) {
    case 'OUT_OF_STOCK':
      return `Out of stock · ${left}`;
    case 'UNKNOWN_ITEM':
      return 'No such item';
    default: {
      const unreachable: never = result;
      throw new Error(`unknown failure ${JSON.stringify(unreachable)}`);
    }
  }
}

// Local time of day; the date too when it was not today.
function formatDecidedAt(decidedAt: string): string {
  const date = new Date(decidedAt);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${time}`;
}
