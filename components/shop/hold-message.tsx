'use client';
// What became of the buyer's hold, in words, for the card's message slot (and, through describeHold, for the
// site's notices). The countdown itself is not here: it is a timer (hold-panel.tsx), never read out each second.
import { sentence, withFullStop } from '@/components/api/describe-failure';
import type { HoldResult } from '@/server/contract';
import type { Currency } from './price';
import { ActionButton, Box, chargedText, holdTotal } from './purchase-message';
import type { HoldState } from './hold-state';

// A decided hold in one sentence, for the notices and "My purchases".
export function describeHold(hold: HoldResult, name: string, currency: Currency): string {
  switch (hold.status) {
    case 'HELD':
      return `${hold.quantity} × ${name} reserved for you: pay before the time runs out.`;
    case 'CONFIRMED':
      return `Paid: you bought ${hold.quantity} × ${name}. ${chargedText(holdTotal(hold), currency)}`;
    case 'EXPIRED':
      return 'Hold expired: the copies were released.';
    case 'CANCELLED':
      return 'Reservation cancelled: the copies were released.';
    case 'FAILED':
      return failedText(hold.reason, hold.remaining, hold.quantity);
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${JSON.stringify(unreachable)}`);
    }
  }
}

export function HoldMessage({ state, name, currency, onRetry }: { state: Exclude<HoldState, { phase: 'idle' }>; name: string; currency: Currency; onRetry: () => void }) {
  switch (state.phase) {
    case 'placing':
      return <Box tone="waiting" text={`Reserving ${state.request.quantity} × ${name}…`} />;
    case 'pending':
      return <Box tone="waiting" text="Pending… your reservation is in the queue; it shows here as soon as it is decided." />;
    case 'held':
      return <HeldMessage state={state} name={name} />;
    case 'confirmed':
      return <Box tone="success" status="CONFIRMED" text={describeHold(state.hold, name, currency)} />;
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
        <Box
          tone="error"
          status="RATE_LIMITED"
          text="Too many active holds from your address: pay for or cancel one first."
          detail={`${sentence(state.failure.message)} Try again in ${state.failure.retryAfterSeconds} s.`}
        />
      ) : (
        <Box tone="error" text={`The shop refused this reservation: ${withFullStop(state.failure.message)}`} />
      );
    case 'unavailable':
      return (
        <Box
          tone="error"
          text="Couldn’t reserve: the reservation may or may not have been made."
          detail={`${sentence(state.message)} Trying again is safe: it can only ever reserve once.`}
          action={<ActionButton onClick={onRetry}>Try again</ActionButton>}
        />
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

function failedText(reason: HoldResult['reason'], remaining: number, quantity: number): string {
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
