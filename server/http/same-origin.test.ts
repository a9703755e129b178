// Goal: only the app's own origin (or a browser's Sec-Fetch-Site: same-origin) counts as same-origin; anything missing or foreign does not.
import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './same-origin';

const headers = (values: Record<string, string>) => new Headers(values);

describe('isSameOrigin', () => {
  it('with PUBLIC_URL: the exact origin, nothing else', () => {
    const publicOrigin = 'https://shop.example.com';
    expect(isSameOrigin(headers({ origin: 'https://shop.example.com', host: 'internal:3000' }), publicOrigin)).toBe(true);
    expect(isSameOrigin(headers({ origin: 'http://shop.example.com' }), publicOrigin)).toBe(false);
    expect(isSameOrigin(headers({ origin: 'https://shop.example.com.evil.example' }), publicOrigin)).toBe(false);
    expect(isSameOrigin(headers({ origin: 'https://evil.example', host: 'shop.example.com' }), publicOrigin)).toBe(false);
  });

  it('without PUBLIC_URL: the origin of the Host header', () => {
    expect(isSameOrigin(headers({ origin: 'http://localhost:3000', host: 'localhost:3000' }), undefined)).toBe(true);
    expect(isSameOrigin(headers({ origin: 'http://localhost:3001', host: 'localhost:3000' }), undefined)).toBe(false);
    expect(isSameOrigin(headers({ origin: 'https://evil.example', host: 'localhost:3000' }), undefined)).toBe(false);
    expect(isSameOrigin(headers({ origin: 'not a url', host: 'localhost:3000' }), undefined)).toBe(false);
  });

  it('refuses a missing or opaque origin, and accepts Sec-Fetch-Site: same-origin', () => {
    expect(isSameOrigin(headers({ host: 'localhost:3000' }), undefined)).toBe(false);
    expect(isSameOrigin(headers({ origin: 'null', host: 'localhost:3000' }), undefined)).toBe(false);
    expect(isSameOrigin(headers({ 'sec-fetch-site': 'same-origin' }), 'https://shop.example.com')).toBe(true);
    expect(isSameOrigin(headers({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }), undefined)).toBe(false);
  });
});
