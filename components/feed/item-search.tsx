'use client';
// The feed's item filter: type part of a title, pick the item from a short list of matches. The matches come
// from the server's own search (GET /api/items?q=), so the page never loads every item to offer them. It
// follows the ARIA combobox pattern: the input keeps focus, arrow keys move through the listbox, Enter picks,
// Escape closes the list (and, pressed again, clears the filter).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Item } from '@/server/contract';
import { searchItemTitles } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';

// Matches offered at once, and how long typing pauses before the server is asked.
const matchesMax = 8;
const typingPauseMs = 200;

export type PickedItem = { itemId: string; description: string };

type Search = { status: 'idle' } | { status: 'searching' } | { status: 'done'; matches: Item[] } | { status: 'failed'; error: string };

export function ItemSearch({ picked, onPick }: { picked: PickedItem | null; onPick: (item: PickedItem | null) => void }) {
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const labelId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [active, setActive] = useState(-1);
  const asked = useRef(0);

  const query = text.trim();
  useEffect(() => {
    if (!open || query === '') return;
    const ticket = (asked.current += 1);
    setSearch({ status: 'searching' });
    const timer = setTimeout(() => {
      void searchItemTitles(query, matchesMax).then((answer) => {
        // Only the newest question's answer counts: an older one may arrive last.
        if (ticket !== asked.current) return;
        setSearch(answer.ok ? { status: 'done', matches: answer.value } : { status: 'failed', error: describeFailure(answer.failure) });
        setActive(-1);
      });
    }, typingPauseMs);
    return () => clearTimeout(timer);
  }, [query, open]);

  const matches = search.status === 'done' && query !== '' ? search.matches : [];
  const expanded = open && query !== '';
  const optionId = (index: number) => `${listId}-option-${index}`;

  function pick(item: Item) {
    onPick({ itemId: item.itemId, description: item.description });
    setText('');
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setOpen(true);
        setActive((current) => (matches.length === 0 ? -1 : (current + 1) % matches.length));
        return;
      case 'ArrowUp':
        event.preventDefault();
        setOpen(true);
        setActive((current) => (matches.length === 0 ? -1 : (current - 1 + matches.length) % matches.length));
        return;
      case 'Enter': {
        const chosen = matches[active] ?? (matches.length === 1 ? matches[0] : undefined);
        if (!chosen) return;
        event.preventDefault();
        pick(chosen);
        return;
      }
      case 'Escape':
        if (expanded) setOpen(false);
        else setText('');
        return;
      default:
        return;
    }
  }

  return (
    <div className="relative w-80 max-w-full">
      <label id={labelId} htmlFor={picked ? undefined : inputId} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
        Item
      </label>
      {picked ? (
        <div role="group" aria-labelledby={labelId} className="mt-1 flex h-9 items-center gap-2 rounded-md border border-indigo-300 bg-indigo-50 pr-1 pl-3 text-sm dark:border-indigo-700 dark:bg-indigo-950">
          <span data-testid="feed-item-filter" className="min-w-0 flex-1 truncate font-medium text-indigo-950 dark:text-indigo-100" title={picked.description}>
            {picked.description}
          </span>
          <button
            type="button"
            onClick={() => onPick(null)}
            className="shrink-0 rounded px-2 py-1 text-xs font-semibold text-indigo-800 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-200 dark:hover:bg-indigo-900"
          >
            Show all items
          </button>
        </div>
      ) : (
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
          placeholder="All items: type a title to filter"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          // After a click on an option, which is handled on pointer down, before this blur.
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className="mt-1 h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400"
        />
      )}
      <p id={hintId} className="sr-only">
        Type part of a title; use the arrow keys to choose an item and Enter to show only its results.
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="Matching items"
        hidden={!expanded || picked !== null || matches.length === 0}
        className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {matches.map((item, index) => (
          <li
            key={item.itemId}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            onPointerDown={(event) => {
              event.preventDefault();
              pick(item);
            }}
            onPointerEnter={() => setActive(index)}
            className={`cursor-pointer px-3 py-1.5 ${index === active ? 'bg-indigo-600 text-white' : 'text-slate-900 dark:text-slate-100'}`}
          >
            <span className="block truncate">{item.description}</span>
            <span className={`block truncate font-mono text-xs ${index === active ? 'text-indigo-100' : 'text-slate-600 dark:text-slate-400'}`}>{item.itemId}</span>
          </li>
        ))}
      </ul>
      {/* Outside the listbox, which may hold options only; a status, so the outcome of typing is announced. */}
      <p role="status" className={expanded && picked === null && matches.length === 0 ? 'absolute z-20 mt-1 w-full rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm text-slate-600 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-400' : 'sr-only'}>
        {expanded && picked === null && matches.length === 0
          ? search.status === 'failed'
            ? `Search failed: ${search.error}`
            : search.status === 'done'
              ? 'No item has that in its title.'
              : 'Searching…'
          : expanded && matches.length > 0
            ? `${matches.length} ${matches.length === 1 ? 'item matches' : 'items match'}.`
            : ''}
      </p>
    </div>
  );
}
