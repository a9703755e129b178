// Goal: a seller refunds a sale from the dashboard, through a confirmation dialog, and sees it REFUNDED and its copies back in stock.
import { expect as baseExpect, test } from '@playwright/test';
import { config } from '../server/config';
import { appOrigin, purchase, readItem, restock, uniqueItemId } from './support';

// Every step waits on a round trip through Kafka and the worker; on a busy machine 5 s is too tight.
const expect = baseExpect.configure({ timeout: 15_000 });

test('a seller refunds a sale after confirming; the row says REFUNDED and the stock is back', async ({ page, request }, testInfo) => {
  const itemId = uniqueItemId('refund');
  await restock(request, { itemId, description: 'Lilith’s Brood, Octavia E. Butler', quantity: 4 });
  const purchaseId = uniqueItemId('refund-purchase');
  expect(await purchase(request, { purchaseId, itemId, quantity: 3, purchasedBy: 'Cal' })).toMatchObject({ status: 'SUCCEEDED', remaining: 1 });

  // A browser sends Origin with every POST; Playwright's request API does not, and sign-in needs it (CSRF).
  const signIn = await page.request.post('/api/session', { data: { password: config.SELLER_PASSWORD }, headers: { origin: appOrigin(testInfo) } });
  expect(signIn.status()).toBe(204);
  await page.goto('/seller');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', /\S/);
  await expect(page.getByTestId(`stock-available-${itemId}`)).toHaveText('1');
  await expect(page.getByTestId(`stock-held-${itemId}`)).toHaveText('0');

  const row = page.getByTestId(`sale-row-${purchaseId}`);
  await expect(row).toContainText('SUCCEEDED');
  const refundButton = row.getByRole('button', { name: /^Refund/ });

  // Keeping the sale changes nothing, and focus goes back to the row's button.
  await refundButton.click();
  const dialog = page.getByRole('dialog', { name: 'Refund this sale?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Refund 3 ×');
  await expect(dialog.getByRole('button', { name: 'Keep the sale' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(refundButton).toBeFocused();
  await expect(row).toHaveAttribute('data-status', 'SUCCEEDED');

  await refundButton.click();
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('data-status', 'REFUNDED');
  await expect(row).toContainText('REFUNDED');
  await expect(row.getByRole('button', { name: /^Refund/ })).toHaveCount(0);
  await expect(page.getByTestId(`stock-refunded-${itemId}`)).toHaveText('3');
  await expect(page.getByTestId(`stock-available-${itemId}`)).toHaveText('4');
  expect(await readItem(request, itemId)).toMatchObject({ restocked: 4, sold: 3, refunded: 3, held: 0, available: 4 });
});
