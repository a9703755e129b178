// Goal: an item's own page has its whole title, price and live stock, a proper title and description, buys like its card and lists the item's purchases live; an unknown item is a 404; a card's clamped title links there.
import { expect, test } from '@playwright/test';
import { cardMessage, itemCard, itemPage, openShopAs, purchase, uniqueItemId } from './support';
import { restockMany, uniqueWord } from './shop-support';

test('the item page: title, price, meta, buying, and recent purchases arriving live', async ({ page, request }) => {
  const itemId = uniqueItemId('page');
  const title = `The Dispossessed ${uniqueWord('ed')}, Ursula K. Le Guin`;
  await restockMany(request, [{ itemId, description: title, quantity: 4, unitPrice: 1250 }]);

  await openShopAs(page, 'Ann', itemPage(itemId));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page).toHaveTitle(`${title} · Book Purchase Streams`);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', `${title}: €12.50. Live stock; buy it or reserve it and pay later.`);
  await expect(page.getByTestId(`price-${itemId}`)).toHaveText('€12.50');
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('4');

  const card = itemCard(page, itemId);
  await card.getByLabel(/^Quantity of/).fill('2');
  await card.getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(page, itemId)).toContainText(`You bought 2 × ${title}. Total €25.00.`);
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('2');
  await expect(page.getByTestId('item-activity')).toContainText('Ann bought 2');

  // Someone else's purchase shows up live, in the stock and in the list.
  await purchase(request, { purchaseId: uniqueItemId('other'), itemId, quantity: 1, purchasedBy: 'Bob' });
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('1');
  await expect(page.getByTestId('item-activity').locator('li').first()).toContainText('Bob bought 1');
});

test('an unknown item is a 404 page that leads back to the shop', async ({ page }) => {
  const response = await page.goto(itemPage(uniqueItemId('missing')));
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'No such item' })).toBeVisible();
  await page.getByRole('link', { name: 'Browse the shop' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a long title is clamped on its card, readable whole as the link’s name and tooltip, and the link opens the item page', async ({ page, request }) => {
  const itemId = uniqueItemId('long');
  const word = uniqueWord('Longtitle');
  const title = `${word} ${'and a very long subtitle that goes on '.repeat(5)}until the end`;
  await restockMany(request, [{ itemId, description: title, quantity: 1 }]);
  await page.goto(`/?q=${word}`);
  const link = itemCard(page, itemId).getByRole('link', { name: title });
  await expect(link).toHaveAttribute('title', title);
  await expect(page.getByTestId(`price-${itemId}`)).toHaveText('No price yet');
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/items/${itemId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});
