// Goal: "My purchases" lists this browser's purchases and holds, newest first, with status, totals and a live countdown, the same after a reload, and follows a hold to its expiry live.
import { expect, test } from '@playwright/test';
import { limits } from '../server/limits';
import { cardMessage, itemCard, itemPage, openShopAs, uniqueItemId } from './support';
import { restockMany, uniqueWord } from './shop-support';

const holdTtlSeconds = Number(process.env.HOLD_TTL_SECONDS ?? 8);
const expiryShownWithinMs = holdTtlSeconds * 1000 + limits.holdConfirmGraceMs + 10_000;

test('a purchase and a reservation in My purchases, across a reload, the hold expiring live', async ({ page, request }) => {
  test.setTimeout(expiryShownWithinMs + 60_000);
  const bought = { itemId: uniqueItemId('mine-buy'), description: `Piranesi ${uniqueWord('p')}`, quantity: 5, unitPrice: 899 };
  const reserved = { itemId: uniqueItemId('mine-hold'), description: `Jonathan Strange ${uniqueWord('j')}`, quantity: 5, unitPrice: 1500 };
  await restockMany(request, [bought, reserved]);

  await openShopAs(page, 'Ann', itemPage(bought.itemId));
  await itemCard(page, bought.itemId).getByLabel(/^Quantity of/).fill('2');
  await itemCard(page, bought.itemId).getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(page, bought.itemId)).toContainText('Total €17.98.');

  await page.goto(itemPage(reserved.itemId));
  await itemCard(page, reserved.itemId).getByRole('button', { name: /^Reserve/ }).click();
  await expect(itemCard(page, reserved.itemId).getByText(/^Reserved for \d+:\d\d$/)).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My purchases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My purchases' })).toBeVisible();
  const rows = page.getByTestId('my-purchases').locator('li');
  await expect(rows).toHaveCount(2);
  // Newest first: the reservation, then the purchase.
  await expect(rows.nth(0)).toContainText(reserved.description);
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'HELD');
  await expect(rows.nth(0).getByRole('timer')).toBeVisible();
  await expect(rows.nth(0)).toContainText('€15.00');
  await expect(rows.nth(1)).toContainText(bought.description);
  await expect(rows.nth(1)).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(rows.nth(1)).toContainText('Bought');
  await expect(rows.nth(1).getByTestId('total')).toHaveText('€17.98');

  // The list lives in this browser: a reload shows it again, read from the server in one request.
  const lookups: string[] = [];
  page.on('request', (sent) => {
    if (new URL(sent.url()).pathname === '/api/purchases' && sent.method() === 'GET') lookups.push(sent.url());
  });
  await page.reload();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toHaveAttribute('data-status', 'SUCCEEDED');
  expect(lookups.length).toBeGreaterThanOrEqual(1);
  expect(new URL(lookups[0] ?? '').searchParams.get('ids')?.split(',')).toHaveLength(2);

  // Nobody pays: the hold expires on the server and the row says so without a reload.
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'EXPIRED', { timeout: expiryShownWithinMs });
  await expect(rows.nth(0)).toContainText('Expired');
});
