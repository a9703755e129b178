// The one error that adapters raise for an outage of something the process depends on. The route wrapper
// answers it with 503 and Retry-After; everything else that escapes a handler is a bug and answers 500.
import type { DependencyName } from './contract';

export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: DependencyName,
    cause: unknown,
  ) {
    super(`${dependency} is unavailable`, { cause });
  }
}
