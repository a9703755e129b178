// Goal: what the browser flows share: items made through the seller API, buyers, unique ids, screenshots.
import { copyFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
// The web process under test (started by playwright.config.ts) parses the same environment.
import { config } from '../server/config';

// The database outlives test runs: every item gets an id of its own.
export function uniqueItemId(label: string): string {
  return `e2e-${label}-${randomUUID().slice(0, 8)}`;
}

type ItemView = { itemId: string; description: string; restocked: number; sold: number; available: number; held: number; refunded: number };

export async function readItem(request: APIRequestContext, itemId: string): Promise<ItemView | undefined> {
  const response = await request.get(`/api/items/${itemId}`);
  return response.status() === 200 ? ((await response.json()) as ItemView) : undefined;
}

// Restocks (or creates) an item and waits until the worker has applied it: the API answers on append.
export async function restock(request: APIRequestContext, item: { itemId: string; description: string; quantity: number }): Promise<void> {
  const before = (await readItem(request, item.itemId))?.restocked ?? 0;
  const response = await request.post('/api/items', { headers: { authorization: `Bearer ${config.SELLER_TOKEN}` }, data: item });
  expect(response.status()).toBe(202);
  await expect.poll(async () => (await readItem(request, item.itemId))?.restocked ?? 0).toBe(before + item.quantity);
}

export async function purchase(
  request: APIRequestContext,
  body: { purchaseId: string; itemId: string; quantity: number; purchasedBy: string },
): Promise<{ status: string; remaining: number }> {
  const response = await request.post('/api/purchases?wait=5000', { data: body });
  expect(response.status()).toBe(200);
  return (await response.json()) as { status: string; remaining: number };
}

// A buyer on a shop page, named, with the socket live: the shop itself, or an item's own page (itemPage), which
// shows that item's card whatever else the shop holds (the shop shows one page of items at a time).
export async function openShopAs(page: Page, buyerName: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Your name').fill(buyerName);
  await page.getByRole('button', { name: 'Start shopping' }).click();
  await expect(page.getByText(`Buying as ${buyerName}`)).toBeVisible();
  await expect(page.getByTestId('connection-status')).toContainText('Live', { timeout: 15_000 });
}

export function itemPage(itemId: string): string {
  return `/items/${encodeURIComponent(itemId)}`;
}

// What a card says about the buyer's last attempt (the site's notices read it out; see e2e/shop-notices.spec.ts).
export function cardMessage(page: Page, itemId: string) {
  return itemCard(page, itemId).getByTestId('card-message');
}

export function itemCard(page: Page, itemId: string) {
  return page.getByTestId(`item-${itemId}`);
}

// Marks the document, so a test can prove later that what it saw came without a reload.
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => document.documentElement.setAttribute('data-e2e-unreloaded', 'yes'));
}

export async function expectNotReloaded(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-e2e-unreloaded', 'yes');
}

// The test database keeps every earlier run's items, and other runs may be buying meanwhile: for a picture
// that stays the same, the page is shown only these items: in the item list, in live events and in feed.resume answers.
export async function showOnlyItems(page: Page, itemIds: ReadonlySet<string>): Promise<void> {
  // The list pages on the server (24 a page in the shop), so filtering one page could miss some of these items:
  // a list request is answered with these items, each read on its own, as one last page in title order.
  await page.route(/\/api\/items(\?|$)/, async (route) => {
    const asked = new URL(route.request().url());
    const after = asked.searchParams.get('after');
    if (asked.searchParams.has('cursor')) {
      await route.fulfill({ json: [] });
      return;
    }
    const read = await Promise.all([...itemIds].map(async (itemId) => route.fetch({ url: `${asked.origin}/api/items/${encodeURIComponent(itemId)}`, method: 'GET' })));
    const items = (await Promise.all(read.filter((response) => response.status() === 200).map(async (response) => (await response.json()) as { itemId: string; description: string })))
      .filter((item) => after === null || item.itemId > after)
      .sort((left, right) => left.description.localeCompare(right.description) || (left.itemId < right.itemId ? -1 : 1));
    await route.fulfill({ json: items });
  });
  await page.routeWebSocket(/\/socket\.io\//, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((frame) => server.send(frame));
    server.onMessage((frame) => {
      const shown = typeof frame === 'string' ? onlyItems(frame, itemIds) : frame;
      if (shown !== undefined) socket.send(shown);
    });
  });
}

// Socket.io frames are "42" + [event, payload] for an event and "43<id>" + [answer] for an acknowledgement
// (feed.resume answers {results}); anything else passes unchanged.
function onlyItems(frame: string, itemIds: ReadonlySet<string>): string | undefined {
  const ours = (value: { itemId?: unknown }) => typeof value.itemId !== 'string' || itemIds.has(value.itemId);
  if (frame.startsWith('42[')) {
    const [, payload] = JSON.parse(frame.slice(2)) as [string, { itemId?: unknown }];
    return payload && !ours(payload) ? undefined : frame;
  }
  const acknowledgement = /^43(\d+)(\[.*)$/s.exec(frame);
  if (!acknowledgement?.[1] || !acknowledgement[2]) return frame;
  const [answer] = JSON.parse(acknowledgement[2]) as [{ results?: { itemId?: unknown }[] }];
  if (!Array.isArray(answer?.results)) return frame;
  return `43${acknowledgement[1]}${JSON.stringify([{ ...answer, results: answer.results.filter(ours) }])}`;
}

// Full-page screenshots go to the test's output; with UPDATE_SCREENSHOTS=1 they also replace the ones the docs show.
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // The pointer would leave a hover state on whatever was clicked last.
  await page.mouse.move(0, 0);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const published = `docs/screenshots/${name}.png`;
    mkdirSync(dirname(published), { recursive: true });
    copyFileSync(path, published);
  }
}

// What a browser puts in Origin for the app's own pages. Playwright's request API sends no Origin, and writes
// that set or use the session cookie need it (CSRF).
export function appOrigin(testInfo: TestInfo): string {
  return new URL(testInfo.project.use.baseURL ?? '').origin;
}
