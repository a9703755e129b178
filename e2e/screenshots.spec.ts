// Goal: fresh pictures of every page at desktop (1280×900) and phone (390×844) widths, light and dark; with UPDATE_SCREENSHOTS=1 they replace docs/screenshots.
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { config } from '../server/config';
import { limits } from '../server/limits';
import { appOrigin, purchase, readItem, saveScreenshot, showOnlyItems } from './support';

// A small fixed catalogue with prices, topped up each run, so that the pictures show the same shop every time.
const catalogue = [
  { itemId: 'shot-dune', description: 'Dune, Frank Herbert', stock: 24, unitPrice: 1299, lowStockThreshold: null },
  { itemId: 'shot-left-hand', description: 'The Left Hand of Darkness, Ursula K. Le Guin', stock: 12, unitPrice: 1150, lowStockThreshold: 5 },
  { itemId: 'shot-neuromancer', description: 'Neuromancer, William Gibson', stock: 3, unitPrice: 999, lowStockThreshold: 4 },
  { itemId: 'shot-solaris', description: 'Solaris, Stanisław Lem', stock: 8, unitPrice: 1400, lowStockThreshold: null },
  { itemId: 'shot-kindred', description: 'Kindred, Octavia E. Butler', stock: 10, unitPrice: null, lowStockThreshold: null },
] as const;
const shownItems = new Set<string>(catalogue.map((book) => book.itemId));
const seller = { authorization: `Bearer ${config.SELLER_TOKEN}` };

async function prepareCatalogue(request: APIRequestContext): Promise<void> {
  for (const book of catalogue) {
    const found = await readItem(request, book.itemId);
    const available = found?.available ?? 0;
    if (available < book.stock) {
      const price = book.unitPrice === null ? {} : { unitPrice: book.unitPrice };
      const answer = await request.post('/api/items', { headers: seller, data: { itemId: book.itemId, description: book.description, quantity: book.stock - available, ...price } });
      expect(answer.status()).toBe(202);
      await expect.poll(async () => (await readItem(request, book.itemId))?.available ?? 0).toBeGreaterThanOrEqual(book.stock);
    }
    if (book.lowStockThreshold !== null) {
      const edit = await request.patch(`/api/items/${book.itemId}`, { headers: seller, data: { lowStockThreshold: book.lowStockThreshold } });
      expect(edit.status()).toBe(202);
    }
  }
  // A few sales, so the feed, the chart and the revenue have something to show; Neuromancer sells out.
  const buyers = [
    ['Ann', 'shot-dune', 2],
    ['Ben', 'shot-neuromancer', 2],
    ['Cleo', 'shot-solaris', 1],
    ['Dev', 'shot-neuromancer', 1],
    ['Eve', 'shot-neuromancer', 1],
    ['Finn', 'shot-kindred', 1],
    ['Gus', 'shot-left-hand', 1],
  ] as const;
  for (const [purchasedBy, itemId, quantity] of buyers) await purchase(request, { purchaseId: `shot-${randomUUID()}`, itemId, quantity, purchasedBy });
}

// The database keeps every earlier run's items, and the shop pages through them: filtering one page after the
// server cut it would leave a page of two cards and a "Next" to nowhere. Every list the page asks for is read
// whole (one page of the server's largest size, in the order and with the filters asked for) and cut to the
// catalogue, with no next page.
async function showOnlyCatalogue(page: Page): Promise<void> {
  await showOnlyItems(page, shownItems);
  await page.route(/\/api\/items(\?|$)/, async (route) => {
    const url = new URL(route.request().url());
    url.searchParams.delete('cursor');
    url.searchParams.delete('after');
    url.searchParams.set('limit', String(limits.itemsPageSizeMax));
    const response = await route.fetch({ url: url.toString() });
    const items = (await response.json()) as { itemId: string }[];
    const { link: _next, ...headers } = response.headers();
    await route.fulfill({ status: response.status(), headers, json: items.filter((item) => shownItems.has(item.itemId)) });
  });
}

type Shot = { name: string; path: string; seller?: boolean; prepare?: (page: Page) => Promise<void>; ready: (page: Page) => Promise<void> };

// "My purchases" lists what this browser bought: two purchases made through an item page first.
async function buyTwoBooks(page: Page): Promise<void> {
  await page.goto('/items/shot-dune');
  await page.getByLabel('Your name').fill('Ann');
  await page.getByRole('button', { name: 'Start shopping' }).click();
  for (const itemId of ['shot-dune', 'shot-solaris']) {
    if (itemId !== 'shot-dune') await page.goto(`/items/${itemId}`);
    const card = page.getByTestId(`item-${itemId}`);
    await card.getByRole('button', { name: /^Buy/ }).click();
    await expect(card.getByTestId('card-message')).toContainText('You bought', { timeout: 15_000 });
  }
}

const heading = (page: Page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible();
const shots: Shot[] = [
  { name: 'shop', path: '/', ready: async (page) => expect(page.getByTestId('item-shot-dune')).toBeVisible({ timeout: 15_000 }) },
  { name: 'item', path: '/items/shot-left-hand', ready: heading },
  { name: 'purchases', path: '/purchases', prepare: buyTwoBooks, ready: (page) => expect(page.getByTestId('my-purchases').locator('li')).toHaveCount(2, { timeout: 15_000 }) },
  { name: 'how-it-works', path: '/how-it-works', ready: heading },
  { name: 'feed', path: '/feed', ready: (page) => expect(page.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 }) },
  { name: 'sign-in', path: '/seller/sign-in', ready: (page) => expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled() },
  {
    name: 'seller',
    path: '/seller',
    seller: true,
    ready: async (page) => {
      await expect(page.getByTestId('stock-summary')).toContainText('updates live', { timeout: 15_000 });
      await expect(page.getByTestId('stock-price-shot-dune')).toBeVisible();
      await expect(page.getByTestId('audit-verdict')).toBeVisible({ timeout: 30_000 });
    },
  },
];
const sizes = [
  { suffix: '', width: 1280, height: 900 },
  { suffix: '-phone', width: 390, height: 844 },
] as const;
// One dark picture per kind of page: the shop for buyers, the dashboard for sellers.
const darkShots = new Set(['shop', 'seller']);

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await prepareCatalogue(request);
});

for (const shot of shots) {
  test(`screenshots of ${shot.name}`, async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    if (shot.seller) {
      const signIn = await page.request.post('/api/session', { data: { password: config.SELLER_PASSWORD }, headers: { origin: appOrigin(testInfo) } });
      expect(signIn.status()).toBe(204);
    }
    await showOnlyCatalogue(page);
    await shot.prepare?.(page);
    for (const colorScheme of darkShots.has(shot.name) ? (['light', 'dark'] as const) : (['light'] as const)) {
      await page.emulateMedia({ colorScheme });
      for (const size of colorScheme === 'dark' ? sizes.slice(0, 1) : sizes) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.goto(shot.path);
        await shot.ready(page);
        // The header's connection badge says Live once the socket is up: the picture waits for it.
        await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', 'websocket', { timeout: 15_000 });
        // Nothing may push the page wider than the screen.
        await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBe(size.width);
        await saveScreenshot(page, testInfo, `${shot.name}${size.suffix}${colorScheme === 'dark' ? '-dark' : ''}`);
      }
    }
  });
}
