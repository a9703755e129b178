// Goal: every click gets an answer a buyer can see: results announced in the site's notices wherever the card is, a sold-out click answered at once without a request, the race loser told, the quantity hint, focus kept after the name, and the page's basics (skip link, favicon, "Connecting…").
import { expect, test, type Page } from '@playwright/test';
import { cardMessage, itemCard, itemPage, openShopAs, readItem, uniqueItemId } from './support';
import { restockMany, uniqueWord } from './shop-support';

function purchasesSent(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/purchases') sent.push(request.url());
  });
  return sent;
}

test('a result is announced in the notices while its card is scrolled out of sight', async ({ page, request }) => {
  const itemId = uniqueItemId('toast');
  const word = uniqueWord('Toast');
  await restockMany(request, [{ itemId, description: `${word} Kindred`, quantity: 3, unitPrice: 500 }]);
  await page.setViewportSize({ width: 390, height: 600 });
  await openShopAs(page, 'Ann', `/?q=${word}`);
  // The answer is held back a moment, long enough to scroll the card away first.
  await page.route(/\/api\/purchases\?/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  // One card makes a short page: a long one (a busy shop) is stood in for by space below it.
  await page.evaluate(() => {
    document.body.style.paddingBottom = '3000px';
  });
  await itemCard(page, itemId).getByRole('button', { name: /^Buy/ }).click();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(itemCard(page, itemId)).not.toBeInViewport();
  const toasts = page.getByTestId('toasts');
  await expect(toasts).toHaveAttribute('aria-live', 'polite');
  await expect(toasts).toHaveAttribute('role', 'status');
  await expect(toasts).toContainText(`You bought 1 × ${word} Kindred. Total €5.00.`);
  await expect(toasts.locator('[data-tone="success"]')).toBeInViewport();
});

test('the race loser is told: the last copy goes to one buyer, and the other’s click says sold out at once without sending anything', async ({ browser, request }) => {
  const itemId = uniqueItemId('loser');
  await restockMany(request, [{ itemId, description: 'The Last Unicorn, Peter S. Beagle', quantity: 1 }]);
  const [contextA, contextB] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [buyerA, buyerB] = await Promise.all([contextA.newPage(), contextB.newPage()]);
  await openShopAs(buyerA, 'Ann', itemPage(itemId));
  await openShopAs(buyerB, 'Ben', itemPage(itemId));
  const sentByB = purchasesSent(buyerB);

  await itemCard(buyerA, itemId).getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(buyerA, itemId)).toContainText('You bought 1 × The Last Unicorn, Peter S. Beagle.');
  // B's card flips live; B clicks anyway. The button is marked aria-disabled (so Playwright would wait for it
  // to be enabled): force sends the click a person can still make.
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('0');
  const buyB = itemCard(buyerB, itemId).getByRole('button', { name: /^Buy/ });
  await expect(buyB).toHaveAttribute('aria-disabled', 'true');
  await buyB.click({ force: true });
  await expect(cardMessage(buyerB, itemId)).toContainText('Sold out — none left.');
  await itemCard(buyerB, itemId).getByRole('button', { name: /^Reserve/ }).click({ force: true });
  await expect(cardMessage(buyerB, itemId)).toContainText('Sold out — none left.');
  expect(sentByB).toHaveLength(0);
  expect(await readItem(request, itemId)).toMatchObject({ sold: 1, available: 0 });
  await Promise.all([contextA.close(), contextB.close()]);
});

test('typing more than is available says how many there are and sends nothing until the quantity is one that can be bought', async ({ page, request }) => {
  const itemId = uniqueItemId('hint');
  await restockMany(request, [{ itemId, description: 'Gideon the Ninth, Tamsyn Muir', quantity: 3 }]);
  await openShopAs(page, 'Ann', itemPage(itemId));
  const sent = purchasesSent(page);
  const quantity = itemCard(page, itemId).getByLabel(/^Quantity of/);
  await quantity.fill('99');
  await expect(quantity).toHaveValue('99');
  await expect(cardMessage(page, itemId)).toContainText('Only 3 available.');
  await itemCard(page, itemId).getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(page, itemId)).toContainText('Only 3 available.');
  expect(sent).toHaveLength(0);
  // Not lowered behind the buyer's back: the number stays until the buyer changes it.
  await expect(quantity).toHaveValue('99');
  await quantity.fill('3');
  await expect(cardMessage(page, itemId)).not.toContainText('Only 3 available.');
  await itemCard(page, itemId).getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(page, itemId)).toContainText('You bought 3 × Gideon the Ninth, Tamsyn Muir.');
});

test('after the name is entered with Enter, focus goes back to the Buy that asked for it, or to Change', async ({ page, request }) => {
  const itemId = uniqueItemId('focus');
  await restockMany(request, [{ itemId, description: 'Ancillary Justice, Ann Leckie', quantity: 2 }]);
  await page.goto(itemPage(itemId));
  const buy = itemCard(page, itemId).getByRole('button', { name: /^Buy/ });
  await buy.click();
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.getByLabel('Your name').fill('Ann');
  await page.keyboard.press('Enter');
  await expect(buy).toBeFocused();

  await page.getByRole('button', { name: 'Change name' }).click();
  await page.getByLabel('Your name').fill('Anna');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Buying as Anna')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change name' })).toBeFocused();
});

test('the skip link comes first and shows, the favicon is served, and the status says Connecting… before the first connect', async ({ page }) => {
  await page.route(/\/socket\.io\//, (route) => route.abort());
  await page.routeWebSocket(/\/socket\.io\//, () => undefined);
  await page.goto('/');
  await expect(page.getByTestId('connection-status')).toHaveText('Connecting…');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
  const favicon = await page.request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
});
