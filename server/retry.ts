// Retries work that fails for reasons that pass (a broker or database that is restarting), with a pause that
// doubles up to a bound, instead of letting a process die on its first failed attempt.
import { setTimeout as sleep } from 'node:timers/promises';

export type RetryOptions = { delayMsMin: number; delayMsMax: number; onFailure: (error: unknown, attempt: number, delayMs: number) => void; shouldStop?: () => boolean };

export async function retryWithBackoff<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  let delayMs = options.delayMsMin;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (options.shouldStop?.()) throw error;
      options.onFailure(error, attempt, delayMs);
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, options.delayMsMax);
    }
  }
}
