'use client';
// Notices of the buyer's own results, wherever the buyer is on the page: a card scrolled out of sight, or
// another page of the site. One polite live region for the whole site, so each notice is read out once;
// the cards' own messages are not live regions for that reason.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastTone = 'success' | 'failure' | 'info';
export type Toast = { tone: ToastTone; text: string };
type ShownToast = Toast & { key: number };

// Long enough to read two lines; the same words stay on the card (and in "My purchases") anyway.
const toastShownMs = 7_000;
// Older notices give way, so a burst never covers the page.
const toastsShownMax = 3;

type Toasts = { announce(toast: Toast): void };
const ToastContext = createContext<Toasts>({ announce: () => undefined });

export function useToasts(): Toasts {
  return useContext(ToastContext);
}

const toneClasses: Record<ToastTone, string> = {
  success: 'border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-50',
  failure: 'border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-50',
  info: 'border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-50',
};
const toneIcons: Record<ToastTone, string> = { success: '✓', failure: '✕', info: 'i' };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<readonly ShownToast[]>([]);
  const nextKey = useRef(0);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((key: number) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setToasts((shown) => shown.filter((toast) => toast.key !== key));
  }, []);

  const announce = useCallback(
    (toast: Toast) => {
      nextKey.current += 1;
      const key = nextKey.current;
      setToasts((shown) => [...shown, { ...toast, key }].slice(-toastsShownMax));
      timers.current.set(
        key,
        setTimeout(() => dismiss(key), toastShownMs),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const value = useMemo(() => ({ announce }), [announce]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* Always rendered, so that the region exists before its first notice and that notice is read out. */}
      <div
        role="status"
        aria-live="polite"
        data-testid="toasts"
        className="pointer-events-none fixed inset-x-3 bottom-3 z-50 flex flex-col items-stretch gap-2 sm:inset-x-auto sm:right-4 sm:bottom-4 sm:w-96"
      >
        {toasts.map((toast) => (
          <div key={toast.key} data-tone={toast.tone} className={`pointer-events-auto flex items-start gap-2 rounded-xl border px-4 py-3 text-sm shadow-lg ${toneClasses[toast.tone]}`}>
            <span aria-hidden className="mt-px font-semibold">
              {toneIcons[toast.tone]}
            </span>
            <p className="min-w-0 flex-1 font-medium">{toast.text}</p>
            <button
              type="button"
              onClick={() => dismiss(toast.key)}
              className="-my-1 -mr-2 rounded-md px-2 py-1 text-xs font-semibold opacity-80 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              <span aria-hidden>✕</span>
              <span className="sr-only">Dismiss notice</span>
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
