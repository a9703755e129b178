'use client';
// A stepper for 1..max: the buttons for pointers and thumbs, the field for typing a large number.
import { useState } from 'react';

const stepButton =
  'grid w-9 place-items-center text-lg leading-none text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300 disabled:hover:bg-transparent focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-600';

export function QuantityPicker({
  id,
  label,
  value,
  max,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  value: number;
  max: number;
  disabled: boolean;
  onChange: (quantity: number) => void;
}) {
  // What the buyer is typing, kept apart from the number so that clearing the field to type "12" works.
  const [draft, setDraft] = useState<string | null>(null);
  const clamp = (quantity: number) => Math.min(Math.max(1, quantity), Math.max(1, max));
  return (
    <div className={`inline-flex h-10 shrink-0 overflow-hidden rounded-lg border border-slate-300 bg-white ${disabled ? 'opacity-60' : ''}`}>
      <button type="button" className={stepButton} disabled={disabled || value <= 1} onClick={() => onChange(clamp(value - 1))}>
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
        max={Math.max(1, max)}
        step={1}
        disabled={disabled}
        value={draft ?? String(value)}
        onChange={(event) => {
          setDraft(event.target.value);
          const typed = Number(event.target.value);
          if (Number.isInteger(typed) && typed >= 1) onChange(clamp(typed));
        }}
        onBlur={() => setDraft(null)}
        className="w-14 border-x border-slate-200 text-center text-sm font-medium tabular-nums [appearance:textfield] focus-visible:relative focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-transparent [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
      />
      <button type="button" className={stepButton} disabled={disabled || value >= max} onClick={() => onChange(clamp(value + 1))}>
        <span aria-hidden>+</span>
        <span className="sr-only">One more</span>
      </button>
    </div>
  );
}
