'use client';
// An item's own page, /items/{itemId}: its whole title, price and live stock, the same Buy and Reserve as its
// card, and the item's recent purchases, kept live. The page joins the item's room, and on every connect it
// reads the item again and catches up on recent results through the feed's resume (the newest results).
import Link from 'next/link';
import { useCallback, useState } from 'react';
import type { Item, LiveResult, PurchaseResult } from '@/server/contract';
import { fetchItem } from '@/components/api/api-client';
import { isHoldResult } from '@/components/feed/feed-results';
import { readResumeAnswer } from '@/components/feed/resume-answer';
import { useLiveConnection, useSocketConnect, useSocketEvent } from '@/components/realtime/socket-provider';
import { useBuyerPrompt } from './buyer-name';
import { useCurrency } from './currency';
import { withActivity } from './item-activity';
import { ItemCard } from './item-card';
import { totalText } from './price';
import { mergeShopItem, type ShopItem } from './stock';
import { useHoldListeners } from './use-hold';
import { useResultListeners } from './use-purchase';

// How long the catch-up may take before the page stops waiting for it (live results still come).
const resumeTimeoutMs = 10_000;

export function ItemPage({ initialItem }: { initialItem: Item }) {
  const itemId = initialItem.itemId;
  const [item, setItem] = useState<ShopItem>(() => mergeShopItem(undefined, initialItem));
  const [activity, setActivity] = useState<PurchaseResult[]>([]);
  const { socket } = useLiveConnection();
  const results = useResultListeners();
  const holds = useHoldListeners();
  const buyer = useBuyerPrompt();
  const merge = useCallback((update: Item) => setItem((known) => mergeShopItem(known, update)), []);

  useSocketEvent('stock.changed', (change) => {
    if (change.itemId === itemId) merge(change);
  });
  useSocketEvent('purchase.finished', (result) => setActivity((shown) => withActivity(shown, [result], itemId)));
  useSocketConnect(() => {
    socket?.emit('items.subscribe', [itemId]);
    void fetchItem(itemId).then((answer) => {
      if (answer.ok) merge(answer.value);
    });
    socket?.timeout(resumeTimeoutMs).emit('feed.resume', { positions: {} }, (error: Error | null, answer: unknown) => {
      if (error) return;
      const step = readResumeAnswer(answer, {});
      if (step.kind !== 'merge') return;
      const purchases = step.results.filter((result): result is LiveResult => !isHoldResult(result));
      setActivity((shown) => withActivity(shown, purchases, itemId));
    });
  });

  return (
    <article aria-labelledby="item-heading" className="mx-auto max-w-3xl">
      <p>
        <Link href="/" className="rounded text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300">
          ← All items
        </Link>
      </p>
      <h1 id="item-heading" className="mt-3 text-3xl font-bold tracking-tight break-words whitespace-pre-line text-slate-900 dark:text-slate-50">
        {item.description}
      </h1>
      {item.archived && (
        <p className="mt-3 rounded-lg border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100">
          This item is no longer sold. Its page stays so that links to it keep working.
        </p>
      )}
      <div className="mt-6 grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div>
          <ItemCard item={item} buyerName={buyer.name} results={results} holds={holds} onNameMissing={buyer.ask} variant="panel" />
        </div>
        <div>{buyer.bar}</div>
      </div>
      <RecentActivity activity={activity} />
    </article>
  );
}

function RecentActivity({ activity }: { activity: readonly PurchaseResult[] }) {
  const currency = useCurrency();
  return (
    <section aria-labelledby="activity-heading" className="mt-10">
      <h2 id="activity-heading" className="text-lg font-semibold text-slate-900 dark:text-slate-50">
        Recent purchases
      </h2>
      {activity.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">No purchases of this item lately. New ones show up here as they happen.</p>
      ) : (
        <ul data-testid="item-activity" className="mt-3 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white dark:divide-slate-700 dark:border-slate-700 dark:bg-slate-900">
          {activity.map((result) => (
            <li key={result.purchaseId} data-status={result.status} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm">
              <span className="min-w-0 text-slate-800 dark:text-slate-100">{activityText(result)}</span>
              <span className="flex items-baseline gap-3 text-slate-600 tabular-nums dark:text-slate-400">
                <span>{result.status === 'FAILED' ? '' : totalText(result.total, currency)}</span>
                <time dateTime={result.decidedAt}>{new Date(result.decidedAt).toLocaleTimeString('en-GB')}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function activityText(result: PurchaseResult): string {
  switch (result.status) {
    case 'SUCCEEDED':
      return `${result.purchasedBy} bought ${result.quantity}`;
    case 'REFUNDED':
      return `${result.purchasedBy} bought ${result.quantity}, refunded`;
    case 'FAILED':
      return `${result.purchasedBy} could not buy ${result.quantity}: ${result.reason === 'OUT_OF_STOCK' ? 'sold out' : 'no longer sold'}`;
    default: {
      const unreachable: never = result;
      throw new Error(`unknown result ${JSON.stringify(unreachable)}`);
    }
  }
}
