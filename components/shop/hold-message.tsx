'use client';
// What became of the buyer's hold, in words, for the card's live region. The countdown itself is not here:
// read out every second it would drown everything else (it is a timer, hold-panel.tsx).
import { sentence, withFullStop } from '@/components/api/describe-failure';
import { ActionButton, Box } from './purchase-message';
import type { HoldState } from './hold-state';

export function HoldMessage({ state, name, onRetry }: { state: Exclude<HoldState, { phase: 'idle' }>; name: string; onRetry: () => void }) {
  switch (state.phase) {
    case 'placing':
      return <Box tone="waiting" text={`Reserving ${state.request.quantity} × ${name}…`} />;
    case 'pending':
      return <Box tone="waiting" text="Pending… your reservation is in the queue; it shows here as soon as it is decided." />;
    case 'held':
      return <HeldMessage state={state} name={name} />;
    case 'confirmed':
      return <Box tone="success" status="CONFIRMED" text={`Paid: you bought ${state.hold.quantity} × ${name}.`} />;
    case 'expired':
      return (
        <Box
          tone="failure"
          status="EXPIRED"
          text={
            state.paidTooLate
              ? 'Hold expired: the copies were released. Your payment came too late, so nothing was bought.'
              : 'Hold expired: the copies were released.'
          }
        />
      );
    case 'cancelled':
      return <Box tone="failure" status="CANCELLED" text="Reservation cancelled: the copies were released." />;
    case 'failed':
      return <Box tone="failure" status="FAILED" text={failedText(state.hold.reason, state.hold.remaining, state.hold.quantity)} />;
    case 'refused':
      return state.failure.kind === 'rate-limited' ? (
        <Box tone="error" status="RATE_LIMITED" text="Too many active holds from your address: pay for or cancel one first.">
          <p className="mt-1 text-xs">
            {sentence(state.failure.message)} Try again in {state.failure.retryAfterSeconds} s.
          </p>
        </Box>
      ) : (
        <Box tone="error" text={`The shop refused this reservation: ${withFullStop(state.failure.message)}`} />
      );
    case 'unavailable':
      return (
        <Box tone="error" text="Couldn’t reserve: the reservation may or may not have been made.">
          <p className="mt-1 text-xs">{sentence(state.message)} Trying again is safe: it can only ever reserve once.</p>
          <ActionButton onClick={onRetry}>Try again</ActionButton>
        </Box>
      );
    default: {
      const unreachable: never = state;
      throw new Error(`unknown hold state ${JSON.stringify(unreachable)}`);
    }
  }
}

function HeldMessage({ state, name }: { state: Extract<HoldState, { phase: 'held' }>; name: string }) {
  const { action, hold } = state;
  switch (action.kind) {
    case 'none':
      return <Box tone="waiting" status="HELD" text={`${hold.quantity} × ${name} reserved for you: pay before the time runs out.`} />;
    case 'paying':
      return <Box tone="waiting" status="HELD" text={action.waiting ? 'Payment is in the queue; the result shows here as soon as it is decided.' : 'Paying…'} />;
    case 'cancelling':
      return <Box tone="waiting" status="HELD" text={action.waiting ? 'Cancelling… in the queue.' : 'Cancelling…'} />;
    case 'problem':
      return <Box tone="error" status="HELD" text={action.message} />;
    default: {
      const unreachable: never = action;
      throw new Error(`unknown hold action ${JSON.stringify(unreachable)}`);
    }
  }
}

function failedText(reason: 'OUT_OF_STOCK' | 'UNKNOWN_ITEM' | 'ITEM_ARCHIVED' | null, remaining: number, quantity: number): string {
  switch (reason) {
    case 'OUT_OF_STOCK':
      return remaining === 0
        ? 'Could not reserve: sold out before your turn — none left.'
        : `Could not reserve: only ${remaining} left, you asked for ${quantity}.`;
    case 'UNKNOWN_ITEM':
      return 'Could not reserve: this item no longer exists.';
    case 'ITEM_ARCHIVED':
      return 'Could not reserve: this item is no longer sold.';
    case null:
      return 'Could not reserve this item.';
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown failure ${JSON.stringify(unreachable)}`);
    }
  }
}
