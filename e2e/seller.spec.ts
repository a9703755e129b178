// Goal: a seller signs in, adds and restocks an item that buyers see live, the dashboard and restock API refuse strangers, and the session cookie is safe.
import { randomUUID } from 'node:crypto';
import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { config } from '../server/config';
import { appOrigin } from './support';

// Every step waits on a round trip through Kafka and the worker; on a busy machine 5 s is too tight.
const expect = baseExpect.configure({ timeout: 15_000 });

// The web process under test parses the same environment: the demo default unless the runner set its own.
const sellerPassword = config.SELLER_PASSWORD;

// Letters only: the item's number on a page must not be confused with digits in its name.
function uniqueWord(): string {
  return randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 8)
    .padEnd(8, 'x');
}

async function signInThroughTheForm(page: Page): Promise<void> {
  await page.goto('/seller/sign-in');
  // Enabled once hydrated: typing earlier would be lost.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await page.getByLabel('Password', { exact: true }).fill(sellerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Seller dashboard' })).toBeVisible();
}

// Live updates only reach a page whose socket is connected; waiting for it keeps the test from racing it.
async function waitUntilLive(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', /\S/);
}

async function newStrangerPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  return { context, page: await context.newPage() };
}

test('a seller adds and restocks an item; the dashboard and the shop show it live', async ({ page, browser }) => {
  // Two browser contexts and several round trips through Kafka and the worker: roomy on a busy machine.
  test.setTimeout(120_000);
  const word = uniqueWord();
  const itemId = `e2e-seller-${word}`;
  const description = `The Dispossessed ${word}, Ursula K. Le Guin`;

  await signInThroughTheForm(page);
  await waitUntilLive(page);

  // A buyer is already looking at the shop before the item exists, and never reloads.
  const buyer = await newStrangerPage(browser);
  await buyer.page.goto('/');
  await waitUntilLive(buyer.page);

  const addForm = page.getByRole('form', { name: 'Add a new item' });
  await addForm.getByLabel('Title').fill(description);
  await addForm.getByLabel(/^Unit price/).fill('9.99');
  await addForm.getByLabel('Initial quantity').fill('3');
  await addForm.getByLabel('Item ID').fill(itemId);
  await addForm.getByRole('button', { name: 'Add item' }).click();
  // A new item is said to be added, not restocked.
  await expect(addForm.getByRole('status')).toContainText(`Added “${description}” (${itemId}) with 3 copies`);
  await expect(page.getByTestId(`stock-restocked-${itemId}`)).toHaveText('3');

  const restockForm = page.getByRole('form', { name: 'Restock an item' });
  await restockForm.getByLabel('Item', { exact: true }).selectOption(itemId);
  await restockForm.getByLabel('Quantity to add').fill('2');
  await restockForm.getByRole('button', { name: 'Restock' }).click();
  await expect(restockForm.getByRole('status')).toContainText('Restock of 2 copies accepted');

  await expect(page.getByTestId(`stock-restocked-${itemId}`)).toHaveText('5');
  await expect(page.getByTestId(`stock-available-${itemId}`)).toHaveText('5');
  const card = buyer.page.getByRole('article').filter({ hasText: description });
  await expect(card.getByTestId(`available-${itemId}`)).toHaveText('5');

  // A row's own Restock button picks the item in the form and puts the cursor in the quantity.
  await restockForm.getByLabel('Item', { exact: true }).selectOption('');
  await page.getByTestId(`stock-row-${itemId}`).getByRole('button', { name: /^Restock/ }).click();
  await expect(restockForm.getByLabel('Item', { exact: true })).toHaveValue(itemId);
  await expect(restockForm.getByLabel('Quantity to add')).toBeFocused();

  // The auditor process keeps the stored report current: the item reaches it without anyone asking.
  await expect(page.getByTestId(`audit-row-${itemId}`).getByRole('cell').first()).toHaveText('5', { timeout: 30_000 });
  // A full audit on demand runs as a job whose progress the panel follows until its report is shown.
  await page.getByRole('button', { name: 'Run full audit' }).click();
  await expect(page.getByText('Full audit done.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId(`audit-row-${itemId}`).getByRole('cell').first()).toHaveText('5');
  await buyer.context.close();
});

test('without a session the dashboard redirects to sign-in and the restock API answers 401', async ({ browser }) => {
  const stranger = await newStrangerPage(browser);
  await stranger.page.goto('/seller');
  await expect(stranger.page).toHaveURL(/\/seller\/sign-in$/);
  await expect(stranger.page.getByRole('heading', { level: 1, name: 'Seller sign-in' })).toBeVisible();

  const restock = await stranger.context.request.post('/api/items', { data: { itemId: `e2e-stranger-${uniqueWord()}`, description: 'Not mine', quantity: 1 } });
  expect(restock.status()).toBe(401);
  const audit = await stranger.context.request.get('/api/audit');
  expect(audit.status()).toBe(401);
  await stranger.context.close();
});

test('a wrong password is refused; the session cookie is HttpOnly and SameSite=Strict; sign-out ends it', async ({ page, context }) => {
  // One wrong attempt per run: failed sign-ins are limited per client address, and every test shares 127.0.0.1.
  await page.goto('/seller/sign-in');
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('autocomplete', 'current-password');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong password. Try again.')).toBeVisible();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/Wrong password/);
  await expect(page).toHaveURL(/\/seller\/sign-in$/);
  expect((await context.cookies()).some((cookie) => cookie.name === 'bps_seller')).toBe(false);

  await password.fill(sellerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/seller$/);
  const session = (await context.cookies()).find((cookie) => cookie.name === 'bps_seller');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/seller\/sign-in$/);
  expect((await context.cookies()).some((cookie) => cookie.name === 'bps_seller')).toBe(false);
  await page.goto('/seller');
  await expect(page).toHaveURL(/\/seller\/sign-in$/);
});

// A small fixed catalogue, so that repeated runs show the same books instead of piling up new ones.
const catalogue = [
  { itemId: 'demo-dune', description: 'Dune, Frank Herbert', stock: 40 },
  { itemId: 'demo-foundation', description: 'Foundation, Isaac Asimov', stock: 30 },
  { itemId: 'demo-left-hand', description: 'The Left Hand of Darkness, Ursula K. Le Guin', stock: 25 },
  { itemId: 'demo-neuromancer', description: 'Neuromancer, William Gibson', stock: 6 },
  { itemId: 'demo-solaris', description: 'Solaris, Stanisław Lem', stock: 20 },
] as const;

type Decision = { status: 'SUCCEEDED' | 'FAILED' };

// The request context carries the seller's cookie, so its writes need the app's Origin, as a browser's would.
async function topUp(request: APIRequestContext, origin: string): Promise<void> {
  for (const book of catalogue) {
    const found = await request.get(`/api/items/${book.itemId}`);
    const available = found.ok() ? ((await found.json()) as { available: number }).available : 0;
    if (available >= book.stock) continue;
    const restock = await request.post('/api/items', { data: { itemId: book.itemId, description: book.description, quantity: book.stock - available }, headers: { origin } });
    expect(restock.status()).toBe(202);
    await expect.poll(async () => ((await (await request.get(`/api/items/${book.itemId}`)).json()) as { available: number }).available).toBeGreaterThanOrEqual(book.stock);
  }
}

// A kept-alive connection can be closed by the server just as it is reused (socket hang up). The same
// purchaseId makes the retry safe: it can never buy twice.
async function purchase(request: APIRequestContext, itemId: string, quantity: number, purchasedBy: string): Promise<Decision> {
  const data = { purchaseId: `e2e-${randomUUID()}`, itemId, quantity, purchasedBy };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await request.post('/api/purchases?wait=5000', { data });
      expect(response.status()).toBe(200);
      return (await response.json()) as Decision;
    } catch (error) {
      if (attempt >= 3 || !/ECONNRESET|socket hang up/.test(String(error))) throw error;
    }
  }
}

// The chart's bars decided since the given moment: they can only grow while the test runs.
async function chartCountsSince(page: Page, sinceMs: number) {
  const bars = await page.getByTestId('purchases-chart').locator('g[data-starts-at]').evaluateAll((groups) =>
    groups.map((group) => ({
      startsAtMs: Number(group.getAttribute('data-starts-at')),
      succeeded: Number(group.getAttribute('data-succeeded')),
      failed: Number(group.getAttribute('data-failed')),
    })),
  );
  const since = bars.filter((bar) => bar.startsAtMs >= Math.floor(sinceMs / 10_000) * 10_000);
  return { succeeded: since.reduce((sum, bar) => sum + bar.succeeded, 0), failed: since.reduce((sum, bar) => sum + bar.failed, 0) };
}

test('the dashboard charts purchases live; screenshots at desktop and phone widths', async ({ page }, testInfo) => {
  const screenshotsUpdated = process.env.UPDATE_SCREENSHOTS === '1';
  // Spread over several buckets, the chart looks like a real afternoon; a normal run keeps it short.
  const rounds = screenshotsUpdated ? 9 : 2;
  const roundGapMs = screenshotsUpdated ? 4_000 : 500;
  test.setTimeout(120_000);

  // A browser sends Origin with every POST; Playwright's request API does not, and sign-in needs it (CSRF).
  const signIn = await page.request.post('/api/session', { data: { password: sellerPassword }, headers: { origin: appOrigin(testInfo) } });
  expect(signIn.status()).toBe(204);
  await topUp(page.request, appOrigin(testInfo));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/seller');
  await waitUntilLive(page);
  await expect(page.getByTestId('purchases-chart')).toHaveAttribute('aria-label', /^Last 5 minutes: [\d,]+ succeeded, [\d,]+ failed$/);
  const startedAtMs = Date.now();

  const decided = { succeeded: 0, failed: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const buyers = Array.from({ length: 4 + ((round * 5) % 9) }, (_, index) => {
      // Neuromancer is the bestseller: it sells out early and later buyers are turned away.
      const book = index % 3 === 0 ? catalogue[3] : catalogue[(round + index) % catalogue.length];
      return purchase(page.request, book?.itemId ?? 'demo-dune', 1 + (index % 2), `reader-${round}-${index}`);
    });
    for (const decision of await Promise.all(buyers)) decided[decision.status === 'SUCCEEDED' ? 'succeeded' : 'failed'] += 1;
    // Pacing only: the gap spreads the rounds over the chart's time buckets; nothing is checked after it.
    if (round < rounds - 1) await page.waitForTimeout(roundGapMs);
  }
  expect(decided.failed).toBeGreaterThan(0);

  await expect.poll(async () => (await chartCountsSince(page, startedAtMs)).succeeded).toBeGreaterThanOrEqual(decided.succeeded);
  await expect.poll(async () => (await chartCountsSince(page, startedAtMs)).failed).toBeGreaterThanOrEqual(decided.failed);
  await expect(page.getByTestId('stock-row-demo-neuromancer')).toContainText('Sold out');
  await expect(page.getByTestId('stock-row-demo-neuromancer')).toHaveAttribute('data-sold-out', 'true');
  await expect(page.getByTestId('audit-verdict')).toBeVisible({ timeout: 30_000 });
  // A figure that just changed flashes and then fades back (stock-table.tsx); the pictures wait until every
  // figure is at rest. The computed colour follows the fade, so this also waits out the transition.
  const stockFigures = page.locator('[data-testid^="stock-restocked-"], [data-testid^="stock-sold-"], [data-testid^="stock-available-"]');
  await expect
    .poll(() => stockFigures.evaluateAll((figures) => figures.filter((figure) => getComputedStyle(figure).backgroundColor !== 'rgba(0, 0, 0, 0)').length))
    .toBe(0);

  const shots = [
    { name: 'seller.png', width: 1280, height: 900 },
    { name: 'seller-phone.png', width: 390, height: 844 },
  ];
  for (const shot of shots) {
    await page.setViewportSize({ width: shot.width, height: shot.height });
    // The chart redraws at the new width, and nothing pushes the page wider than the screen.
    await expect(page.getByTestId('purchases-chart')).toHaveAttribute('width', String(await page.getByTestId('purchases-chart').evaluate((svg) => svg.parentElement?.clientWidth ?? 0)));
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBe(shot.width);
    // The pictures in docs/screenshots come from e2e/screenshots.spec.ts; these stay with the test's output.
    await page.screenshot({ path: testInfo.outputPath(shot.name), fullPage: true });
  }
});
