// The hold a card is showing, remembered across a reload of the page: only its holdId, per item, in
// localStorage. The state itself is asked of the server again (GET /api/holds/{holdId}), so a hold that
// expired or was paid for while the page was away shows as it is now.
const keyPrefix = 'bps.hold.';

export function savedHoldId(itemId: string): string | undefined {
  try {
    return window.localStorage.getItem(keyPrefix + itemId) ?? undefined;
  } catch {
    // Storage refused (private modes): the hold lives as long as the page.
    return undefined;
  }
}

export function saveHoldId(itemId: string, holdId: string): void {
  try {
    window.localStorage.setItem(keyPrefix + itemId, holdId);
  } catch {
    // As above: without storage, a reload forgets the hold (it still expires on the server).
  }
}

export function forgetHoldId(itemId: string, holdId: string): void {
  try {
    if (window.localStorage.getItem(keyPrefix + itemId) === holdId) window.localStorage.removeItem(keyPrefix + itemId);
  } catch {
    // Nothing was stored.
  }
}
