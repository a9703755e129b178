'use client';
// A live hold on a card: "Reserved for 9:59", counting down to expiresAt, with Pay and Cancel. Only this
// small part ticks every second; the rest of the card redraws when something really changes.
import { useEffect, useState } from 'react';
import { formatCountdown, secondsLeft, type HoldState } from './hold-state';

const tickMs = 1_000;

type ActiveHold = Extract<HoldState, { phase: 'placing' | 'pending' | 'held' }>;

export function HoldPanel({ state, name, onPay, onCancel }: { state: ActiveHold; name: string; onPay: () => void; onCancel: () => void }) {
  const held = state.phase === 'held' ? state : undefined;
  const busy = held !== undefined && (held.action.kind === 'paying' || held.action.kind === 'cancelling');
  // One row as tall as the Buy row it replaces, so that a hold never makes its card taller than its row.
  return (
    <div role="group" aria-label={`Your reservation of ${name}`} className="flex h-10 items-center gap-2">
      <p className="min-w-0 flex-1 truncate text-sm text-indigo-950 dark:text-indigo-100">
        {held ? <Countdown expiresAt={held.hold.expiresAt} /> : state.phase === 'placing' ? 'Reserving…' : 'Waiting…'}
      </p>
      <button
        type="button"
        onClick={onPay}
        // Marked rather than disabled while busy or not yet held, so keyboard focus stays put; the hook
        // ignores the click meanwhile. It stays enabled at 0:00 (see use-hold.ts for why).
        aria-disabled={held === undefined || busy}
        className={`h-10 rounded-lg px-3 text-sm font-semibold whitespace-nowrap text-white shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
          held === undefined || busy ? 'cursor-progress bg-emerald-600/70' : 'bg-emerald-700 hover:bg-emerald-800 active:bg-emerald-900'
        }`}
      >
        {held?.action.kind === 'paying' ? 'Paying…' : 'Pay'}
        <span className="sr-only"> for {name}</span>
      </button>
      <button
        type="button"
        onClick={onCancel}
        aria-disabled={held === undefined || busy}
        className={`h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm font-semibold whitespace-nowrap text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700 ${
          held === undefined || busy ? 'cursor-progress opacity-70' : ''
        }`}
      >
        {held?.action.kind === 'cancelling' ? 'Cancelling…' : 'Cancel'}
        <span className="sr-only"> reservation of {name}</span>
      </button>
    </div>
  );
}

// The local clock against the server's expiresAt: a browser whose clock is off shows the time off by as
// much, which is why Pay stays enabled at 0:00 and the server's decision is what the card finally says.
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    setNowMs(Date.now());
    const timer = setInterval(() => setNowMs(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [expiresAt]);
  const seconds = secondsLeft(expiresAt, nowMs);
  if (seconds === 0) return <span data-testid="hold-expiring">Expiring…</span>;
  return (
    <span>
      Reserved for{' '}
      <time role="timer" dateTime={`PT${seconds}S`} className="font-semibold tabular-nums">
        {formatCountdown(seconds)}
      </time>
    </span>
  );
}
