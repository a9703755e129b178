// Goal: a card's hold follows every answer and event to the one right state, final states stay final, and the countdown reads like a ticket shop's.
import { describe, expect, it } from 'vitest';
import type { HoldResult } from '../../server/contract';
import type { HoldRequest } from '../api/api-client';
import { applyConfirm, applyHold, formatCountdown, isActive, secondsLeft, withAction, type HoldState } from './hold-state';

const request: HoldRequest = { holdId: 'h-1', itemId: 'dune', quantity: 2, heldBy: 'Ann' };
const held: HoldResult = {
  holdId: 'h-1',
  itemId: 'dune',
  quantity: 2,
  heldBy: 'Ann',
  status: 'HELD',
  unitPrice: null,
  reason: null,
  remaining: 1,
  createdAt: '2026-11-26T10:00:00.000Z',
  expiresAt: '2026-11-26T10:10:00.000Z',
  decidedAt: '2026-11-26T10:00:00.050Z',
  resultMessage: 'Ann holds 2 × dune.',
};
const placing: HoldState = { phase: 'placing', request };
const holding = applyHold(placing, held);

describe('applyHold', () => {
  it('given HELD for the hold being placed, holds it with nothing being done', () => {
    expect(holding).toEqual({ phase: 'held', request, hold: held, action: { kind: 'none' } });
    expect(isActive(holding)).toBe(true);
  });

  it('given each final state, ends there', () => {
    expect(applyHold(holding, { ...held, status: 'CONFIRMED' }).phase).toBe('confirmed');
    expect(applyHold(holding, { ...held, status: 'CANCELLED' }).phase).toBe('cancelled');
    expect(applyHold(holding, { ...held, status: 'EXPIRED' })).toMatchObject({ phase: 'expired', paidTooLate: false });
    const failed = applyHold(placing, { ...held, status: 'FAILED', reason: 'OUT_OF_STOCK', remaining: 0 });
    expect(failed).toMatchObject({ phase: 'failed', hold: { reason: 'OUT_OF_STOCK' } });
    expect(isActive(failed)).toBe(false);
  });

  it('given a late HELD after a final state, stays final', () => {
    const expired = applyHold(holding, { ...held, status: 'EXPIRED' });
    expect(applyHold(expired, held)).toBe(expired);
    expect(applyHold(expired, { ...held, status: 'CONFIRMED' })).toBe(expired);
  });

  it('given another hold\'s event, or no hold at all, changes nothing', () => {
    expect(applyHold(holding, { ...held, holdId: 'h-2', status: 'EXPIRED' })).toBe(holding);
    const idle: HoldState = { phase: 'idle' };
    expect(applyHold(idle, held)).toBe(idle);
  });

  it('given a repeated HELD while paying, keeps paying', () => {
    const paying = withAction(holding, { kind: 'paying', waiting: false });
    expect(applyHold(paying, held)).toMatchObject({ phase: 'held', action: { kind: 'paying' } });
  });
});

describe('applyConfirm', () => {
  const purchase = {
    purchaseId: 'h-1',
    itemId: 'dune',
    quantity: 2,
    purchasedBy: 'Ann',
    remaining: 1,
    resultMessage: 'Ann bought 2 × dune; 1 left.',
    createdAt: held.createdAt,
    decidedAt: '2026-11-26T10:01:00.000Z',
    status: 'SUCCEEDED' as const,
    reason: null,
    unitPrice: null,
    total: null,
  };

  it('given CONFIRMED, is confirmed', () => {
    expect(applyConfirm(holding, { holdId: 'h-1', status: 'CONFIRMED', hold: { ...held, status: 'CONFIRMED' }, purchase }).phase).toBe('confirmed');
  });

  it('given a Pay that lost to the clock, is expired, saying the payment came too late', () => {
    const late = applyConfirm(holding, { holdId: 'h-1', status: 'FAILED', reason: 'HOLD_EXPIRED', hold: { ...held, status: 'EXPIRED' } });
    expect(late).toMatchObject({ phase: 'expired', paidTooLate: true });
  });

  it('given a Pay on a cancelled hold, is cancelled', () => {
    expect(applyConfirm(holding, { holdId: 'h-1', status: 'FAILED', reason: 'HOLD_CANCELLED', hold: { ...held, status: 'CANCELLED' } }).phase).toBe('cancelled');
  });
});

describe('withAction', () => {
  it('marks only a HELD hold', () => {
    expect(withAction(placing, { kind: 'cancelling', waiting: false })).toBe(placing);
    expect(withAction(holding, { kind: 'problem', message: 'no answer' })).toMatchObject({ action: { kind: 'problem', message: 'no answer' } });
  });
});

describe('the countdown', () => {
  const expiresMs = Date.parse(held.expiresAt);

  it('reads 9:59 just after a ten-minute hold was placed, and 0:00 at and after expiry', () => {
    expect(formatCountdown(secondsLeft(held.expiresAt, expiresMs - 600_000 + 50))).toBe('9:59');
    expect(formatCountdown(secondsLeft(held.expiresAt, expiresMs - 7_400))).toBe('0:07');
    expect(secondsLeft(held.expiresAt, expiresMs)).toBe(0);
    expect(secondsLeft(held.expiresAt, expiresMs + 5_000)).toBe(0);
  });

  it('formats hours, and never a negative time', () => {
    expect(formatCountdown(3_600)).toBe('1:00:00');
    expect(formatCountdown(3_599)).toBe('59:59');
    expect(formatCountdown(-3)).toBe('0:00');
  });
});
