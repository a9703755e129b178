// Goal: what the shop's own browser flows share: priced items made in bulk through the seller API, and reading a page of cards.
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { config } from '../server/config';

export type NewItem = { itemId: string; description: string; quantity: number; unitPrice?: number };

// Appends every restock, then waits once until the worker has applied them all: one poll, not one per item.
export async function restockMany(request: APIRequestContext, items: readonly NewItem[]): Promise<void> {
  for (const item of items) {
    const response = await request.post('/api/items', { headers: { authorization: `Bearer ${config.SELLER_TOKEN}` }, data: { ...item, restockId: `r-${randomUUID()}` } });
    expect(response.status()).toBe(202);
  }
  await expect
    .poll(
      async () => {
        const answers = await Promise.all(items.map((item) => request.get(`/api/items/${item.itemId}`)));
        return answers.filter((answer) => answer.status() === 200).length;
      },
      { timeout: 30_000 },
    )
    .toBe(items.length);
}

// The item ids of the cards on the page, in order.
export async function cardIds(page: Page): Promise<string[]> {
  const ids = await page.getByTestId('item-grid').locator('article[data-testid^="item-"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace(/^item-/, ''));
}

// A word no other test's titles contain: a search for it shows this test's items only.
export function uniqueWord(label: string): string {
  return `${label}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}
