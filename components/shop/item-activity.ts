// An item page's recent activity: the purchases of that one item, newest first, from the feed's catch-up and
// from live results, each purchase once (its latest status wins: a refund replaces the sale). Pure.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { PurchaseResult } from '../../server/contract';

export const itemActivityMax = 10;

// A later status of the same purchase replaces the earlier one (SUCCEEDED, then REFUNDED); the list stays
// newest decision first, at most itemActivityMax.
export function withActivity(shown: readonly PurchaseResult[], arrived: readonly PurchaseResult[], itemId: string): PurchaseResult[] {
  const byId = new Map(shown.map((result) => [result.purchaseId, result]));
  for (const result of arrived) {
    if (result.itemId !== itemId) continue;
    const known = byId.get(result.purchaseId);
    if (known === undefined || rank(result) >= rank(known)) byId.set(result.purchaseId, result);
  }
  return [...byId.values()].sort((left, right) => right.decidedAt.localeCompare(left.decidedAt) || right.purchaseId.localeCompare(left.purchaseId)).slice(0, itemActivityMax);
}

// A refund comes after its sale, whatever order the two arrive in.
function rank(result: PurchaseResult): number {
  return result.status === 'REFUNDED' ? 1 : 0;
}
