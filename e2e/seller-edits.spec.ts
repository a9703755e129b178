// Goal: a seller edits an item's price and archives it in the dashboard (the shop shows the new price, hides the archived item and shows it again once unarchived), and picks the chart's range.
import { randomUUID } from 'node:crypto';
import { expect as baseExpect, test, type APIRequestContext, type Page } from '@playwright/test';
import { config } from '../server/config';
import { appOrigin, readItem } from './support';

// Every step waits on a round trip through Kafka and the worker; on a busy machine 5 s is too tight.
const expect = baseExpect.configure({ timeout: 15_000 });

// Letters only, so that a search for it matches this item alone.
function uniqueWord(): string {
  return randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 8)
    .padEnd(8, 'x');
}

async function addPricedItem(request: APIRequestContext, item: { itemId: string; description: string; quantity: number; unitPrice: number }): Promise<void> {
  const response = await request.post('/api/items', { headers: { authorization: `Bearer ${config.SELLER_TOKEN}` }, data: item });
  expect(response.status()).toBe(202);
  await expect.poll(async () => (await readItem(request, item.itemId))?.restocked ?? 0).toBe(item.quantity);
}

async function signIn(page: Page): Promise<void> {
  const answer = await page.request.post('/api/session', { data: { password: config.SELLER_PASSWORD }, headers: { origin: appOrigin(test.info()) } });
  expect(answer.status()).toBe(204);
  await page.goto('/seller');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', /\S/);
}

test("the seller's new price reaches the shop; the row says saving… until it arrives", async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const word = uniqueWord();
  const itemId = `e2e-price-${word}`;
  const description = `Kindred ${word}, Octavia E. Butler`;
  await addPricedItem(request, { itemId, description, quantity: 4, unitPrice: 1250 });
  await signIn(page);

  const row = page.getByTestId(`stock-row-${itemId}`);
  await expect(page.getByTestId(`stock-price-${itemId}`)).toHaveText('€12.50');
  await row.getByRole('button', { name: /^Edit/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit item' });
  await expect(dialog.getByLabel('Title')).toHaveValue(description);
  await dialog.getByLabel(/^Unit price/).fill('7.5');
  await dialog.getByLabel(/^Low-stock warning at/).fill('4');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  // The edit is only appended when the API answers: the row waits for the item itself to change.
  await expect(row).toHaveAttribute('data-saving', 'false');
  await expect(page.getByTestId(`stock-price-${itemId}`)).toHaveText('€7.50');
  await expect(page.getByTestId(`low-stock-${itemId}`)).toHaveText('Low stock');
  // Focus goes back to the button that opened the dialog.
  await expect(row.getByRole('button', { name: /^Edit/ })).toBeFocused();

  const buyer = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shopper = await buyer.newPage();
  await shopper.goto(`/items/${itemId}`);
  await expect(shopper.getByRole('heading', { level: 1 })).toContainText(`Kindred ${word}`);
  await expect(shopper.getByText('€7.50').first()).toBeVisible();
  await buyer.close();
});

test('an archived item leaves the shop and comes back when unarchived; the dashboard keeps it, dimmed', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const word = uniqueWord();
  const itemId = `e2e-archive-${word}`;
  await addPricedItem(request, { itemId, description: `Parable of the Sower ${word}`, quantity: 3, unitPrice: 990 });
  await signIn(page);

  const buyer = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shopper = await buyer.newPage();
  const shopCard = () => shopper.getByTestId(`item-${itemId}`);
  await shopper.goto(`/?q=${word}`);
  await expect(shopCard()).toBeVisible();

  const row = page.getByTestId(`stock-row-${itemId}`);
  await row.getByRole('button', { name: /^Archive/ }).click();
  await expect(row).toHaveAttribute('data-archived', 'true');
  await expect(row.getByText('Archived', { exact: true })).toBeVisible();
  await expect(row).toHaveAttribute('data-saving', 'false');
  // Archived items stay in the seller's table (and history) but are hidden from the shop.
  await shopper.goto(`/?q=${word}`);
  await expect(shopper.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(shopCard()).toHaveCount(0);
  expect((await request.get(`/api/items?q=${word}`)).ok()).toBe(true);
  expect(((await (await request.get(`/api/items?q=${word}`)).json()) as unknown[]).length).toBe(0);

  await row.getByRole('button', { name: /^Unarchive/ }).click();
  await expect(row).toHaveAttribute('data-archived', 'false');
  await shopper.goto(`/?q=${word}`);
  await expect(shopCard()).toBeVisible();
  await buyer.close();
});

test('an item added without a price asks the seller for one, and adding with a price says it was added', async ({ page, request }) => {
  test.setTimeout(90_000);
  const word = uniqueWord();
  const unpricedId = `e2e-unpriced-${word}`;
  // An item from before prices: restocked without a unitPrice.
  const response = await request.post('/api/items', { headers: { authorization: `Bearer ${config.SELLER_TOKEN}` }, data: { itemId: unpricedId, description: `Lilith's Brood ${word}`, quantity: 2 } });
  expect(response.status()).toBe(202);
  await signIn(page);

  const row = page.getByTestId(`stock-row-${unpricedId}`);
  await expect(row.getByRole('button', { name: /^No price yet — set one/ })).toBeVisible();
  await expect(page.getByTestId('unpriced-prompt')).toContainText('no price yet');
  await row.getByRole('button', { name: /^No price yet — set one/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit item' });
  await expect(dialog.getByLabel(/^Unit price/)).toBeFocused();
  await dialog.getByLabel(/^Unit price/).fill('abc');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByLabel(/^Unit price/)).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel(/^Unit price/).fill('3.99');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId(`stock-price-${unpricedId}`)).toHaveText('€3.99');

  const addForm = page.getByRole('form', { name: 'Add a new item' });
  const newId = `e2e-added-${word}`;
  await addForm.getByLabel('Title').fill(`Fledgling ${word}`);
  await addForm.getByLabel(/^Unit price/).fill('12.345');
  await addForm.getByLabel('Initial quantity').fill('20');
  await addForm.getByLabel('Item ID').fill(newId);
  await addForm.getByRole('button', { name: 'Add item' }).click();
  await expect(addForm.getByLabel(/^Unit price/)).toHaveAttribute('aria-invalid', 'true');
  await addForm.getByLabel(/^Unit price/).fill('12.50');
  await addForm.getByRole('button', { name: 'Add item' }).click();
  await expect(addForm.getByRole('status')).toContainText(`Added “Fledgling ${word}” (${newId}) with 20 copies`);
  await expect(page.getByTestId(`stock-price-${newId}`)).toHaveText('€12.50');
});

test('the chart switches between 5 minutes, an hour and a day, with buckets to match', async ({ page }) => {
  await signIn(page);
  const chart = page.getByTestId('purchases-chart');
  await expect(chart).toHaveAttribute('data-range', '5m');
  await expect(chart.locator('g[data-starts-at]')).toHaveCount(30);
  // The radio buttons are drawn as one segmented control: a seller clicks the words.
  const range = page.getByRole('group', { name: 'Chart range' });
  await range.getByText('1 hour', { exact: true }).click();
  await expect(page.getByRole('radio', { name: '1 hour' })).toBeChecked();
  await expect(chart).toHaveAttribute('data-range', '1h');
  await expect(chart).toHaveAttribute('aria-label', /^Last hour: [\d,]+ succeeded, [\d,]+ failed$/);
  await expect(chart.locator('g[data-starts-at]')).toHaveCount(60);
  await range.getByText('24 hours', { exact: true }).click();
  await expect(chart).toHaveAttribute('data-range', '24h');
  await expect(chart.locator('g[data-starts-at]')).toHaveCount(96);
  await expect(page.getByText('Every purchase decided in the last 24 hours, per 15 minutes', { exact: false })).toBeVisible();
});
