// GET /metrics: Prometheus's text format, on node:http (the web process's lean path, and the worker's own
// listener). Metrics tell an outsider how busy the shop is and what it sold, so they are not public: with
// METRICS_TOKEN set only a bearer of that token is answered (loopback included, so one rule holds everywhere);
// without it only loopback clients are, which suits a Prometheus on the same machine and nothing else.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorAnswer, writeAnswer, type Answer } from './answer';

export const metricsPath = '/metrics';

export type MetricsAccess = { ok: true } | { ok: false; answer: Answer };

// 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (a server listening on :: sees IPv4 clients so).
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

// Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent.
function sameToken(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

export function checkMetricsAccess(remoteAddress: string | undefined, authorization: string | undefined, token: string | undefined): MetricsAccess {
  if (token === undefined) {
    if (isLoopbackAddress(remoteAddress)) return { ok: true };
    return refused('metrics answer loopback clients only (set METRICS_TOKEN to allow others with a bearer token)', 'only from the same machine');
  }
  const sent = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (sent !== undefined && sameToken(sent, token)) return { ok: true };
  return refused('metrics need Authorization: Bearer <METRICS_TOKEN>', 'send Authorization: Bearer <METRICS_TOKEN>');
}

function refused(error: string, authorization: string): MetricsAccess {
  return { ok: false, answer: errorAnswer(403, error, { authorization }) };
}

export type MetricsSource = { read(): Promise<string>; contentType: string };

// Answers the request (checked for access first) and resolves with the status given.
export async function answerMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  source: MetricsSource,
  token: string | undefined,
  extraHeaders?: Readonly<Record<string, string>>,
): Promise<number> {
  // A GET has no body to drain; anything sent anyway is discarded rather than left for the next request.
  request.resume();
  const access = checkMetricsAccess(request.socket.remoteAddress, request.headers.authorization, token);
  if (!access.ok) {
    writeAnswer(response, access.answer, extraHeaders);
    return access.answer.status;
  }
  let text: string;
  try {
    text = await source.read();
  } catch (error) {
    const unavailable = errorAnswer(503, `the metrics could not be gathered: ${error instanceof Error ? error.message : String(error)}`, undefined, { 'Retry-After': '1' });
    writeAnswer(response, unavailable, extraHeaders);
    return unavailable.status;
  }
  response.writeHead(200, { 'Content-Type': source.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...extraHeaders });
  response.end(text);
  return 200;
}

export function isMetricsRequest(request: IncomingMessage): boolean {
  if (request.method !== 'GET') return false;
  const url = request.url ?? '';
  return url === metricsPath || url.startsWith(`${metricsPath}?`);
}

// The worker's listener: /metrics and nothing else.
export function createMetricsServer(source: MetricsSource, token: string | undefined): Server {
  return createServer((request, response) => {
    if (isMetricsRequest(request)) {
      void answerMetrics(request, response, source, token).catch(() => response.destroy());
      return;
    }
    request.resume();
    writeAnswer(response, errorAnswer(404, `this listener serves GET ${metricsPath} only`));
  });
}
