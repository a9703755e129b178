'use client';
// The live feed's connection to the server: live results as they come, and on every (re)connect one
// feed.resume asking for everything after the last position seen, so nothing is missed or shown twice. A feed
// away longer than the server keeps results is told to reload: it forgets what it shows and fetches the newest.
import { useCallback, useEffect, useRef, useState } from 'react';
import { limits } from '@/server/limits';
import { useLiveConnection, useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { FeedResults, feedKeyOf, type FeedResult } from './feed-results';
import { readResumeAnswer } from './resume-answer';

export type CatchUp =
  | { status: 'waiting' }
  | { status: 'fetching'; first: boolean }
  | { status: 'done'; first: boolean; added: number; reloaded: boolean }
  | { status: 'failed'; error: string };

// How long a resume may take before the feed says so and offers to try again.
const resumeTimeoutMs = 10_000;

export function useLiveFeed() {
  const { socket } = useLiveConnection();
  const [feed] = useState(() => new FeedResults(limits.feedResultsMax));
  const [results, setResults] = useState<readonly FeedResult[]>([]);
  const [catchUp, setCatchUp] = useState<CatchUp>({ status: 'waiting' });
  // Rows (by feedKeyOf) that arrived live rather than in a resume answer: the list highlights them briefly.
  const [arrivedLive] = useState(() => new Set<string>());
  const resumed = useRef(false);

  const publish = useCallback(() => {
    const shown = feed.results();
    const shownKeys = new Set(shown.map(feedKeyOf));
    for (const key of arrivedLive) if (!shownKeys.has(key)) arrivedLive.delete(key);
    setResults([...shown]);
  }, [feed, arrivedLive]);

  const resume = useCallback(() => {
    if (!socket?.connected) return;
    const first = !resumed.current;
    setCatchUp({ status: 'fetching', first });
    const ask = (reloaded: boolean) => {
      const positions = feed.resumePositions();
      socket.timeout(resumeTimeoutMs).emit('feed.resume', { positions }, (error: Error | null, answer: unknown) => {
        if (error) {
          setCatchUp({ status: 'failed', error: `no answer within ${resumeTimeoutMs / 1000} s` });
          return;
        }
        const step = readResumeAnswer(answer, positions);
        switch (step.kind) {
          case 'failed':
            setCatchUp({ status: 'failed', error: step.error });
            return;
          case 'reload':
            // Away longer than the server keeps results: what is shown may end before a hole, so it goes, and
            // the newest results are fetched as on a first load.
            feed.clear();
            arrivedLive.clear();
            publish();
            ask(true);
            return;
          case 'merge': {
            const added = feed.merge(step.results);
            feed.advance(step.positions);
            resumed.current = true;
            publish();
            setCatchUp({ status: 'done', first, added, reloaded });
            return;
          }
          default: {
            const unreachable: never = step;
            throw new Error(`unknown resume step ${JSON.stringify(unreachable)}`);
          }
        }
      });
    };
    ask(false);
  }, [socket, feed, publish, arrivedLive]);

  // The socket may have connected before this page mounted (a navigation from the shop): resume at once.
  useEffect(() => {
    if (socket?.connected) resume();
  }, [socket, resume]);
  // Every connect after that, the first included, is a socket event: React state could fold a quick
  // disconnect and reconnect into one render and so skip a resume.
  useSocketConnect(resume);

  const arrived = (result: FeedResult) => {
    if (feed.merge([result]) === 0) return;
    arrivedLive.add(feedKeyOf(result));
    publish();
  };
  useSocketEvent('purchase.finished', arrived);
  // Holds are pushed live only (feed.resume replays purchase results): a hold's steps missed while away are
  // not fetched again, but every purchase, a paid hold's included, is.
  useSocketEvent('hold.changed', arrived);

  const isConfirmedHold = useCallback((purchaseId: string) => feed.isConfirmedHold(purchaseId), [feed]);
  return { results, catchUp, arrivedLive: arrivedLive as ReadonlySet<string>, retryCatchUp: resume, isConfirmedHold };
}
