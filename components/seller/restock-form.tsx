'use client';
// A restock of an existing item: pick it, say how many. The quantity adds to its stock.
import { useState, type FormEvent } from 'react';
import type { Item } from '@/server/contract';
import { limits } from '@/server/limits';
import { FormField, FormStatus, SubmitButton, parseQuantity, type FieldErrors, type FormMessage } from './form-controls';
import { useReportFailure } from './session-guard';
import { submitRestock } from './submit-restock';
import { useRestockId } from './use-restock-id';

export const restockQuantityInputId = 'restock-quantity';
const formFields = ['itemId', 'quantity'] as const;

export function RestockForm({
  items,
  selectedItemId,
  onSelect,
}: {
  items: readonly Item[];
  selectedItemId: string;
  onSelect: (itemId: string) => void;
}) {
  const [quantity, setQuantity] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [busy, setBusy] = useState(false);
  const restockIds = useRestockId();
  const reportFailure = useReportFailure();
  const selected = items.find((item) => item.itemId === selectedItemId);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = parseQuantity(quantity, limits.quantityMax);
    const found: FieldErrors = { itemId: selected ? undefined : 'Choose the item to restock.', quantity: parsed.ok ? undefined : parsed.error };
    setErrors(found);
    if (!selected || !parsed.ok) {
      setMessage(null);
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    // The API takes a description with every restock and keeps the latest: sending the current one keeps it.
    const request = restockIds.requestFor({ itemId: selected.itemId, description: selected.description, quantity: parsed.value });
    const submission = await submitRestock(request, formFields, 'restock');
    restockIds.settle(submission.uncertain);
    setBusy(false);
    setErrors(submission.fields);
    setMessage(submission.message);
    if (submission.failure) reportFailure(submission.failure);
    if (submission.accepted) setQuantity('');
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="restock-heading" className="flex h-full flex-col gap-4 rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <div>
        <h2 id="restock-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
          Restock an item
        </h2>
        <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">The quantity adds to what is already in stock.</p>
      </div>
      <FormField id="restock-item" label="Item" error={errors.itemId} hint={items.length === 0 ? 'No items yet: add one first.' : undefined}>
        {(control) => (
          <select
            {...control}
            name="itemId"
            value={selected ? selected.itemId : ''}
            disabled={items.length === 0}
            onChange={(event) => {
              onSelect(event.target.value);
              setErrors((current) => ({ ...current, itemId: undefined }));
            }}
          >
            <option value="">Choose an item…</option>
            {items.map((item) => (
              <option key={item.itemId} value={item.itemId}>
                {item.description} ({item.itemId}) · {item.available.toLocaleString('en-US')} available{item.archived ? ' · archived' : ''}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id={restockQuantityInputId} label="Quantity to add" error={errors.quantity} hint={`1 to ${limits.quantityMax.toLocaleString('en-US')}`}>
        {(control) => (
          <input
            {...control}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={limits.quantityMax}
            step={1}
            value={quantity}
            onChange={(event) => {
              setQuantity(event.target.value);
              setErrors((current) => ({ ...current, quantity: undefined }));
            }}
          />
        )}
      </FormField>
      <div className="mt-auto flex flex-col gap-3">
        <div>
          <SubmitButton busy={busy} disabled={items.length === 0}>
            {busy ? 'Restocking…' : 'Restock'}
          </SubmitButton>
        </div>
        <FormStatus message={message} testId="restock-status" />
      </div>
    </form>
  );
}
