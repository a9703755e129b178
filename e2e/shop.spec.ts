// Goal: buyers racing in separate browsers get the right results, the shop and the feed follow live, and one click buys once.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { cardMessage, expectNotReloaded, itemCard, itemPage, markDocument, openShopAs, purchase, readItem, restock, saveScreenshot, showOnlyItems, uniqueItemId } from './support';

async function buy(page: Page, itemId: string, quantity: number): Promise<void> {
  const card = itemCard(page, itemId);
  await card.getByLabel(/^Quantity of/).fill(String(quantity));
  await card.getByRole('button', { name: /^Buy/ }).click();
}

function feedRow(feed: Page, itemId: string, text: string) {
  return feed.locator('li[data-purchase-id]').filter({ hasText: itemId }).filter({ hasText: text });
}

test('three buyers race for five copies: results, sold out and the feed, all live', async ({ browser, request }) => {
  const itemId = uniqueItemId('race');
  const title = 'Dune, Frank Herbert';
  await restock(request, { itemId, description: title, quantity: 5 });

  const [contextA, contextB, contextFeed] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  // Buyer A's page must still believe there are copies left when A tries once more, as a buyer on a slow
  // connection would: this route passes every socket.io frame through, except that it holds back
  // stock.changed frames while `holdingStock` is set, and delivers them when it is cleared.
  let holdingStock = false;
  const held: { route: WebSocketRoute; frame: string }[] = [];
  await contextA.routeWebSocket(/\/socket\.io\//, (route) => {
    const server = route.connectToServer();
    route.onMessage((frame) => server.send(frame));
    server.onMessage((frame) => {
      if (holdingStock && typeof frame === 'string' && frame.startsWith('42["stock.changed"')) held.push({ route, frame });
      else route.send(frame);
    });
  });

  const buyerA = await contextA.newPage();
  const buyerB = await contextB.newPage();
  const feed = await contextFeed.newPage();
  await openShopAs(buyerA, 'Ann', itemPage(itemId));
  await openShopAs(buyerB, 'Ben', itemPage(itemId));
  await feed.goto('/feed');
  await expect(feed.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  for (const page of [buyerA, buyerB, feed]) await markDocument(page);
  await expect(buyerA.getByTestId(`available-${itemId}`)).toHaveText('5');

  await buy(buyerA, itemId, 2);
  await expect(cardMessage(buyerA, itemId)).toContainText(`You bought 2 × ${title}.`);
  await expect(feedRow(feed, itemId, 'Ann bought 2 ×')).toBeVisible({ timeout: 2_000 });
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('3');

  holdingStock = true;
  await buy(buyerB, itemId, 3);
  await expect(cardMessage(buyerB, itemId)).toContainText(`You bought 3 × ${title}.`);
  await expect(feedRow(feed, itemId, 'Ben bought 3 ×')).toBeVisible({ timeout: 2_000 });
  await expect(itemCard(buyerB, itemId).getByText('Sold out', { exact: true })).toBeVisible();

  // A's page has not heard yet, so A can still try; the worker decides against the real stock.
  await expect(buyerA.getByTestId(`available-${itemId}`)).toHaveText('3');
  await buy(buyerA, itemId, 1);
  await expect(cardMessage(buyerA, itemId)).toContainText('Sold out before your turn — none left.');
  await expect(feedRow(feed, itemId, 'Ann could not buy 1 ×')).toBeVisible({ timeout: 2_000 });
  await expect(feedRow(feed, itemId, 'Out of stock · 0 left')).toHaveCount(1);

  holdingStock = false;
  for (const { route, frame } of held.splice(0)) route.send(frame);
  for (const page of [buyerA, buyerB]) {
    const card = itemCard(page, itemId);
    await expect(card.getByText('Sold out', { exact: true })).toBeVisible();
    await expect(page.getByTestId(`available-${itemId}`)).toHaveText('0');
    // Marked, not disabled: a click on it says "Sold out" (e2e/shop-notices.spec.ts).
    await expect(card.getByRole('button', { name: /^Buy/ })).toHaveAttribute('aria-disabled', 'true');
  }
  for (const page of [buyerA, buyerB, feed]) await expectNotReloaded(page);
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 5, sold: 5, available: 0 });
  await Promise.all([contextA.close(), contextB.close(), contextFeed.close()]);
});

test('a double click on Buy buys once', async ({ page, request }) => {
  const itemId = uniqueItemId('double');
  await restock(request, { itemId, description: 'Neuromancer, William Gibson', quantity: 6 });
  await openShopAs(page, 'Dee', itemPage(itemId));
  const purchaseRequests: string[] = [];
  page.on('request', (sent) => {
    if (sent.method() === 'POST' && new URL(sent.url()).pathname === '/api/purchases') purchaseRequests.push(sent.postData() ?? '');
  });

  const card = itemCard(page, itemId);
  await card.getByLabel(/^Quantity of/).fill('2');
  await card.getByRole('button', { name: /^Buy/ }).dblclick();
  await expect(cardMessage(page, itemId)).toContainText('You bought 2 × Neuromancer, William Gibson.');

  // A later purchase of the same item is decided after every purchase appended before it (one partition,
  // decided in order), so its answer proves no second one was taken: that would have left 1, not 3.
  const later = await purchase(request, { purchaseId: uniqueItemId('later'), itemId, quantity: 1, purchasedBy: 'Lee' });
  expect(later).toMatchObject({ status: 'SUCCEEDED', remaining: 3 });
  expect(await readItem(request, itemId)).toMatchObject({ sold: 3, available: 3 });
  expect(purchaseRequests).toHaveLength(1);
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('3');
  await expect(cardMessage(page, itemId).locator('[data-status]')).toHaveCount(1);
});

test('a 503 is explained, and Try again re-sends the same purchase, whose result then comes live', async ({ page, request }) => {
  const itemId = uniqueItemId('retry');
  await restock(request, { itemId, description: 'Foundation, Isaac Asimov', quantity: 5 });
  await openShopAs(page, 'Fay', itemPage(itemId));
  const sentIds: string[] = [];
  let answered503 = false;
  await page.route(/\/api\/purchases\?/, async (route) => {
    sentIds.push((JSON.parse(route.request().postData() ?? '{}') as { purchaseId?: string }).purchaseId ?? '');
    if (!answered503) {
      // What the API answers when Kafka does not acknowledge in time.
      answered503 = true;
      await route.fulfill({ status: 503, headers: { 'retry-after': '2' }, json: { error: 'the event could not be appended, try again later (kafka)' } });
      return;
    }
    // The retry reaches the real server without a wait, so it answers 202 and the decision arrives by socket.
    await route.continue({ url: route.request().url().replace(/wait=\d+/, 'wait=0') });
  });

  const card = itemCard(page, itemId);
  await buy(page, itemId, 2);
  const status = cardMessage(page, itemId);
  await expect(status).toContainText('Couldn’t confirm your order: it may or may not have gone through.');
  await expect(status).toContainText('The event could not be appended, try again later (kafka).');
  const retried = page.waitForResponse((response) => response.url().includes('/api/purchases?'));
  await status.getByRole('button', { name: 'Try again' }).click();
  expect((await retried).status()).toBe(202);
  await expect(status).toContainText('You bought 2 × Foundation, Isaac Asimov.');
  expect(sentIds).toHaveLength(2);
  expect(sentIds[1]).toBe(sentIds[0]);
  expect(await readItem(request, itemId)).toMatchObject({ sold: 2, available: 3 });
});

test('a new item and a restock show up on an open shop page without a reload', async ({ page, request }) => {
  await openShopAs(page, 'Eve');
  await markDocument(page);
  const itemId = uniqueItemId('restock');

  await restock(request, { itemId, description: 'Solaris, Stanisław Lem', quantity: 3 });
  await expect(itemCard(page, itemId).getByRole('heading', { name: 'Solaris, Stanisław Lem' })).toBeVisible();
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('3');

  await restock(request, { itemId, description: 'Solaris, Stanisław Lem', quantity: 4 });
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('7');
  await expect(itemCard(page, itemId)).toContainText('0 sold of 7');
  await expectNotReloaded(page);
});

test('screenshots of the shop on a desktop and a phone', async ({ page, request }, testInfo) => {
  const books = [
    { label: 'dune', description: 'Dune, Frank Herbert', quantity: 12 },
    { label: 'foundation', description: 'Foundation, Isaac Asimov', quantity: 40 },
    { label: 'neuromancer', description: 'Neuromancer, William Gibson', quantity: 3 },
    { label: 'solaris', description: 'Solaris, Stanisław Lem', quantity: 1 },
    { label: 'left-hand', description: 'The Left Hand of Darkness, Ursula K. Le Guin', quantity: 8 },
    { label: 'hyperion', description: 'Hyperion, Dan Simmons', quantity: 2 },
  ].map((book) => ({ ...book, itemId: uniqueItemId(`shot-${book.label}`) }));
  for (const { itemId, description, quantity } of books) await restock(request, { itemId, description, quantity });
  // Sold out before the page opens: it shows as such, in its place.
  const hyperion = books[5];
  if (!hyperion) throw new Error('the book list above has six entries');
  await purchase(request, { purchaseId: uniqueItemId('purchase'), itemId: hyperion.itemId, quantity: 2, purchasedBy: 'Zoe' });

  await showOnlyItems(page, new Set(books.map((book) => book.itemId)));
  await page.setViewportSize({ width: 1280, height: 900 });
  await openShopAs(page, 'Ann');
  const [dune, , , solaris] = books;
  if (!dune || !solaris) throw new Error('the book list above has six entries');
  await buy(page, dune.itemId, 2);
  await expect(cardMessage(page, dune.itemId)).toContainText('You bought 2 ×');
  await buy(page, solaris.itemId, 1);
  await expect(itemCard(page, solaris.itemId).getByText('Sold out', { exact: true })).toBeVisible();
  await expect(itemCard(page, hyperion.itemId)).toBeVisible();
  await saveScreenshot(page, testInfo, 'shop');
  // The same page, narrowed: the layout must hold at a phone's width without a reload.
  await page.setViewportSize({ width: 390, height: 844 });
  await saveScreenshot(page, testInfo, 'shop-phone');
});
