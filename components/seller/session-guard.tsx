'use client';
// A seller call answered 401: the session has ended under the dashboard (signed out in another tab, revoked,
// expired). Every seller component reports its failures here, and the first such answer takes the seller to
// sign-in with a message, once. What the forms held is kept (use-form-draft.ts) and comes back after sign-in.
import { useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';
import type { ApiFailure } from '@/components/api/api-client';

// The sign-in page shows its message when it finds this query.
export const sessionEndedQuery = 'session=ended';
export const sessionEndedPath = `/seller/sign-in?${sessionEndedQuery}`;

type Report = (failure: ApiFailure) => void;
type Guard = { report: Report; signingOut: (active: boolean) => void };
const SessionEndedContext = createContext<Guard>({ report: () => undefined, signingOut: () => undefined });

export function SessionGuard({ children }: { children: ReactNode }) {
  const router = useRouter();
  // Set once the page is leaving: after the first 401, or while the seller signs out on purpose (the polls that
  // answer 401 after the revocation must not send a seller who chose to leave to "your session has ended").
  const leaving = useRef(false);
  const report = useCallback<Report>(
    (failure) => {
      if (failure.kind !== 'unauthorised' || leaving.current) return;
      leaving.current = true;
      router.replace(sessionEndedPath);
    },
    [router],
  );
  const signingOut = useCallback((active: boolean) => {
    leaving.current = active;
  }, []);
  const guard = useMemo(() => ({ report, signingOut }), [report, signingOut]);
  return <SessionEndedContext.Provider value={guard}>{children}</SessionEndedContext.Provider>;
}

// Call it with every failure of a seller call; only a 401 does anything.
export function useReportFailure(): Report {
  return useContext(SessionEndedContext).report;
}

// The sign-out button says when a sign-out starts (true) and when one failed (false).
export function useSigningOut(): (active: boolean) => void {
  return useContext(SessionEndedContext).signingOut;
}
