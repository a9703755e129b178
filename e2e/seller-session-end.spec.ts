// Goal: when the seller's session ends under the dashboard (revoked server-side), the next action lands on sign-in with a message, and the add-item form's unsent input comes back after signing in again.
import { expect as baseExpect, test } from '@playwright/test';
import { config } from '../server/config';
import { appOrigin, uniqueItemId } from './support';

const expect = baseExpect.configure({ timeout: 15_000 });

test('a session revoked mid-use sends the seller to sign-in and keeps the unsent add-item draft', async ({ page, context, playwright }, testInfo) => {
  // Two sign-ins, two dashboard loads and a restock: roomy on a busy machine.
  test.setTimeout(120_000);
  await page.goto('/seller/sign-in');
  // Enabled once hydrated: typing earlier would be lost.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await page.getByLabel('Password', { exact: true }).fill(config.SELLER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/seller$/);

  const itemId = uniqueItemId('draft');
  const addForm = page.getByRole('form', { name: 'Add a new item' });
  await addForm.getByLabel('Title').fill(`Kept through a sign-in ${itemId}`);
  await addForm.getByLabel(/^Unit price/).fill('4.20');
  await addForm.getByLabel('Initial quantity').fill('7');
  await addForm.getByLabel('Item ID').fill(itemId);

  // Sign-out from elsewhere with the same cookie (another tab, say): the server revokes the session, while this
  // page still holds the cookie.
  const session = (await context.cookies()).find((cookie) => cookie.name === 'bps_seller');
  expect(session).toBeDefined();
  const elsewhere = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const signOut = await elsewhere.delete('/api/session', { headers: { cookie: `bps_seller=${session?.value}`, origin: appOrigin(testInfo) } });
  expect(signOut.status()).toBe(204);
  await elsewhere.dispose();

  // The seller acts; the dashboard's own polling may notice the ended session first, which leads to the same page.
  await Promise.all([
    page.waitForURL(/\/seller\/sign-in\?session=ended$/),
    addForm.getByRole('button', { name: 'Add item' }).click({ timeout: 5_000 }).catch(() => undefined),
  ]);
  await expect(page.getByTestId('session-ended')).toContainText('Your session has ended');

  // Enabled once hydrated: typing earlier would be lost.

  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();

  await page.getByLabel('Password', { exact: true }).fill(config.SELLER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/seller$/);
  const restored = page.getByRole('form', { name: 'Add a new item' });
  await expect(restored.getByLabel('Title')).toHaveValue(`Kept through a sign-in ${itemId}`);
  await expect(restored.getByLabel(/^Unit price/)).toHaveValue('4.20');
  await expect(restored.getByLabel('Initial quantity')).toHaveValue('7');
  await expect(restored.getByLabel('Item ID')).toHaveValue(itemId);

  // Sent now, it is accepted, and the draft is gone.
  await restored.getByRole('button', { name: 'Add item' }).click();
  await expect(restored.getByRole('status')).toContainText(`Added “Kept through a sign-in ${itemId}” (${itemId}) with 7 copies`);
  await expect(restored.getByLabel('Item ID')).toHaveValue('');
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('bps.seller.draft.')))).toEqual([]);
});
