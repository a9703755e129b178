// CSRF: whether a request comes from the app's own pages. Browsers set Origin (and Sec-Fetch-Site) themselves and
// never let a page forge them, so a write that carries the seller's cookie but another site's Origin was sent by
// that other site. The expected origin is PUBLIC_URL's; without one, the request's own Host (the server does not
// know its scheme then, so host and port are compared). Pure: the route wrapper passes in what it read.
export function expectedOrigin(headers: Headers, publicOrigin: string | undefined): string {
  return publicOrigin ?? `the origin of this host (${headers.get('host') ?? 'no Host header'})`;
}

export function isSameOrigin(headers: Headers, publicOrigin: string | undefined): boolean {
  if (headers.get('sec-fetch-site') === 'same-origin') return true;
  const origin = headers.get('origin');
  if (origin === null || origin === 'null') return false;
  if (publicOrigin !== undefined) return origin === publicOrigin;
  const host = headers.get('host');
  if (host === null || !URL.canParse(origin)) return false;
  return new URL(origin).host === host.toLowerCase();
}
