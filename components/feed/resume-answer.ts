// What the live feed does with a feed.resume answer, without React or sockets: merge the missed results,
// reload, or show why not. The answer came over the network, so it is checked against the contract first.
// Relative import: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { feedResumeAnswerSchema } from '../../server/contract';
import type { FeedPositions, FeedResult } from './feed-results';

export type ResumeStep =
  | { kind: 'merge'; results: readonly FeedResult[]; positions: FeedPositions }
  | { kind: 'reload'; reason: string }
  | { kind: 'failed'; error: string };

// `asked` is what the request sent. A request without positions asks for the newest results and is never told
// to reload; if it were, reloading again would only loop, so that answer is a failure.
export function readResumeAnswer(answer: unknown, asked: FeedPositions): ResumeStep {
  const parsed = feedResumeAnswerSchema.safeParse(answer);
  if (!parsed.success) return { kind: 'failed', error: 'an answer that does not match the contract' };
  const data = parsed.data;
  if ('reload' in data) {
    if (Object.keys(asked).length === 0) return { kind: 'failed', error: `told to reload a feed that is empty (${data.reason})` };
    return { kind: 'reload', reason: data.reason };
  }
  if ('retryAfterSeconds' in data) return { kind: 'failed', error: `too many catch-ups from this tab; try again in ${data.retryAfterSeconds} s` };
  if ('error' in data) return { kind: 'failed', error: data.error };
  return { kind: 'merge', results: data.results, positions: data.positions };
}
