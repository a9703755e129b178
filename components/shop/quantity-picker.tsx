'use client';
// A stepper for 1..max: the buttons for pointers and thumbs, the field for typing a large number. A number
// above max is never lowered behind the buyer's back: it stays in the field, even when the field is left, and
// the card says how many there are (onTooMany) and buys nothing until the buyer picks a number it can take.
import { useState } from 'react';

const stepButton =
  'grid w-8 place-items-center text-lg leading-none text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300 disabled:hover:bg-transparent focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-200 dark:hover:bg-slate-700 dark:disabled:text-slate-600';

export function QuantityPicker({
  id,
  label,
  value,
  max,
  disabled,
  describedBy,
  onChange,
  onTooMany,
}: {
  id: string;
  label: string;
  value: number;
  max: number;
  disabled: boolean;
  // The id of the card's hint ("Only 3 available"), read with the field.
  describedBy: string;
  onChange: (quantity: number) => void;
  onTooMany: (typed: number) => void;
}) {
  // What the buyer is typing, kept apart from the number so that clearing the field to type "12" works.
  const [draft, setDraft] = useState<string | null>(null);
  const upper = Math.max(1, max);
  const clamp = (quantity: number) => Math.min(Math.max(1, quantity), upper);
  return (
    <div
      className={`inline-flex h-10 shrink-0 overflow-hidden rounded-lg border border-slate-300 bg-white dark:border-slate-600 dark:bg-slate-800 ${disabled ? 'opacity-60' : ''}`}
    >
      <button type="button" className={stepButton} disabled={disabled || value <= 1} onClick={() => {
          setDraft(null);
          onChange(clamp(value - 1));
        }}>
        <span aria-hidden>−</span>
        <span className="sr-only">One fewer</span>
      </button>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={upper}
        step={1}
        disabled={disabled}
        aria-describedby={describedBy}
        value={draft ?? String(value)}
        onChange={(event) => {
          setDraft(event.target.value);
          const typed = Number(event.target.value);
          if (!Number.isInteger(typed) || typed < 1) return;
          if (typed > upper) onTooMany(typed);
          else onChange(typed);
        }}
        onBlur={() => {
          const typed = Number(draft);
          if (draft !== null && Number.isInteger(typed) && typed > upper) return;
          setDraft(null);
        }}
        className="w-10 border-x border-slate-200 bg-transparent text-center text-sm font-medium tabular-nums [appearance:textfield] focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed dark:border-slate-600 [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
      />
      <button type="button" className={stepButton} disabled={disabled || value >= max} onClick={() => {
          setDraft(null);
          onChange(clamp(value + 1));
        }}>
        <span aria-hidden>+</span>
        <span className="sr-only">One more</span>
      </button>
    </div>
  );
}
