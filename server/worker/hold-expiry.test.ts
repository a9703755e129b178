// Goal: the expiry loop's pure part appends each due hold once per retry window, lands it on the hold's item, and forgets old appends.
import { describe, expect, it } from 'vitest';
import { purchaseCreatedMessageSchema } from '../contract';
import type { DueHold } from '../db/stock-store';
import { limits } from '../limits';
import { expireMessage, expiryDueBefore, selectExpiries } from './hold-expiry';

const nowMs = Date.parse('2026-11-26T10:00:00.000Z');
const due = (holdId: string): DueHold => ({ holdId, itemId: `item-${holdId}`, sourcePartition: 1, expiresAt: '2026-11-26T09:59:00.000Z' });

describe('expiryDueBefore', () => {
  it('is the grace before now: a hold is due only holdConfirmGraceMs after its expiresAt', () => {
    expect(Date.parse(expiryDueBefore(nowMs))).toBe(nowMs - limits.holdConfirmGraceMs);
  });
});

describe('selectExpiries', () => {
  it('appends every due hold not appended recently and remembers when', () => {
    const { append, recent } = selectExpiries([due('a'), due('b')], new Map(), nowMs);
    expect(append.map((hold) => hold.holdId)).toEqual(['a', 'b']);
    expect([...recent]).toEqual([
      ['a', nowMs],
      ['b', nowMs],
    ]);
  });

  it('skips a hold appended within holdExpiryRetryMs, and appends it again once that has passed', () => {
    const appendedAt = new Map([['a', nowMs - limits.holdExpiryRetryMs + 1]]);
    expect(selectExpiries([due('a'), due('b')], appendedAt, nowMs).append.map((hold) => hold.holdId)).toEqual(['b']);
    const later = selectExpiries([due('a')], appendedAt, nowMs + 1);
    expect(later.append.map((hold) => hold.holdId)).toEqual(['a']);
    expect(later.recent.get('a')).toBe(nowMs + 1);
  });

  it('forgets appends older than the retry window, so memory stays bounded', () => {
    const { recent } = selectExpiries([], new Map([['old', nowMs - limits.holdExpiryRetryMs]]), nowMs);
    expect(recent.size).toBe(0);
  });

  it('appends at most holdExpiryBatchMax per scan', () => {
    const many = Array.from({ length: limits.holdExpiryBatchMax + 5 }, (_, index) => due(`h${index}`));
    expect(selectExpiries(many, new Map(), nowMs).append).toHaveLength(limits.holdExpiryBatchMax);
  });

  it('appends nothing when nothing is due', () => {
    expect(selectExpiries([], new Map(), nowMs).append).toEqual([]);
  });
});

describe('expireMessage', () => {
  it('is a valid version 2 expire command for the hold and its item, stamped with the scan time', () => {
    const message = expireMessage(due('a'), '2026-11-26T10:00:00.000Z');
    expect(purchaseCreatedMessageSchema.parse(message)).toEqual({ schemaVersion: 2, kind: 'expire', holdId: 'a', itemId: 'item-a', requestedAt: '2026-11-26T10:00:00.000Z' });
  });
});
