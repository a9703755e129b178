'use client';
// A new item: title, unit price, initial quantity and, optionally, its own itemId (the server names it
// otherwise). The price is typed in the currency's major unit and sent in minor units (money.ts).
// The draft outlives the page (use-form-draft.ts): a session that ends before it is sent does not lose it.
import { useState, type FormEvent } from 'react';
import { useReportFailure } from './session-guard';
import { useFormDraft } from './use-form-draft';
import { itemIdSchema } from '@/server/contract';
import { limits } from '@/server/limits';
import { FormField, FormStatus, SubmitButton, parseQuantity, type FieldErrors, type FormMessage } from './form-controls';
import { formatMoney, majorUnitText, parsePrice, type Currency } from './money';
import { submitRestock } from './submit-restock';
import { useRestockId } from './use-restock-id';

const formFields = ['description', 'unitPrice', 'quantity', 'itemId'] as const;

type Draft = { description: string; unitPrice: string; quantity: string; itemId: string };
const emptyDraft: Draft = { description: '', unitPrice: '', quantity: '', itemId: '' };

function validate(draft: Draft, currency: Currency, isKnownItem: (itemId: string) => boolean): FieldErrors {
  const errors: FieldErrors = {};
  const description = draft.description.trim();
  if (description === '') errors.description = 'Give the item a title.';
  else if (description.length > limits.descriptionLengthMax) errors.description = `At most ${limits.descriptionLengthMax} characters.`;
  const price = parsePrice(draft.unitPrice, currency);
  if (!price.ok) errors.unitPrice = price.error;
  const quantity = parseQuantity(draft.quantity, limits.quantityMax);
  if (!quantity.ok) errors.quantity = quantity.error;
  const itemId = draft.itemId.trim();
  if (itemId.length > limits.itemIdLengthMax) errors.itemId = `At most ${limits.itemIdLengthMax} characters.`;
  // The API's own rule, checked here too so the seller hears it at once.
  else if (itemId !== '' && !itemIdSchema.safeParse(itemId).success) errors.itemId = 'Only letters, digits, dot, underscore and hyphen.';
  // Posting an existing id would restock (and rename) that item: not what "add a new item" promises.
  else if (itemId !== '' && isKnownItem(itemId)) errors.itemId = `${itemId} already exists: restock it instead.`;
  return errors;
}

export function AddItemForm({ currency, isKnownItem }: { currency: Currency | null; isKnownItem: (itemId: string) => boolean }) {
  const [draft, setDraft, clearDraft] = useFormDraft('add-item', emptyDraft);
  const reportFailure = useReportFailure();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage>(null);
  const [busy, setBusy] = useState(false);
  const restockIds = useRestockId();

  const edit = (field: keyof Draft) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (currency === null) return;
    const found = validate(draft, currency, isKnownItem);
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      setMessage(null);
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    const itemId = draft.itemId.trim();
    const price = parsePrice(draft.unitPrice, currency);
    const unitPrice = price.ok ? price.minorUnits : undefined;
    const request = restockIds.requestFor({ description: draft.description.trim(), quantity: Number(draft.quantity.trim()), unitPrice, ...(itemId === '' ? {} : { itemId }) });
    const submission = await submitRestock(request, formFields, 'add');
    restockIds.settle(submission.uncertain);
    setBusy(false);
    setErrors(submission.fields);
    setMessage(submission.message);
    if (submission.failure) reportFailure(submission.failure);
    if (submission.accepted) clearDraft();
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="add-item-heading" className="flex h-full flex-col gap-4 rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <div>
        <h2 id="add-item-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
          Add a new item
        </h2>
        <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">It goes on sale at this price a moment after you add it.</p>
      </div>
      <FormField id="add-description" label="Title" error={errors.description}>
        {(control) => (
          <input
            {...control}
            name="description"
            type="text"
            autoComplete="off"
            maxLength={limits.descriptionLengthMax}
            placeholder="Dune, Frank Herbert (paperback)"
            value={draft.description}
            onChange={(event) => edit('description')(event.target.value)}
          />
        )}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="add-unit-price"
          label={`Unit price${currency ? ` (${currency.currency})` : ''}`}
          error={errors.unitPrice}
          hint={currency ? `Such as ${majorUnitText(1250, currency)} for ${formatMoney(1250, currency)}` : 'Loading the currency…'}
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
        <FormField id="add-quantity" label="Initial quantity" error={errors.quantity} hint={`1 to ${limits.quantityMax.toLocaleString('en-US')}`}>
          {(control) => (
            <input
              {...control}
              name="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={limits.quantityMax}
              step={1}
              value={draft.quantity}
              onChange={(event) => edit('quantity')(event.target.value)}
            />
          )}
        </FormField>
        <FormField id="add-item-id" label="Item ID" optional error={errors.itemId} hint="Generated when left empty">
          {(control) => (
            <input
              {...control}
              name="itemId"
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={limits.itemIdLengthMax}
              placeholder="dune-paperback"
              value={draft.itemId}
              onChange={(event) => edit('itemId')(event.target.value)}
              className={`${control.className} font-mono`}
            />
          )}
        </FormField>
      </div>
      <div className="mt-auto flex flex-col gap-3">
        <div>
          <SubmitButton busy={busy} disabled={currency === null}>{busy ? 'Adding…' : 'Add item'}</SubmitButton>
        </div>
        <FormStatus message={message} testId="add-item-status" />
      </div>
    </form>
  );
}
