'use client';
// What happened to the buyer's last purchase, in words, inside the card's live region so screen readers hear it too.
import type { ReactNode } from 'react';
import type { PurchaseResult } from '@/server/contract';
import { sentence, withFullStop } from '@/components/api/describe-failure';
import type { PurchaseState } from './use-purchase';

export type Tone = 'success' | 'failure' | 'waiting' | 'error';

const toneClasses: Record<Tone, string> = {
  success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
  failure: 'border-rose-200 bg-rose-50 text-rose-900',
  waiting: 'border-amber-200 bg-amber-50 text-amber-900',
  error: 'border-rose-200 bg-rose-50 text-rose-900',
};

const toneIcons: Record<Tone, string> = { success: '✓', failure: '✕', waiting: '…', error: '!' };

export function describeResult(result: PurchaseResult, name: string): string {
  if (result.status === 'SUCCEEDED') return `You bought ${result.quantity} × ${name}. ${result.remaining} left.`;
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

// The card's one live region: what happened to the buyer's last purchase or hold, in words. Always
// rendered, so that the region exists before its first message and that message is announced.
export function StatusRegion({ children }: { children: ReactNode }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="mt-3 empty:mt-0">
      {children}
    </div>
  );
}

export function PurchaseMessage({
  state,
  name,
  onRetry,
  onCheckAgain,
}: {
  state: PurchaseState;
  name: string;
  onRetry: () => void;
  onCheckAgain: () => void;
}) {
  return state.phase === 'idle' ? null : <Message state={state} name={name} onRetry={onRetry} onCheckAgain={onCheckAgain} />;
}

function Message({ state, name, onRetry, onCheckAgain }: { state: Exclude<PurchaseState, { phase: 'idle' }>; name: string; onRetry: () => void; onCheckAgain: () => void }) {
  switch (state.phase) {
    case 'sending':
      return <Box tone="waiting" text={`Buying ${state.attempt.quantity} × ${name}…`} />;
    case 'pending':
      return <Box tone="waiting" text="Pending… your order is in the queue; the result appears here as soon as it is decided." />;
    case 'decided':
      return (
        <Box tone={state.result.status === 'FAILED' ? 'failure' : 'success'} text={describeResult(state.result, name)} status={state.result.status} />
      );
    case 'refused':
      return (
        <Box tone="error" text={`The shop refused this order: ${withFullStop(state.failure.message)}`}>
          {state.failure.kind === 'invalid' && Object.keys(state.failure.fields).length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {Object.entries(state.failure.fields).map(([field, problem]) => (
                <li key={field}>
                  <span className="font-mono">{field}</span>: {problem}
                </li>
              ))}
            </ul>
          )}
        </Box>
      );
    case 'unavailable':
      return (
        <Box tone="error" text="Couldn’t confirm your order: it may or may not have gone through.">
          <p className="mt-1 text-xs">
            {sentence(state.message)} Trying again is safe: the same order can never be bought twice.
          </p>
          <ActionButton onClick={onRetry}>Try again</ActionButton>
        </Box>
      );
    case 'undecided':
      return (
        <Box tone="waiting" text="Still waiting for a decision. It will show here and in the live feed.">
          <ActionButton onClick={onCheckAgain}>Check again</ActionButton>
        </Box>
      );
    default: {
      const unreachable: never = state;
      throw new Error(`unknown purchase state ${JSON.stringify(unreachable)}`);
    }
  }
}

export function Box({ tone, text, status, children }: { tone: Tone; text: string; status?: string; children?: ReactNode }) {
  return (
    <div data-status={status} className={`flex gap-2 rounded-lg border px-3 py-2 text-sm ${toneClasses[tone]}`}>
      <span aria-hidden className="mt-px font-semibold">
        {toneIcons[tone]}
      </span>
      <div className="min-w-0">
        <p className="font-medium">{text}</p>
        {children}
      </div>
    </div>
  );
}

export function ActionButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="mt-2 rounded-md border border-current/30 bg-white px-3 py-1 text-xs font-semibold hover:bg-white/70 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      {children}
    </button>
  );
}
