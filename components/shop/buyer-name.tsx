'use client';
// The buyer says who they are once; the name is remembered in localStorage (and shared by the tabs of one
// browser) and sent as purchasedBy with every purchase.
import { useId, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode, type RefObject } from 'react';
import { limits } from '@/server/limits';

const storageKey = 'bps.buyer-name';
const listeners = new Set<() => void>();
// Where the name lives when the browser refuses storage (private modes, full quota): this tab only.
let nameInMemory = '';

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function readName(): string {
  try {
    return window.localStorage.getItem(storageKey) ?? nameInMemory;
  } catch {
    return nameInMemory;
  }
}

function writeName(name: string): void {
  nameInMemory = name;
  try {
    window.localStorage.setItem(storageKey, name);
  } catch {
    // Storage refused: the in-memory name still serves this tab.
  }
  listeners.forEach((listener) => listener());
}

// undefined until the browser has been asked (the server cannot know), then the name or ''.
export function useBuyerName(): [string | undefined, (name: string) => void] {
  const name = useSyncExternalStore(subscribe, readName, () => undefined);
  return [name, writeName];
}

export function BuyerNameBar({
  name,
  onChange,
  inputRef,
  takeFocusBack,
}: {
  name: string | undefined;
  onChange: (name: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
  // Gives focus back to whatever asked for the name (a Buy button); false when nothing did.
  takeFocusBack: () => boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const changeButton = useRef<HTMLButtonElement>(null);

  if (name === undefined) return <div className="h-11 w-full animate-pulse rounded-xl bg-slate-200/70 sm:w-80 dark:bg-slate-800" aria-hidden />;

  if (name !== '' && !editing) {
    return (
      <div className="flex min-h-11 items-center gap-3 rounded-xl border border-slate-200 bg-white px-4 py-2 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <span aria-hidden className="grid size-7 shrink-0 place-items-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-700 uppercase dark:bg-indigo-900 dark:text-indigo-100">
          {name.slice(0, 1)}
        </span>
        <p className="min-w-0 truncate text-sm text-slate-600 dark:text-slate-300">
          Buying as <strong className="font-semibold text-slate-900 dark:text-slate-50">{name}</strong>
        </p>
        <button
          ref={changeButton}
          type="button"
          onClick={() => {
            setDraft(name);
            setEditing(true);
          }}
          className="ml-auto shrink-0 rounded-md px-2 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Change<span className="sr-only"> name</span>
        </button>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = draft.trim();
    if (trimmed === '') return;
    onChange(trimmed);
    setEditing(false);
    // The form goes away with the input that has focus: without this, focus would fall to the page body.
    requestAnimationFrame(() => {
      if (!takeFocusBack()) changeButton.current?.focus();
    });
  };

  return (
    <form onSubmit={submit} className="flex w-full flex-wrap items-end gap-2 rounded-xl border border-indigo-200 bg-white p-3 shadow-sm sm:w-auto dark:border-indigo-800 dark:bg-slate-900">
      <div className="min-w-0 flex-1 sm:w-56 sm:flex-none">
        <label htmlFor={inputId} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Your name
        </label>
        <input
          id={inputId}
          ref={inputRef}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          required
          maxLength={limits.purchasedByLengthMax}
          autoComplete="name"
          placeholder="e.g. Ann"
          autoFocus={editing}
          className="mt-1 block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-50 dark:placeholder:text-slate-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40"
        />
      </div>
      <button
        type="submit"
        className="h-9 rounded-md bg-indigo-600 px-4 text-sm font-semibold text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        {name === '' ? 'Start shopping' : 'Save'}
      </button>
      {name !== '' && (
        <button
          type="button"
          onClick={() => {
            setEditing(false);
            // Focus would otherwise fall to the page body when the form disappears.
            requestAnimationFrame(() => changeButton.current?.focus());
          }}
          className="h-9 rounded-md px-3 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Cancel
        </button>
      )}
    </form>
  );
}

// The buyer's name bar, and where focus goes back to once a name is given: the Buy or Reserve that asked for it.
export function useBuyerPrompt(): { name: string | undefined; bar: ReactNode; ask: (returnFocusTo: HTMLElement | null) => void } {
  const [name, setName] = useBuyerName();
  const nameInput = useRef<HTMLInputElement>(null);
  const [hint, setHint] = useState(false);
  const returnTo = useRef<HTMLElement | null>(null);
  const ask: (returnFocusTo: HTMLElement | null) => void = (element) => {
    returnTo.current = element;
    setHint(true);
    nameInput.current?.focus();
  };
  const bar = (
    <>
      <BuyerNameBar
        name={name}
        inputRef={nameInput}
        onChange={(next) => {
          setName(next);
          setHint(false);
        }}
        takeFocusBack={() => {
          const target = returnTo.current;
          returnTo.current = null;
          if (target === null || !target.isConnected) return false;
          target.focus();
          return true;
        }}
      />
      {hint && !name && (
        <p role="alert" className="mt-1.5 text-sm text-rose-700 dark:text-rose-300">
          Tell us your name first: it goes with your order.
        </p>
      )}
    </>
  );
  return { name, bar, ask };
}
