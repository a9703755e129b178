// What Next must never see of the API: a path no route serves (Next would render its HTML 404), a method the
// path does not serve (Next answers 405 with an empty body), and a path parameter that is not valid
// percent-encoding (Next's decoding throws: a plain-text 500). The table comes from the contract's routes,
// the lean ones included, so Allow cannot drift from what is served. Pure: the web process writes the answer.
import type { RouteContract } from '../contract';
import { errorAnswer, type Answer } from './answer';

type PathTemplate = {
  // '/api/items/{itemId}' as ['api', 'items', '{itemId}'].
  segments: readonly string[];
  methods: ReadonlySet<string>;
  allow: string;
};

// Undefined when the request may go on to its handler; else the answer it gets.
export type ApiGate = (method: string, path: string) => Answer | undefined;

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

export function createApiGate(routes: readonly RouteContract[]): ApiGate {
  const templates = pathTemplates(routes);
  return function check(method, path) {
    const segments = splitPath(path);
    for (const template of templates) {
      const params = matchTemplate(template.segments, segments);
      if (params === undefined) continue;
      return badEncoding(params) ?? methodAnswer(template, method);
    }
    return errorAnswer(404, 'no API route has this path; docs/API.md lists them');
  };
}

function pathTemplates(routes: readonly RouteContract[]): PathTemplate[] {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    methodsByPath.set(route.path, methods);
  }
  return [...methodsByPath].map(([path, declared]) => {
    // What Next adds to every route handler: HEAD wherever GET is, and OPTIONS (answered here, for the lean
    // routes' paths too, which Next does not know).
    const methods = new Set([...declared, ...(declared.has('GET') ? ['HEAD'] : []), 'OPTIONS']);
    return { segments: splitPath(path), methods, allow: [...methods].sort().join(', ') };
  });
}

// A trailing slash is dropped: Next redirects '/api/items/' to '/api/items', and so it still may.
function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

// The raw value of each {parameter}, or undefined when the path is not this template's.
function matchTemplate(template: readonly string[], segments: readonly string[]): Map<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params = new Map<string, string>();
  for (const [index, part] of template.entries()) {
    // Same length, so the index is inside segments.
    const segment = segments[index] as string;
    if (part.startsWith('{')) {
      if (segment === '') return undefined;
      params.set(part.slice(1, -1), segment);
    } else if (part !== segment) return undefined;
  }
  return params;
}

function badEncoding(params: ReadonlyMap<string, string>): Answer | undefined {
  for (const [name, raw] of params) {
    try {
      decodeURIComponent(raw);
    } catch {
      return errorAnswer(400, `invalid ${name}`, { [name]: 'not valid percent-encoded UTF-8' });
    }
  }
  return undefined;
}

function methodAnswer(template: PathTemplate, method: string): Answer | undefined {
  if (method === 'OPTIONS') return { status: 204, headers: { Allow: template.allow } };
  if (template.methods.has(method)) return undefined;
  return errorAnswer(405, `${method} is not served at this path; it serves ${template.allow}`, undefined, { Allow: template.allow });
}
