'use client';
// The signed-in seller's page: purchases at a glance, the two stock forms, the live stock table, recent sales
// with their refunds, the auditor's verdict and the records the worker dead-lettered. The stock is loaded once
// here and shared, so the forms and the table never disagree.
import { useState } from 'react';
import { AddItemForm } from './add-item-form';
import { AuditPanel } from './audit-panel';
import { DeadLettersPanel } from './dead-letters-panel';
import { PurchasesChart } from './purchases-chart';
import { RestockForm, restockQuantityInputId } from './restock-form';
import { SalesPanel } from './sales-panel';
import { SignOutButton } from './sign-out-button';
import { StockTable } from './stock-table';
import { useLiveStock } from './use-live-stock';

export function SellerDashboard() {
  const stock = useLiveStock();
  const [restockItemId, setRestockItemId] = useState('');

  function startRestock(itemId: string) {
    setRestockItemId(itemId);
    const quantity = document.getElementById(restockQuantityInputId);
    quantity?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    quantity?.focus({ preventScroll: true });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Seller dashboard</h1>
          <p className="mt-1 text-slate-600">Restock items, watch them sell, refund a sale, and check that nothing was ever oversold.</p>
        </div>
        <SignOutButton />
      </div>
      <PurchasesChart />
      <div className="grid gap-6 md:grid-cols-2">
        <AddItemForm isKnownItem={(itemId) => stock.rows.some((item) => item.itemId === itemId)} />
        <RestockForm items={stock.rows} selectedItemId={restockItemId} onSelect={setRestockItemId} />
      </div>
      <StockTable items={stock.rows} loaded={stock.loaded} error={stock.error} onRestock={startRestock} />
      <SalesPanel />
      <AuditPanel />
      <DeadLettersPanel />
    </div>
  );
}
