// Translates the database's outage errors into DependencyUnavailableError at the adapter's edge. Only
// errors that say the server could not be reached or used are translated; anything else (a bad query, a
// constraint) is a bug or a data problem and is rethrown as it is.
import { DependencyUnavailableError } from '../errors';

// Prisma's driver-adapter error kinds that mean "no usable connection" (@prisma/driver-adapter-utils).
const unreachableKinds = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'SocketTimeout',
  'ConnectionClosed',
  'TooManyConnections',
]);
// Node's socket errors, for the plain pg clients.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// Prisma's own codes: can't reach, timed out, closed, pool exhausted, transaction could not start in time.
const prismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

// PostgreSQL's SQLSTATE: class 08 is "connection exception"; 57P01-03 a server shutting down or starting;
// 53300 too many connections.
function isOutageState(state: unknown): boolean {
  return typeof state === 'string' && (state.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(state));
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

export function isDatabaseOutage(error: unknown): boolean {
  const code = field(error, 'code');
  if (typeof code === 'string' && (socketCodes.has(code) || prismaCodes.has(code) || isOutageState(code))) return true;
  const cause = field(field(field(error, 'meta'), 'driverAdapterError'), 'cause') ?? field(error, 'cause');
  const kind = field(cause, 'kind');
  if (typeof kind === 'string' && unreachableKinds.has(kind)) return true;
  if (kind === 'postgres' && isOutageState(field(cause, 'code'))) return true;
  // pg's own wording when the server goes away mid-query or a pool cannot connect in time.
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Can't reach database server/.test(message);
}

export async function databaseCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseOutage(error)) throw new DependencyUnavailableError('database', error);
    throw error;
  }
}
