// The one error that adapters raise for an outage of something the process depends on. The route wrapper
// answers it with 503 and Retry-After; everything else that escapes a handler is a bug and answers 500.
import type { DependencyName } from './contract';

// Next bundles route handlers apart from server/web-process.ts, so the class the producer throws and the class the
// route wrapper sees can be two copies of this module, and instanceof fails between them. A brand registered
// in the runtime-wide symbol registry is the same in both copies.
const brand = Symbol.for('book-purchase-streams.dependency-unavailable');

export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  readonly [brand] = true;

  constructor(
    readonly dependency: DependencyName,
    cause: unknown,
  ) {
    super(`${dependency} is unavailable`, { cause });
  }
}

export function isDependencyUnavailable(error: unknown): error is DependencyUnavailableError {
  return typeof error === 'object' && error !== null && brand in error;
}
