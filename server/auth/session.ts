// Seller sessions for the browser. The cookie holds a random token and nothing else; the server keeps the
// session in Postgres under the token's HMAC (server/db/session-store.ts), so every web process accepts it,
// sign-out revokes it everywhere, and neither the cookie nor a copy of the table lets anyone make another.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { limits } from '../limits';

// Behind https the cookie is Secure and carries the __Host- prefix, which browsers accept only from a secure
// origin, with Path=/ and no Domain: no other host (a sibling subdomain included) can set or shadow it.
export const sessionCookieSecure = config.PUBLIC_URL?.startsWith('https:') ?? false;
export const sessionCookieName = sessionCookieSecure ? '__Host-bps_seller' : 'bps_seller';

const tokenBytes = 32;
// base64url of 32 bytes: 43 characters. Anything else is refused before the database is asked.
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const digest = (value: string) => createHash('sha256').update(value).digest();

export function isSellerPassword(password: string): boolean {
  // Digests have equal length, so the comparison takes the same time whatever was sent.
  return timingSafeEqual(digest(password), digest(config.SELLER_PASSWORD));
}

export function newSessionToken(): string {
  return randomBytes(tokenBytes).toString('base64url');
}

// What the database stores and looks up; undefined for a value that cannot be a token of ours.
export function sessionTokenDigest(token: string | undefined): Buffer | undefined {
  if (token === undefined || !tokenPattern.test(token)) return undefined;
  return createHmac('sha256', config.SESSION_SECRET).update(token).digest();
}

export const sessionMaxAgeSeconds = Math.floor(limits.sessionTtlMs / 1000);

export function sessionCookieHeader(value: string, maxAgeSeconds: number): string {
  return `${sessionCookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${sessionCookieSecure ? '; Secure' : ''}`;
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [cookieName, ...rest] = part.trim().split('=');
    if (cookieName === name) return rest.join('=');
  }
  return undefined;
}
