// The building blocks every seller form shares: a labelled field whose hint and error are wired to its
// control (aria-describedby, aria-invalid), a live region for the form's result, and a busy-aware button.
import type { ReactNode } from 'react';
import { AlertIcon, CheckIcon, SpinnerIcon } from './icons';

export type FieldErrors = Partial<Record<string, string>>;

export type ControlProps = { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true; className: string };

export const focusRing = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export function FormField({
  id,
  label,
  optional = false,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  optional?: boolean;
  hint?: string;
  error?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  const className = `block w-full rounded-lg border bg-white dark:bg-slate-900 px-3 py-2 text-sm text-slate-900 dark:text-slate-50 shadow-xs placeholder:text-slate-500 dark:placeholder:text-slate-400 focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600 disabled:bg-slate-50 dark:disabled:bg-slate-800 disabled:text-slate-500 dark:disabled:text-slate-400 ${
    error ? 'border-rose-400 dark:border-rose-500 bg-rose-50/40 dark:bg-rose-950/40' : 'border-slate-300 dark:border-slate-600'
  }`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
        {optional && <span className="font-normal text-slate-600 dark:text-slate-400"> (optional)</span>}
      </label>
      <div className="mt-1.5">{children({ id, className, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined })}</div>
      {error && (
        <p id={errorId} className="mt-1.5 flex items-start gap-1.5 text-sm text-rose-700 dark:text-rose-300">
          <AlertIcon className="mt-0.5 h-4 w-4 shrink-0" />
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="mt-1.5 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}

export type FormMessage = { tone: 'success' | 'error'; text: ReactNode } | null;

// Always rendered, so that screen readers announce what appears in it.
export function FormStatus({ message, testId }: { message: FormMessage; testId?: string }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" data-testid={testId}>
      {message && (
        <p
          className={`flex items-start gap-2 rounded-lg px-3 py-2 text-sm ${
            message.tone === 'success' ? 'bg-emerald-50 dark:bg-emerald-950 text-emerald-800 dark:text-emerald-200 ring-1 ring-emerald-200 dark:ring-emerald-800' : 'bg-rose-50 dark:bg-rose-950 text-rose-800 dark:text-rose-200 ring-1 ring-rose-200 dark:ring-rose-800'
          }`}
        >
          {message.tone === 'success' ? <CheckIcon className="mt-0.5 h-4 w-4 shrink-0" /> : <AlertIcon className="mt-0.5 h-4 w-4 shrink-0" />}
          <span>{message.text}</span>
        </p>
      )}
    </div>
  );
}

export function SubmitButton({ busy, disabled = false, children }: { busy: boolean; disabled?: boolean; children: ReactNode }) {
  return (
    <button
      type="submit"
      disabled={busy || disabled}
      aria-disabled={busy || disabled}
      className={`inline-flex items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:bg-indigo-300 ${focusRing}`}
    >
      {busy && <SpinnerIcon className="h-4 w-4" />}
      {children}
    </button>
  );
}

// Quantities are typed as text in a number field: only plain whole numbers in range are accepted.
export function parseQuantity(text: string, quantityMax: number): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'Enter a quantity.' };
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > quantityMax) {
    return { ok: false, error: `Enter a whole number from 1 to ${quantityMax.toLocaleString('en-US')}.` };
  }
  return { ok: true, value };
}
