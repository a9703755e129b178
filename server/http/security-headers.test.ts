// Goal: a page's policy carries its nonce and never allows inline or evaluated script in production, allows 'unsafe-eval' only in development, and refuses framing; every nonce is new.
import { describe, expect, it } from 'vitest';
import { apiSecurityHeaders, newNonce, pageContentSecurityPolicy, pageSecurityHeaders } from './security-headers';

function directive(policy: string, name: string): string[] {
  const found = policy.split(';').map((part) => part.trim().split(/\s+/)).find(([first]) => first === name);
  return found?.slice(1) ?? [];
}

describe('security headers', () => {
  it('gives production pages a nonce-based script-src without unsafe-inline or unsafe-eval', () => {
    const policy = pageContentSecurityPolicy('abc123==', { dev: false });
    const scripts = directive(policy, 'script-src');
    expect(scripts).toContain("'nonce-abc123=='");
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(directive(policy, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(policy, 'object-src')).toEqual(["'none'"]);
    expect(directive(policy, 'connect-src')).toEqual(["'self'"]);
  });

  it("adds 'unsafe-eval' in development only", () => {
    expect(directive(pageContentSecurityPolicy('n', { dev: true }), 'script-src')).toContain("'unsafe-eval'");
  });

  it('makes a new 128-bit nonce each time, in the characters Next accepts', () => {
    const nonces = Array.from({ length: 1_000 }, newNonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('sends nosniff, the referrer policy and no framing on pages and on the API', () => {
    for (const headers of [pageSecurityHeaders(pageContentSecurityPolicy('n', { dev: false })), apiSecurityHeaders]) {
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
      expect(directive(headers['Content-Security-Policy'] ?? '', 'frame-ancestors')).toEqual(["'none'"]);
    }
    expect(pageSecurityHeaders('x')['Permissions-Policy']).toMatch(/camera=\(\)/);
  });
});
