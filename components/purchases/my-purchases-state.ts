// "My purchases" without React: the lookup's answer and live results merged per id, in the order the ids
// were kept (newest first). A decided purchase or hold is never taken back to PENDING by a slower answer,
// and a final hold never back to HELD: the server's later states only move forward. Pure.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { HoldResult, HoldView, PurchaseLookup, PurchaseResult, PurchaseView } from '../../server/contract';
import type { KeptId } from './purchase-ids';

export type Known = { kind: 'purchase'; view: PurchaseView } | { kind: 'hold'; view: HoldView };
export type KnownById = ReadonlyMap<string, Known>;

export function idOf(known: Known): string {
  return known.kind === 'purchase' ? known.view.purchaseId : known.view.holdId;
}

// How far along a view is: a later stage never gives way to an earlier one.
function stage(known: Known): number {
  const status = known.view.status;
  if (status === 'PENDING') return 0;
  if (status === 'HELD') return 1;
  if (status === 'REFUNDED') return 3;
  return 2;
}

export function withKnown(known: KnownById, arrived: readonly Known[]): KnownById {
  const next = new Map(known);
  for (const entry of arrived) {
    const id = idOf(entry);
    const before = next.get(id);
    if (before === undefined || stage(entry) >= stage(before)) next.set(id, entry);
  }
  return next;
}

export function knownOfLookup(lookup: PurchaseLookup): Known[] {
  return lookup.map((entry) => (entry.kind === 'purchase' ? { kind: 'purchase', view: entry.purchase } : { kind: 'hold', view: entry.hold }));
}

export function knownOfResult(result: PurchaseResult): Known {
  return { kind: 'purchase', view: result };
}

export function knownOfHold(hold: HoldResult): Known {
  return { kind: 'hold', view: hold };
}

export type Row = { kept: KeptId; known: Known | undefined };

// The kept ids, newest first, each with what the server said of it (undefined: not known to the server, or
// not asked yet).
export function rowsOf(kept: readonly KeptId[], known: KnownById): Row[] {
  return kept.map((entry) => ({ kept: entry, known: known.get(entry.id) }));
}

// What a row charged or will charge: a purchase's recorded total; a hold's fixed unit price × quantity,
// charged when paid. null when there is no price (or nothing was bought).
export function totalOf(known: Known): number | null {
  if (known.kind === 'purchase') return known.view.status === 'PENDING' ? null : known.view.total;
  const hold = known.view;
  if (hold.status === 'PENDING' || hold.unitPrice === null) return null;
  return hold.status === 'HELD' || hold.status === 'CONFIRMED' ? hold.unitPrice * hold.quantity : null;
}

// Holds to follow live (their room): those that may still change.
export function activeHoldIds(known: KnownById, kept: readonly KeptId[]): string[] {
  return kept.filter((entry) => {
    if (entry.kind !== 'hold') return false;
    const view = known.get(entry.id)?.view;
    return view === undefined || view.status === 'PENDING' || view.status === 'HELD';
  }).map((entry) => entry.id);
}
