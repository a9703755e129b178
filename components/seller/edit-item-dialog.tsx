'use client';
// Edit one item's title, price and low-stock warning level in a modal <dialog>: the browser keeps focus inside
// while it is open and closes it on Escape; focus goes back to the button that opened it. Only changed fields
// are sent (item-edits.ts); the row then says "saving…" until the change arrives live.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Item } from '@/server/contract';
import { limits } from '@/server/limits';
import { FormField, FormStatus, SubmitButton, type FieldErrors, type FormMessage } from './form-controls';
import { focusRing } from './form-controls';
import { changedFields } from './item-edits';
import { formatMoney, majorUnitText, parsePrice, type Currency } from './money';
import type { EditOutcome } from './use-item-edits';
import type { ItemEditBody } from '@/server/contract';

export type EditRequest = { item: Item; focus: 'description' | 'unitPrice' };

type Draft = { description: string; unitPrice: string; lowStockThreshold: string };

function draftOf(item: Item, currency: Currency | null): Draft {
  return {
    description: item.description,
    unitPrice: item.unitPrice === null || currency === null ? '' : majorUnitText(item.unitPrice, currency),
    lowStockThreshold: item.lowStockThreshold === null ? '' : String(item.lowStockThreshold),
  };
}

type Parsed = { ok: true; changes: ItemEditBody | null } | { ok: false; errors: FieldErrors };

function parseDraft(item: Item, draft: Draft, currency: Currency): Parsed {
  const errors: FieldErrors = {};
  const description = draft.description.trim();
  if (description === '') errors.description = 'Give the item a title.';
  else if (description.length > limits.descriptionLengthMax) errors.description = `At most ${limits.descriptionLengthMax} characters.`;
  let unitPrice: number | null = null;
  if (draft.unitPrice.trim() !== '') {
    const price = parsePrice(draft.unitPrice, currency);
    if (price.ok) unitPrice = price.minorUnits;
    else errors.unitPrice = price.error;
  } else if (item.unitPrice !== null) {
    errors.unitPrice = 'Enter a price: an item that has one keeps one.';
  }
  let lowStockThreshold: number | null = null;
  const threshold = draft.lowStockThreshold.trim();
  if (threshold !== '') {
    const value = /^\d{1,7}$/.test(threshold) ? Number(threshold) : Number.NaN;
    if (!Number.isInteger(value) || value > limits.lowStockThresholdMax) errors.lowStockThreshold = `A whole number from 0 to ${limits.lowStockThresholdMax.toLocaleString('en-US')}, or empty for none.`;
    else lowStockThreshold = value;
  }
  if (Object.values(errors).some(Boolean)) return { ok: false, errors };
  return { ok: true, changes: changedFields(item, { description, unitPrice, lowStockThreshold }) };
}

export function EditItemDialog({
  request,
  currency,
  onSave,
  onClose,
}: {
  request: EditRequest | undefined;
  currency: Currency | null;
  onSave: (itemId: string, changes: ItemEditBody) => Promise<EditOutcome>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [draft, setDraft] = useState<Draft>({ description: '', unitPrice: '', lowStockThreshold: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setDraft(draftOf(request.item, currency));
      setErrors({});
      setMessage(null);
      element.showModal();
      // After the draft is in the fields: the focused one is the one the seller came to change.
      requestAnimationFrame(() => document.getElementById(request.focus === 'unitPrice' ? 'edit-unit-price' : 'edit-description')?.focus());
    } else if (!request && element.open) {
      element.close();
    }
  }, [request, currency]);

  const edit = (field: keyof Draft) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!request || !currency) return;
    const form = event.currentTarget;
    const parsed = parseDraft(request.item, draft, currency);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (parsed.changes === null) {
      dialog.current?.close();
      return;
    }
    setBusy(true);
    setMessage(null);
    const outcome = await onSave(request.item.itemId, parsed.changes);
    setBusy(false);
    if (outcome.ok) dialog.current?.close();
    else setMessage({ tone: 'error', text: `Not saved. ${outcome.message}` });
  }

  const item = request?.item;
  return (
    <dialog
      ref={dialog}
      aria-labelledby="edit-item-heading"
      onClose={() => {
        onClose();
        opener.current?.focus();
      }}
      className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {item && (
        <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4 p-5">
          <div>
            <h2 id="edit-item-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
              Edit item
            </h2>
            <p className="mt-0.5 font-mono text-xs text-slate-600 dark:text-slate-400">{item.itemId}</p>
          </div>
          <FormField id="edit-description" label="Title" error={errors.description}>
            {(control) => (
              <input {...control} name="description" type="text" autoComplete="off" maxLength={limits.descriptionLengthMax} value={draft.description} onChange={(event) => edit('description')(event.target.value)} />
            )}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              id="edit-unit-price"
              label={`Unit price${currency ? ` (${currency.currency})` : ''}`}
              error={errors.unitPrice}
              hint={
                item.unitPrice === null
                  ? 'No price yet: until you set one, buyers pay nothing.'
                  : currency
                    ? `Now ${formatMoney(item.unitPrice, currency)}. Past sales keep the price they were made at.`
                    : undefined
              }
            >
              {(control) => (
                <input
                  {...control}
                  name="unitPrice"
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  disabled={currency === null}
                  placeholder={currency ? majorUnitText(1250, currency) : ''}
                  value={draft.unitPrice}
                  onChange={(event) => edit('unitPrice')(event.target.value)}
                />
              )}
            </FormField>
            <FormField id="edit-low-stock" label="Low-stock warning at" optional error={errors.lowStockThreshold} hint="A badge shows when this many or fewer are left.">
              {(control) => (
                <input
                  {...control}
                  name="lowStockThreshold"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={limits.lowStockThresholdMax}
                  step={1}
                  value={draft.lowStockThreshold}
                  onChange={(event) => edit('lowStockThreshold')(event.target.value)}
                />
              )}
            </FormField>
          </div>
          <FormStatus message={message} />
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className={`rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700 ${focusRing}`}
            >
              Cancel
            </button>
            <SubmitButton busy={busy} disabled={currency === null}>
              {busy ? 'Saving…' : 'Save changes'}
            </SubmitButton>
          </div>
        </form>
      )}
    </dialog>
  );
}
