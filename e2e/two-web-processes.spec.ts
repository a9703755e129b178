// Goal: with WEB_CONCURRENCY=2, a browser's socket on one web process sees purchases posted through the other:
// every process pushes every result, wherever it was bought.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { startWebProcess, type WebProcess } from '../server/testing/processes';
import { restock, uniqueItemId } from './support';

// Beside the stack's own port (E2E_PORT, playwright.config.ts), so that two checkouts' runs keep apart.
const port = process.env.E2E_PORT ? Number(process.env.E2E_PORT) + 1 : 3110;
let web: WebProcess | undefined;

test.beforeAll(async () => {
  // The e2e stack's worker decides for this web server too: same database, same topics.
  web = await startWebProcess(port, { WEB_CONCURRENCY: '2' });
});

test.afterAll(async () => {
  await web?.stop();
});

// Each purchase on a connection of its own: node:cluster hands new connections to the processes in turn.
async function purchaseThroughAnyProcess(itemId: string): Promise<{ purchaseId: string; process: string }> {
  const purchaseId = `e2e-cluster-${randomUUID()}`;
  const response = await fetch(`http://127.0.0.1:${port}/api/purchases?wait=5000`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ purchaseId, itemId, quantity: 1, purchasedBy: 'Cluster reader' }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { status: string }).status).toBe('SUCCEEDED');
  const process = response.headers.get('x-bps-web-process');
  expect(process).toMatch(/^\d+$/);
  return { purchaseId, process: process ?? '' };
}

test('a socket on one web process sees a purchase posted through the other', async ({ browser, request }) => {
  const itemId = uniqueItemId('cluster');
  await restock(request, { itemId, description: 'The Left Hand of Darkness, Ursula K. Le Guin', quantity: 50 });
  const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
  const page = await context.newPage();
  await page.goto('/feed');
  await expect(page.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });

  // Purchases until two different processes have answered: the page's one socket is on one of them, so at
  // least one purchase came through the other, and every purchase must reach the page.
  const purchases: { purchaseId: string; process: string }[] = [];
  while (new Set(purchases.map((bought) => bought.process)).size < 2) {
    expect(purchases.length, 'node:cluster should spread new connections over both processes').toBeLessThan(20);
    purchases.push(await purchaseThroughAnyProcess(itemId));
  }
  for (const { purchaseId } of purchases) {
    await expect(page.locator(`li[data-purchase-id="${purchaseId}"]`)).toHaveCount(1, { timeout: 10_000 });
  }
  await context.close();
});
