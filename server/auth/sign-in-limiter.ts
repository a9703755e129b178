// Failed seller sign-ins are limited per client: after signInFailuresMax failures within signInWindowMs,
// further attempts are refused until the window has passed. The table of clients is bounded too.
import { limits } from '../limits';

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly failuresMax: number = limits.signInFailuresMax,
    private readonly windowMs: number = limits.signInWindowMs,
    private readonly clientsMax: number = limits.signInClientsTrackedMax,
  ) {}

  // Milliseconds until this client may try again, or 0 when it may try now.
  retryAfterMs(client: string, nowMs: number): number {
    const recent = this.recent(client, nowMs);
    if (recent.length < this.failuresMax) return 0;
    return (recent[0] ?? nowMs) + this.windowMs - nowMs;
  }

  recordFailure(client: string, nowMs: number): void {
    const recent = this.recent(client, nowMs);
    recent.push(nowMs);
    this.failures.delete(client);
    this.failures.set(client, recent);
    // Maps iterate in insertion order: the first key is the client least recently failed.
    if (this.failures.size > this.clientsMax) this.failures.delete(this.failures.keys().next().value as string);
  }

  recordSuccess(client: string): void {
    this.failures.delete(client);
  }

  private recent(client: string, nowMs: number): number[] {
    return (this.failures.get(client) ?? []).filter((at) => at > nowMs - this.windowMs);
  }
}
