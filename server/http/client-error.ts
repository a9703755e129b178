// node:http's 'clientError': a request it could not parse, or one its clocks cut, never reaches a handler.
// Node's own answer is a status line with an empty body; this one is the API's JSON error shape with the
// security headers, mapped as Node maps them. The connection closes either way: after a parse error the
// stream's position is lost.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../contract';
import { limits } from '../limits';
import { apiSecurityHeaders } from './security-headers';

type ClientError = Error & { code?: string };

const errors: Readonly<Record<string, { status: number; error: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: `the request line and headers together are larger than ${limits.httpHeaderBytesMax} bytes` },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, error: 'the chunk extensions of the body are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: 'the request took too long to arrive' },
};
const malformed = { status: 400, error: 'the request is not valid HTTP/1.1' };

export function answerClientError(clientError: ClientError, socket: Duplex & { _httpMessage?: { headersSent?: boolean } | null }): void {
  // A reset peer cannot read an answer, and a socket whose answer has begun must not get a second one
  // in the middle of the first: both are just closed.
  const answering = socket._httpMessage;
  if (clientError.code !== 'ECONNRESET' && socket.writable && !answering?.headersSent) {
    socket.write(rawAnswer(errors[clientError.code ?? ''] ?? malformed));
  }
  socket.destroy();
}

function rawAnswer({ status, error }: { status: number; error: string }): string {
  const body = JSON.stringify({ error } satisfies ErrorBody);
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...apiSecurityHeaders,
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
