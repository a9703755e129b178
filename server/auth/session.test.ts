// Goal: session tokens are random and only their keyed digest is stored; anything not shaped like a token has no
// digest; the cookie is HttpOnly and SameSite=Strict; the password check is exact.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { config } from '../config';
import { isSellerPassword, newSessionToken, readCookie, sessionCookieHeader, sessionTokenDigest } from './session';

describe('seller session tokens', () => {
  it('are 32 random bytes, stored as their HMAC under SESSION_SECRET', () => {
    const token = newSessionToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionToken()).not.toBe(token);
    expect(sessionTokenDigest(token)).toEqual(createHmac('sha256', config.SESSION_SECRET).update(token).digest());
  });

  it('give no digest for values that cannot be tokens, the old signed "<expiry>.<signature>" cookies included', () => {
    for (const bad of [undefined, '', 'x', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `1800000000000.${'A'.repeat(43)}`]) {
      expect(sessionTokenDigest(bad)).toBeUndefined();
    }
  });
});

describe('seller session cookie and password', () => {
  it('checks the password exactly', () => {
    expect(isSellerPassword(config.SELLER_PASSWORD)).toBe(true);
    expect(isSellerPassword(config.SELLER_PASSWORD.toUpperCase())).toBe(false);
    expect(isSellerPassword('')).toBe(false);
  });

  it('writes an HttpOnly, SameSite=Strict cookie (not Secure without an https PUBLIC_URL) and reads it back', () => {
    expect(sessionCookieHeader('v1', 60)).toBe('bps_seller=v1; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(readCookie('a=1; bps_seller=abc.def; b=2', 'bps_seller')).toBe('abc.def');
    expect(readCookie('a=1', 'bps_seller')).toBeUndefined();
    expect(readCookie(null, 'bps_seller')).toBeUndefined();
  });
});
