'use client';
// The signed-in seller's page: revenue and purchases at a glance, the two stock forms, the live stock table
// with its edits, recent sales with their refunds, the auditor's verdict and the records the worker
// dead-lettered. The stock and the shop's currency are loaded once here and shared, so the forms and the
// table never disagree.
import { useMemo, useState } from 'react';
import type { Item } from '@/server/contract';
import { AddItemForm } from './add-item-form';
import { AuditPanel } from './audit-panel';
import { DeadLettersPanel } from './dead-letters-panel';
import { EditItemDialog, type EditRequest } from './edit-item-dialog';
import { PurchasesChart } from './purchases-chart';
import { RestockForm, restockQuantityInputId } from './restock-form';
import { RevenuePanel } from './revenue-panel';
import { SalesPanel } from './sales-panel';
import { SignOutButton } from './sign-out-button';
import { StockTable } from './stock-table';
import { useItemEdits } from './use-item-edits';
import { useLiveStock } from './use-live-stock';
import { useShopCurrency } from './use-shop-currency';

export function SellerDashboard() {
  const stock = useLiveStock();
  const currency = useShopCurrency();
  const edits = useItemEdits(stock.rows, stock.refresh);
  const [restockItemId, setRestockItemId] = useState('');
  const [editing, setEditing] = useState<EditRequest | undefined>(undefined);
  const titles = useMemo(() => new Map(stock.rows.map((item) => [item.itemId, item.description])), [stock.rows]);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());

  function startRestock(itemId: string) {
    setRestockItemId(itemId);
    const quantity = document.getElementById(restockQuantityInputId);
    quantity?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    quantity?.focus({ preventScroll: true });
  }

  async function toggleArchive(item: Item) {
    const outcome = await edits.edit(item.itemId, { archived: !item.archived });
    setProblems((current) => {
      const next = new Map(current);
      if (outcome.ok) next.delete(item.itemId);
      else next.set(item.itemId, `Not ${item.archived ? 'unarchived' : 'archived'}. ${outcome.message}`);
      return next;
    });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Seller dashboard</h1>
          <p className="mt-1 text-slate-600 dark:text-slate-400">Add and price items, watch them sell, refund a sale, and check that nothing was ever oversold.</p>
        </div>
        <SignOutButton />
      </div>
      <RevenuePanel currency={currency} />
      <PurchasesChart />
      <div className="grid gap-6 md:grid-cols-2">
        <AddItemForm currency={currency} isKnownItem={(itemId) => stock.rows.some((item) => item.itemId === itemId)} />
        <RestockForm items={stock.rows} selectedItemId={restockItemId} onSelect={setRestockItemId} />
      </div>
      <StockTable
        items={stock.rows}
        loaded={stock.loaded}
        error={stock.error}
        currency={currency}
        pending={edits.pending}
        problems={problems}
        onRestock={startRestock}
        onEdit={setEditing}
        onArchive={(item) => void toggleArchive(item)}
      />
      <SalesPanel currency={currency} titleOf={(itemId) => titles.get(itemId)} />
      <AuditPanel tableItemCount={stock.loaded ? stock.rows.length : null} />
      <DeadLettersPanel />
      <EditItemDialog request={editing} currency={currency} onSave={edits.edit} onClose={() => setEditing(undefined)} />
    </div>
  );
}
