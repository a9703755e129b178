// The seller's sign-in, sign-out and authentication, on top of the session store and the sign-in limits: the
// application layer between the route handlers and Postgres. Read, decide (sign-in-policy.ts), write.
import { createSession, isActiveSession, revokeSession } from '../db/session-store';
import { pruneIdleAddressThrottles, withLockedThrottles } from '../db/sign-in-store';
import { hasSellerToken } from './seller';
import { isSellerPassword, newSessionToken, readCookie, sessionCookieHeader, sessionCookieName, sessionMaxAgeSeconds, sessionTokenDigest } from './session';
import { accountScope, addressScope, afterAccountFailure, afterAddressFailure, signInPolicy, signInWaitMs } from './sign-in-policy';

// How a request proves it is the seller: the bearer token (API clients), the session cookie (the dashboard),
// or not at all. The route wrapper asks cookie-authenticated writes for their origin too (CSRF).
export type SellerAuthentication = 'bearer' | 'session' | 'none';

export type SignInOutcome =
  | { kind: 'signed-in'; cookie: string }
  | { kind: 'wrong-password' }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

export async function authenticateSeller(headers: Headers): Promise<SellerAuthentication> {
  if (hasSellerToken(headers.get('authorization'))) return 'bearer';
  return (await hasSellerSession(readCookie(headers.get('cookie'), sessionCookieName))) ? 'session' : 'none';
}

export async function hasSellerSession(cookieValue: string | undefined): Promise<boolean> {
  const digest = sessionTokenDigest(cookieValue);
  return digest !== undefined && isActiveSession(digest);
}

type Decision = { kind: 'rate-limited'; retryAfterSeconds: number } | { kind: 'wrong-password' } | { kind: 'right-password' };

export async function signIn(password: string, address: string, nowMs: number): Promise<SignInOutcome> {
  const addressKey = addressScope(address);
  const decision = await withLockedThrottles<Decision>([accountScope, addressKey], (throttles) => {
    const account = throttles.get(accountScope);
    const byAddress = throttles.get(addressKey);
    const waitMs = signInWaitMs(account, byAddress, nowMs);
    if (waitMs > 0) return { result: { kind: 'rate-limited', retryAfterSeconds: Math.ceil(waitMs / 1000) }, writes: new Map() };
    if (!isSellerPassword(password)) {
      const writes = new Map([
        [accountScope, afterAccountFailure(account, nowMs)],
        [addressKey, afterAddressFailure(byAddress, nowMs)],
      ]);
      return { result: { kind: 'wrong-password' }, writes };
    }
    return { result: { kind: 'right-password' }, writes: new Map([[accountScope, null], [addressKey, null]]) };
  });
  switch (decision.kind) {
    case 'rate-limited':
      return decision;
    case 'wrong-password':
      await pruneIdleAddressThrottles(nowMs - signInPolicy.addressWindowMs);
      return decision;
    case 'right-password': {
      const token = newSessionToken();
      // The token was just made in the expected form, so it has a digest.
      const digest = sessionTokenDigest(token) as Buffer;
      await createSession(digest);
      return { kind: 'signed-in', cookie: sessionCookieHeader(token, sessionMaxAgeSeconds) };
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown sign-in decision ${JSON.stringify(unreachable)}`);
    }
  }
}

// Revokes the session the cookie names (if any) and answers the cookie that clears it in the browser.
export async function signOut(cookieValue: string | undefined): Promise<string> {
  const digest = sessionTokenDigest(cookieValue);
  if (digest !== undefined) await revokeSession(digest);
  return sessionCookieHeader('', 0);
}
