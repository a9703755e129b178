// The route label of a request for bps_http_request_duration_seconds: its contract's path template, never the
// raw path, so the number of series stays bounded (one per route and status, not one per purchaseId).
import { apiRoutes } from '../contract';

// Labels of what matches no contract route: an unknown /api path (404), and pages and assets, which Next serves.
export const unmatchedApiRoute = '/api/(unmatched)';
export const pagesRoute = '(pages)';

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

const templates = [...new Set(Object.values(apiRoutes).map((route) => route.path))].map((path) => ({
  path,
  pattern: new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
}));

// url: the request target as node:http gives it (path and query).
export function routeLabel(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (!path.startsWith('/api/')) return pagesRoute;
  return templates.find((template) => template.pattern.test(path))?.path ?? unmatchedApiRoute;
}
