// The security headers of every answer the web process gives: pages, Next's static files, the API (Next's
// routes, the lean buy path, the API gate), socket.io's HTTP answers and the raw answers to malformed requests.
// docs/SECURITY.md (Headers and CSP) says why each directive is what it is.
import { randomBytes } from 'node:crypto';

export type Headers = Readonly<Record<string, string>>;

// Every answer, whatever it holds: no content sniffing (a JSON answer is never run as script or HTML), and
// no full URL leaking to another origin in Referer.
const everyAnswer = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const satisfies Headers;

// The API answers JSON only: nothing in it may load or frame anything, should a browser ever render one.
// Cache-Control: no-store is set by the answer writers themselves (server/http/answer.ts), on every API answer.
export const apiSecurityHeaders = {
  ...everyAnswer,
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
} as const satisfies Headers;

// The features a page could ask the browser for; the shop needs none of them.
const permissionsPolicy = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

// 128 random bits per page: a nonce must be unguessable and never repeat.
const nonceBytes = 16;

export function newNonce(): string {
  return randomBytes(nonceBytes).toString('base64');
}

// A page's policy. Next reads the nonce from the request's Content-Security-Policy header and puts it on every
// script it renders; 'strict-dynamic' then trusts the chunks those scripts load, so script-src needs no host
// list and no 'unsafe-inline'. Development adds 'unsafe-eval' because React's dev build evaluates code for its
// debugging aids; production never has it.
export function pageContentSecurityPolicy(nonce: string, options: { dev: boolean }): string {
  const scriptSources = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${scriptSources.join(' ')}`,
    // Server-rendered style="" attributes (React, the charts' widths) and the inline <style> Next and React may
    // emit cannot carry a nonce; a style cannot run code, so 'unsafe-inline' is accepted here only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 'self' covers ws: and wss: to the page's own host and port (CSP Level 3): socket.io, and dev's hot reload.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Everything that is not the API: pages, Next's static files and its 404s.
export function pageSecurityHeaders(contentSecurityPolicy: string): Headers {
  return {
    ...everyAnswer,
    'Content-Security-Policy': contentSecurityPolicy,
    // For browsers older than frame-ancestors.
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': permissionsPolicy,
  };
}
