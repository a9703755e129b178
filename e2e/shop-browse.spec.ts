// Goal: a buyer searches, sorts and filters on the server's side, pages through 70 items with at most one page of cards in a phone's DOM, and a link reproduces the view.
import { expect, test } from '@playwright/test';
import { purchase, uniqueItemId } from './support';
import { cardIds, restockMany, uniqueWord } from './shop-support';

const itemCount = 70;

test('search, sort, in-stock filter and paging through 70 items on a phone, reproduced by the URL', async ({ page, request }) => {
  test.setTimeout(180_000);
  const word = uniqueWord('Zephyr');
  const items = Array.from({ length: itemCount }, (_, index) => ({
    itemId: uniqueItemId(`browse-${String(index).padStart(2, '0')}`),
    description: `${word} volume ${String(index).padStart(2, '0')}`,
    quantity: 2,
    // Prices out of title order, so that sorting by price really reorders.
    unitPrice: 100 + ((index * 37) % itemCount) * 10,
  }));
  await restockMany(request, items);
  // Five sold out: the in-stock filter leaves them out.
  const soldOut = items.slice(0, 5);
  for (const item of soldOut) await purchase(request, { purchaseId: uniqueItemId('sellout'), itemId: item.itemId, quantity: 2, purchasedBy: 'Zoe' });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await page.getByLabel('Search titles').fill(word);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${word}`));
  await expect(page.getByTestId('results-summary')).toContainText(`matching “${word}”`);

  // Paging: every item once, never more than a page of cards in the DOM.
  const seen: string[] = [];
  for (let pageNumber = 1; ; pageNumber += 1) {
    const ids = await cardIds(page);
    expect(ids.length).toBeGreaterThan(0);
    expect(await page.locator('article[data-testid^="item-"]').count()).toBeLessThanOrEqual(60);
    seen.push(...ids);
    const next = page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /Next/ });
    if (await next.isDisabled()) break;
    await next.click();
    await expect(page.getByText(`Page ${pageNumber + 1}`, { exact: true })).toBeVisible();
  }
  expect(new Set(seen).size).toBe(itemCount);
  expect([...seen].sort()).toEqual(items.map((item) => item.itemId).sort());

  // Sort by price, low to high: the URL says so and the first card is the cheapest.
  await page.goto(`/?q=${word}`);
  await page.getByLabel('Sort by').selectOption('price');
  await expect(page).toHaveURL(/sort=price/);
  const cheapest = [...items].sort((left, right) => left.unitPrice - right.unitPrice || left.itemId.localeCompare(right.itemId))[0];
  await expect.poll(async () => (await cardIds(page))[0]).toBe(cheapest?.itemId);
  await expect(page.getByTestId(`price-${cheapest?.itemId}`)).toHaveText('€1.00');

  // In stock only: the sold-out ones are gone.
  await page.getByLabel('In stock only').check();
  await expect(page).toHaveURL(/inStock=true/);
  await expect(page.getByTestId(`item-${soldOut[0]?.itemId}`)).toHaveCount(0);
  const firstPage = await cardIds(page);
  for (const item of soldOut) expect(firstPage).not.toContain(item.itemId);

  // The same URL in a fresh page shows the same view.
  const url = page.url();
  const again = await page.context().newPage();
  await again.goto(url);
  await expect(again.getByLabel('Search titles')).toHaveValue(word);
  await expect(again.getByLabel('Sort by')).toHaveValue('price');
  await expect(again.getByLabel('In stock only')).toBeChecked();
  await expect.poll(() => cardIds(again)).toEqual(firstPage);
});
