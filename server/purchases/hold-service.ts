// The hold use cases behind the REST API (book now, pay later): record the hold request under the client
// address's bounds, append its command, and wait for the worker's decision; confirm and cancel append their
// command only while the hold is not final, so a repeat is answered from the stored state. A 2xx is only ever
// given for an appended command or a decided hold.
import { randomUUID } from 'node:crypto';
import type { ClientSlots } from '../client-slots';
import {
  purchaseCreatedMessageSchema,
  purchaseCreatedSchemaVersion,
  type ConfirmResult,
  type HoldBody,
  type HoldResult,
  type HoldView,
  type PurchaseResult,
} from '../contract';
import { findHoldRequest, findHoldResults, forgetHoldRequest, insertHoldRequest, type HoldRequestRow } from '../db/hold-store';
import { findPurchaseResults } from '../db/purchase-store';
import type { BatchingProducer } from '../kafka/batching-producer';
import { encodeMessage } from '../kafka/messages';
import { topics } from '../kafka/topics';
import { appendAndWait } from './append-and-wait';
import type { ResultWaiters } from './waiters';

export type HoldOutcome =
  | { kind: 'decided'; result: HoldResult }
  | { kind: 'pending'; holdId: string }
  // The holdId is taken by another hold's body or by a purchase: nothing was appended.
  | { kind: 'conflict'; holdId: string; takenBy: 'hold' | 'purchase' }
  // The client address is over a bound against scalping: nothing was recorded or appended.
  | { kind: 'over-bound'; bound: 'holds' | 'units'; max: number }
  // The client already holds its share of blocking waiters: nothing was recorded or appended.
  | { kind: 'too-many-waiters'; waitersMax: number };

// A confirm or cancel: decided (the hold is final), pending (appended, or the hold is not decided yet, when
// the wait ended), or unknown (no such hold: nothing was appended).
export type HoldStepOutcome<Result> = { kind: 'decided'; result: Result } | { kind: 'pending'; holdId: string } | { kind: 'unknown' };

export type HoldService = {
  // client: the network address the request came from, for the bounds and the per-client waiter slots.
  placeHold(input: HoldBody, waitMs: number, client: string): Promise<HoldOutcome>;
  findHold(holdId: string): Promise<HoldView | undefined>;
  confirm(holdId: string, waitMs: number, client: string): Promise<HoldStepOutcome<ConfirmResult>>;
  cancel(holdId: string, waitMs: number, client: string): Promise<HoldStepOutcome<HoldResult>>;
};

// From config: the default ttl and the bounds per client address; clientWaitersMax is the per-process share
// of CLIENT_WAITERS_MAX that waiterSlots counts.
export type HoldSettings = { ttlSecondsDefault: number; holdsPerClientMax: number; heldUnitsPerClientMax: number; clientWaitersMax: number };

export function isFinalHold(hold: HoldResult): boolean {
  return hold.status !== 'HELD';
}

// What a confirm answers once its hold is final. A CONFIRMED hold is the purchase holdId, written with it in
// one batch transaction, so the purchase is always there to be read with it.
export function confirmResultOf(hold: HoldResult, purchase: PurchaseResult | undefined): ConfirmResult {
  switch (hold.status) {
    case 'CONFIRMED':
      if (!purchase) throw new Error(`hold ${hold.holdId} is CONFIRMED but its purchase is not stored`);
      return { holdId: hold.holdId, status: 'CONFIRMED', hold, purchase };
    case 'EXPIRED':
      return { holdId: hold.holdId, status: 'FAILED', reason: 'HOLD_EXPIRED', hold };
    case 'CANCELLED':
      return { holdId: hold.holdId, status: 'FAILED', reason: 'HOLD_CANCELLED', hold };
    case 'FAILED':
      return { holdId: hold.holdId, status: 'FAILED', reason: 'HOLD_FAILED', hold };
    case 'HELD':
      throw new Error(`hold ${hold.holdId} is not final; a confirm answers only final holds`);
    default: {
      const unreachable: never = hold.status;
      throw new Error(`unknown hold status ${String(unreachable)}`);
    }
  }
}

function ttlMsOf(request: HoldRequestRow): number {
  return Date.parse(request.expiresAt) - Date.parse(request.createdAt);
}

// The same hold: same item, quantity, holder and ttl (the stamps differ between a request and its repeat).
export function sameHold(stored: HoldRequestRow, request: HoldRequestRow): boolean {
  return stored.itemId === request.itemId && stored.quantity === request.quantity && stored.heldBy === request.heldBy && ttlMsOf(stored) === ttlMsOf(request);
}

function holdRecord(request: HoldRequestRow): { key: string; value: Buffer } {
  const { holdId, itemId, quantity, heldBy, createdAt, expiresAt } = request;
  return {
    key: itemId,
    value: encodeMessage(purchaseCreatedMessageSchema, { schemaVersion: purchaseCreatedSchemaVersion, kind: 'hold', holdId, itemId, quantity, heldBy, createdAt, expiresAt }),
  };
}

// A confirm or cancel, stamped now.
function stepRecord(kind: 'confirm' | 'cancel', request: HoldRequestRow): { key: string; value: Buffer } {
  const message = { schemaVersion: purchaseCreatedSchemaVersion, kind, holdId: request.holdId, itemId: request.itemId, requestedAt: new Date().toISOString() };
  return { key: request.itemId, value: encodeMessage(purchaseCreatedMessageSchema, message) };
}

export function createHoldService(producer: BatchingProducer, waiters: ResultWaiters, waiterSlots: ClientSlots, settings: HoldSettings): HoldService {
  const bounds = { holdsMax: settings.holdsPerClientMax, heldUnitsMax: settings.heldUnitsPerClientMax };

  async function storedHold(holdId: string): Promise<HoldResult | undefined> {
    return (await findHoldResults([holdId]))[0];
  }

  async function placeHold(input: HoldBody, waitMs: number, client: string): Promise<HoldOutcome> {
    if (waitMs <= 0) return record(input, 0, client);
    const release = waiterSlots.take(client);
    if (!release) return { kind: 'too-many-waiters', waitersMax: settings.clientWaitersMax };
    try {
      return await record(input, waitMs, client);
    } finally {
      release();
    }
  }

  async function record(input: HoldBody, waitMs: number, client: string): Promise<HoldOutcome> {
    const createdAt = Date.now();
    const ttlSeconds = input.ttlSeconds ?? settings.ttlSecondsDefault;
    const request: HoldRequestRow = {
      holdId: input.holdId ?? randomUUID(),
      itemId: input.itemId,
      quantity: input.quantity,
      heldBy: input.heldBy,
      createdAt: new Date(createdAt).toISOString(),
      expiresAt: new Date(createdAt + ttlSeconds * 1000).toISOString(),
    };
    // Waiting starts before the command is appended: the decision can arrive before the append's acknowledgement.
    const wait = waitMs > 0 ? waiters.holds.wait(request.holdId, waitMs) : undefined;
    try {
      const intake = await insertHoldRequest(request, client, bounds);
      if (intake.kind === 'taken-by-purchase') return { kind: 'conflict', holdId: request.holdId, takenBy: 'purchase' };
      if (intake.kind === 'over-bound') {
        return { kind: 'over-bound', bound: intake.bound, max: intake.bound === 'holds' ? bounds.holdsMax : bounds.heldUnitsMax };
      }
      if (!sameHold(intake.stored, request)) return { kind: 'conflict', holdId: request.holdId, takenBy: 'hold' };
      if (!intake.inserted) {
        const decided = await storedHold(request.holdId);
        if (decided) return { kind: 'decided', result: decided };
      }
      try {
        // Appended again for a repeated request not decided yet: if its first append failed, this one carries
        // it; if not, the worker recognises the holdId and publishes the hold as it stands. The stored row's
        // stamps go with it, so every copy has the same expiresAt.
        await producer.send(topics.purchaseCreated, holdRecord(intake.stored));
      } catch (error) {
        // Nothing was promised: the client gets an error and may retry with the same holdId.
        if (intake.inserted) await forgetHoldRequest(request.holdId).catch(() => undefined);
        throw error;
      }
      if (!wait) return { kind: 'pending', holdId: request.holdId };
      const result = (await wait.result) ?? (await storedHold(request.holdId));
      return result ? { kind: 'decided', result } : { kind: 'pending', holdId: request.holdId };
    } finally {
      wait?.cancel();
    }
  }

  async function findHold(holdId: string): Promise<HoldView | undefined> {
    const decided = await storedHold(holdId);
    if (decided) return decided;
    const request = await findHoldRequest(holdId);
    return request ? { ...request, status: 'PENDING' } : undefined;
  }

  // Appends the step unless the hold is final already; the answer is the hold's final state, or pending.
  async function step(kind: 'confirm' | 'cancel', holdId: string, waitMs: number, client: string): Promise<HoldStepOutcome<HoldResult>> {
    const request = await findHoldRequest(holdId);
    if (!request) return { kind: 'unknown' };
    const current = await storedHold(holdId);
    if (current && isFinalHold(current)) return { kind: 'decided', result: current };
    const final = await appendAndWait({
      producer,
      waiterSlots,
      client,
      table: waiters.holds,
      id: holdId,
      waitMs,
      accepts: isFinalHold,
      record: () => stepRecord(kind, request),
      stored: () => storedHold(holdId),
    });
    return final ? { kind: 'decided', result: final } : { kind: 'pending', holdId };
  }

  async function confirm(holdId: string, waitMs: number, client: string): Promise<HoldStepOutcome<ConfirmResult>> {
    const outcome = await step('confirm', holdId, waitMs, client);
    if (outcome.kind !== 'decided') return outcome;
    const hold = outcome.result;
    const purchase = hold.status === 'CONFIRMED' ? (await findPurchaseResults([holdId]))[0] : undefined;
    return { kind: 'decided', result: confirmResultOf(hold, purchase) };
  }

  return { placeHold, findHold, confirm, cancel: (holdId, waitMs, client) => step('cancel', holdId, waitMs, client) };
}
