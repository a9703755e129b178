'use client';
// A form's unsent input, kept in this tab's sessionStorage as it is typed, so that a session ending mid-use
// (session-guard.tsx) costs the seller nothing: after sign-in the form comes back as it was. Only this tab sees
// it, and signing out on purpose clears it (clearFormDrafts), so the next person at the screen does not.
import { useCallback, useEffect, useRef, useState } from 'react';

const keyPrefix = 'bps.seller.draft.';

function storage(): Storage | undefined {
  // Storage can be switched off (or full); a draft is a convenience, never a reason to fail.
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function useFormDraft<Draft extends Record<string, string>>(name: string, empty: Draft): [Draft, (update: (current: Draft) => Draft) => void, () => void] {
  const [draft, setDraft] = useState<Draft>(empty);
  const emptyDraft = useRef(empty);
  const key = keyPrefix + name;

  // After mount, not in the first render: the server rendered the empty form, and hydration must match it.
  useEffect(() => {
    const stored = storage()?.getItem(key);
    if (!stored) return;
    try {
      const parsed: unknown = JSON.parse(stored);
      if (typeof parsed !== 'object' || parsed === null) return;
      const fields = Object.fromEntries(
        Object.keys(emptyDraft.current).map((field) => {
          const value = (parsed as Record<string, unknown>)[field];
          return [field, typeof value === 'string' ? value : ''];
        }),
      );
      setDraft(fields as Draft);
    } catch {
      storage()?.removeItem(key);
    }
  }, [key]);

  const update = useCallback(
    (change: (current: Draft) => Draft) => {
      setDraft((current) => {
        const next = change(current);
        try {
          storage()?.setItem(key, JSON.stringify(next));
        } catch {
          // Full or switched off: the form works without its copy.
        }
        return next;
      });
    },
    [key],
  );

  const clear = useCallback(() => {
    storage()?.removeItem(key);
    setDraft(emptyDraft.current);
  }, [key]);

  return [draft, update, clear];
}

export function clearFormDrafts(): void {
  const kept = storage();
  if (!kept) return;
  for (const key of Object.keys(kept)) if (key.startsWith(keyPrefix)) kept.removeItem(key);
}
