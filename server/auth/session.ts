// Seller sessions for the browser: a signed, expiring cookie (httpOnly, SameSite=Strict) that the API
// accepts as well as the bearer token. Stateless, so every web process accepts every other's cookies;
// the key derives from the seller secrets, so changing them signs everybody out.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { limits } from '../limits';

export const sessionCookieName = 'bps_seller';

const key = createHash('sha256').update(`bps-session\0${config.SELLER_PASSWORD}\0${config.SELLER_TOKEN}`).digest();
const sign = (expiresAtMs: number) => createHmac('sha256', key).update(String(expiresAtMs)).digest('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest();

export function isSellerPassword(password: string): boolean {
  return timingSafeEqual(digest(password), digest(config.SELLER_PASSWORD));
}

export function createSessionValue(nowMs: number): { value: string; maxAgeSeconds: number } {
  const expiresAtMs = nowMs + limits.sessionTtlMs;
  return { value: `${expiresAtMs}.${sign(expiresAtMs)}`, maxAgeSeconds: Math.floor(limits.sessionTtlMs / 1000) };
}

export function isValidSession(value: string | undefined, nowMs: number): boolean {
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match?.[1] || !match[2]) return false;
  const expiresAtMs = Number(match[1]);
  return expiresAtMs > nowMs && timingSafeEqual(Buffer.from(match[2]), Buffer.from(sign(expiresAtMs)));
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [cookieName, ...rest] = part.trim().split('=');
    if (cookieName === name) return rest.join('=');
  }
  return undefined;
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${sessionCookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
