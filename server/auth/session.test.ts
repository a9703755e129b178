// Goal: seller session cookies are accepted only when signed by this system and not expired, and failed
// sign-ins are limited per client.
import { describe, expect, it } from 'vitest';
import { limits } from '../limits';
import { createSessionValue, isSellerPassword, isValidSession, readCookie, sessionCookieHeader } from './session';
import { SignInLimiter } from './sign-in-limiter';

describe('seller sessions', () => {
  const now = 1_800_000_000_000;

  it('accepts a fresh session and refuses it once expired', () => {
    const { value, maxAgeSeconds } = createSessionValue(now);
    expect(isValidSession(value, now + 1_000)).toBe(true);
    expect(maxAgeSeconds * 1000).toBe(limits.sessionTtlMs);
    expect(isValidSession(value, now + limits.sessionTtlMs + 1)).toBe(false);
  });

  it('refuses forged, altered and malformed values', () => {
    const { value } = createSessionValue(now);
    const [expiresAt, signature] = value.split('.');
    expect(isValidSession(`${Number(expiresAt) + 1_000_000}.${signature}`, now)).toBe(false);
    expect(isValidSession(`${expiresAt}.${'A'.repeat(43)}`, now)).toBe(false);
    for (const bad of [undefined, '', 'x', `${expiresAt}`, `${expiresAt}.`, `-1.${signature}`]) expect(isValidSession(bad, now)).toBe(false);
  });

  it('checks the password', () => {
    expect(isSellerPassword('seller')).toBe(true);
    expect(isSellerPassword('Seller')).toBe(false);
    expect(isSellerPassword('')).toBe(false);
  });

  it('writes an HttpOnly, SameSite=Strict cookie and reads it back from a Cookie header', () => {
    const header = sessionCookieHeader('v.1', 60, false);
    expect(header).toMatch(/^bps_seller=v\.1; Path=\/; HttpOnly; SameSite=Strict; Max-Age=60$/);
    expect(readCookie('a=1; bps_seller=abc.def; b=2', 'bps_seller')).toBe('abc.def');
    expect(readCookie('a=1', 'bps_seller')).toBeUndefined();
    expect(readCookie(null, 'bps_seller')).toBeUndefined();
  });
});

describe('SignInLimiter', () => {
  it('refuses a client after failuresMax failures within the window, until the window has passed', () => {
    const limiter = new SignInLimiter(3, 60_000, 100);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(limiter.retryAfterMs('1.2.3.4', 1_000 + attempt)).toBe(0);
      limiter.recordFailure('1.2.3.4', 1_000 + attempt);
    }
    expect(limiter.retryAfterMs('1.2.3.4', 2_000)).toBe(60_000 - 1_000);
    expect(limiter.retryAfterMs('5.6.7.8', 2_000)).toBe(0);
    expect(limiter.retryAfterMs('1.2.3.4', 61_001)).toBe(0);
  });

  it('forgets a client after a success, and keeps at most clientsMax clients', () => {
    const limiter = new SignInLimiter(1, 60_000, 2);
    limiter.recordFailure('a', 0);
    limiter.recordSuccess('a');
    expect(limiter.retryAfterMs('a', 1)).toBe(0);
    limiter.recordFailure('b', 0);
    limiter.recordFailure('c', 0);
    limiter.recordFailure('d', 0);
    expect(limiter.retryAfterMs('b', 1)).toBe(0);
    expect(limiter.retryAfterMs('d', 1)).toBeGreaterThan(0);
  });
});
