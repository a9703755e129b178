// Words for a failed API call, for the places where no form field or special message explains it.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { ApiFailure } from './api-client';

// One sentence saying what went wrong and what to do.
export function describeFailure(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'invalid':
      return `The server refused the request: ${withFullStop(failure.message)}`;
    case 'unauthorised':
      return 'Your session has ended. Sign in again.';
    case 'not-found':
      return sentence(failure.message);
    case 'rate-limited':
      return `Too many attempts. Try again in ${failure.retryAfterSeconds} s.`;
    case 'unavailable':
      return `${sentence(failure.message)} Try again in ${failure.retryAfterSeconds} s.`;
    case 'failed':
      return sentence(failure.message);
    default: {
      const unreachable: never = failure;
      throw new Error(`unknown failure ${JSON.stringify(unreachable)}`);
    }
  }
}

// The API's messages are lower-case fragments ("the database is not available; nothing was recorded").
export function withFullStop(fragment: string): string {
  const trimmed = fragment.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function sentence(fragment: string): string {
  const ended = withFullStop(fragment);
  return ended.charAt(0).toUpperCase() + ended.slice(1);
}
