// Goal: a buyer reserves, sees the countdown and pays; a hold left alone expires live and its copies come back; a reserved last copy cannot be bought by another buyer.
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { limits } from '../server/limits';
import { cardMessage, itemCard, itemPage, openShopAs, readItem, restock, uniqueItemId } from './support';

// scripts/e2e-stack.sh gives the stack short holds; the tests read the same variable, with the same default.
const holdTtlSeconds = Number(process.env.HOLD_TTL_SECONDS ?? 8);
// The server appends the expiry holdConfirmGraceMs after expiresAt; the worker then decides it and the
// socket tells the page. Generous on a busy machine.
const expiryShownWithinMs = holdTtlSeconds * 1000 + limits.holdConfirmGraceMs + 10_000;

test('reserve, see the countdown, pay, and see the purchase succeed', async ({ page, request }) => {
  const itemId = uniqueItemId('hold-pay');
  const title = 'Kindred, Octavia E. Butler';
  await restock(request, { itemId, description: title, quantity: 3 });
  await openShopAs(page, 'Ann', itemPage(itemId));
  const card = itemCard(page, itemId);
  await card.getByLabel(/^Quantity of/).fill('2');
  await card.getByRole('button', { name: /^Reserve/ }).click();

  const timer = card.getByRole('timer');
  await expect(card.getByText(/^Reserved for \d+:\d\d$/)).toBeVisible();
  const first = await timer.textContent();
  // The countdown is live: it moves without anything else happening.
  await expect(timer).not.toHaveText(first ?? '', { timeout: 3_000 });
  const [minutes, seconds] = (await timer.textContent())?.split(':').map(Number) ?? [];
  const secondsLeft = (minutes ?? Number.NaN) * 60 + (seconds ?? Number.NaN);
  expect(secondsLeft).toBeGreaterThan(0);
  expect(secondsLeft).toBeLessThan(holdTtlSeconds);
  await expect(cardMessage(page, itemId)).toContainText(`2 × ${title} reserved for you`);
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('1');
  await expect(page.getByTestId(`held-${itemId}`)).toHaveText('2');

  await card.getByRole('button', { name: /^Pay/ }).click();
  await expect(cardMessage(page, itemId)).toContainText(`Paid: you bought 2 × ${title}.`);
  await expect(cardMessage(page, itemId).locator('[data-status]')).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(card.getByRole('timer')).toHaveCount(0);
  await expect(page.getByTestId(`held-${itemId}`)).toHaveCount(0);
  await expect(card).toContainText('2 sold of 3');
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 3, sold: 2, held: 0, available: 1 });
});

test('a hold left alone expires: the card and the feed say the copies were released, and they are back', async ({ browser, request }) => {
  test.setTimeout(expiryShownWithinMs + 45_000);
  const itemId = uniqueItemId('hold-expire');
  const title = 'The Fifth Season, N. K. Jemisin';
  await restock(request, { itemId, description: title, quantity: 2 });
  const context = await browser.newContext();
  const page = await context.newPage();
  const feed = await context.newPage();
  await feed.goto('/feed');
  await expect(feed.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await openShopAs(page, 'Bea', itemPage(itemId));
  const card = itemCard(page, itemId);
  await card.getByRole('button', { name: /^Reserve/ }).click();
  await expect(card.getByText(/^Reserved for \d+:\d\d$/)).toBeVisible();
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('1');
  await expect(feed.locator('li[data-hold-status="HELD"]').filter({ hasText: itemId })).toContainText('Bea reserved 1 ×');

  // At 0:00 the server has not decided yet (it waits out the grace); Pay stays offered meanwhile.
  await expect(card.getByText('Expiring…')).toBeVisible({ timeout: holdTtlSeconds * 1000 + 5_000 });
  await expect(card.getByRole('button', { name: /^Pay/ })).toBeEnabled();
  await expect(cardMessage(page, itemId)).toContainText('Hold expired: the copies were released.', { timeout: expiryShownWithinMs });
  await expect(cardMessage(page, itemId).locator('[data-status]')).toHaveAttribute('data-status', 'EXPIRED');
  await expect(page.getByTestId(`available-${itemId}`)).toHaveText('2');
  await expect(card.getByRole('button', { name: /^Reserve/ })).toBeEnabled();
  await expect(feed.locator('li[data-hold-status="EXPIRED"]').filter({ hasText: itemId })).toContainText('Hold expired: the copies were released');
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 2, sold: 0, held: 0, available: 2 });
  await context.close();
});

test('two buyers race for the last copy: one holds it, the other’s Buy fails out of stock', async ({ browser, request }) => {
  const itemId = uniqueItemId('hold-race');
  const title = 'Parable of the Sower, Octavia E. Butler';
  await restock(request, { itemId, description: title, quantity: 1 });
  const [contextA, contextB] = await Promise.all([browser.newContext(), browser.newContext()]);
  // Buyer B's page must still believe the copy is there when B clicks Buy, as on a slow connection: its
  // stock.changed frames are held back while `holdingStock` is set, and delivered when it is cleared.
  let holdingStock = false;
  const held: { route: WebSocketRoute; frame: string }[] = [];
  await contextB.routeWebSocket(/\/socket\.io\//, (route) => {
    const server = route.connectToServer();
    route.onMessage((frame) => server.send(frame));
    server.onMessage((frame) => {
      if (holdingStock && typeof frame === 'string' && frame.startsWith('42["stock.changed"')) held.push({ route, frame });
      else route.send(frame);
    });
  });
  const buyerA = await contextA.newPage();
  const buyerB = await contextB.newPage();
  await openShopAs(buyerA, 'Ann', itemPage(itemId));
  await openShopAs(buyerB, 'Ben', itemPage(itemId));
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('1');

  holdingStock = true;
  const cardA = itemCard(buyerA, itemId);
  await cardA.getByRole('button', { name: /^Reserve/ }).click();
  await expect(cardA.getByText(/^Reserved for \d+:\d\d$/)).toBeVisible();
  await expect(cardA.getByText('All reserved', { exact: true })).toBeVisible();

  const cardB = itemCard(buyerB, itemId);
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('1');
  await cardB.getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(buyerB, itemId)).toContainText('Sold out before your turn — none left.');
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 1, sold: 0, held: 1, available: 0 });

  holdingStock = false;
  for (const { route, frame } of held.splice(0)) route.send(frame);
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('0');
  await expect(cardB.getByText('All reserved', { exact: true })).toBeVisible();

  // A lets go: the copy is back for everyone, live.
  await cardA.getByRole('button', { name: /^Cancel/ }).click();
  await expect(cardMessage(buyerA, itemId)).toContainText('Reservation cancelled: the copies were released.');
  await expect(buyerB.getByTestId(`available-${itemId}`)).toHaveText('1');
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 1, sold: 0, held: 0, available: 1 });
  await Promise.all([contextA.close(), contextB.close()]);
});
