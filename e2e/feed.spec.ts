// Goal: a feed that loses its connection shows what it missed exactly once after reconnecting, and stays live.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { CuttableProxy } from './cuttable-proxy';
import { purchase, restock, showOnlyItems, uniqueItemId } from './support';

test('after a network cut the feed fetches each missed result once, then continues live', async ({ browser, request, baseURL }) => {
  const itemId = uniqueItemId('resume');
  // The id in the title makes this item the search's one match.
  await restock(request, { itemId, description: `The Dispossessed ${itemId}`, quantity: 10 });

  // The page goes through a proxy this test controls. context.setOffline alone is not enough: Chromium's
  // offline emulation (the same CDP Network.emulateNetworkConditions) stops new requests but leaves an
  // established websocket open, so the socket would never notice. Pulling the proxy's cable resets the TCP
  // connections under the browser, which is what a real network loss does.
  const proxy = await CuttableProxy.start(Number(new URL(baseURL ?? 'http://localhost:3100').port));
  const context = await browser.newContext({ baseURL: proxy.origin });
  const page = await context.newPage();
  try {
    await page.goto('/feed');
    const feedConnection = page.getByTestId('feed-connection');
    const headerConnection = page.getByTestId('connection-status');
    // The first connection and its catch-up may take seconds on a busy machine; only live delivery is timed.
    await expect(feedConnection).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(feedConnection).toHaveText('Up to date');
    await expect(headerConnection).toHaveAttribute('data-transport', 'websocket');
    // One "Live" badge on the page at most: the header's ("Live feed", the page's name, is no badge).
    expect(await page.getByText(/^Live(\s*\(\w+\))?$/).count()).toBeLessThanOrEqual(1);
    // The item filter is a search of titles: type, pick with the keyboard.
    const search = page.getByRole('combobox', { name: 'Item' });
    await search.fill(itemId);
    await expect(page.getByRole('option', { name: new RegExp(itemId) })).toHaveCount(1);
    await search.press('ArrowDown');
    await search.press('Enter');
    await expect(page.getByTestId('feed-item-filter')).toHaveText(`The Dispossessed ${itemId}`);

    await context.setOffline(true);
    proxy.pullCable();
    await expect(headerConnection).toHaveAttribute('data-transport', '');
    await expect(feedConnection).toHaveAttribute('data-state', 'offline');
    await expect(page.getByText('Missed results will be fetched when the connection is back.')).toBeVisible();

    // Three purchases the page cannot hear about: the API is reached directly, not through the proxy.
    const missed = [1, 2, 3].map((quantity) => ({ purchaseId: `e2e-missed-${randomUUID()}`, itemId, quantity, purchasedBy: `Reader ${quantity}` }));
    for (const body of missed) expect((await purchase(request, body)).status).toBe('SUCCEEDED');
    await expect(page.locator('li[data-purchase-id]')).toHaveCount(0);

    proxy.plugIn();
    await context.setOffline(false);
    await expect(feedConnection).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(page.getByText(/^Back online: \d+ missed results? fetched\.$/)).toBeVisible();
    for (const { purchaseId } of missed) await expect(page.locator(`li[data-purchase-id="${purchaseId}"]`)).toHaveCount(1);
    await expect(page.locator('li[data-purchase-id]').first()).toContainText('Reader 3 bought 3 ×');

    const after = { purchaseId: `e2e-after-${randomUUID()}`, itemId, quantity: 1, purchasedBy: 'Reader 4' };
    await purchase(request, after);
    await expect(page.locator(`li[data-purchase-id="${after.purchaseId}"]`)).toBeVisible({ timeout: 2_000 });
    // The same purchase asked again is re-published with the identical result: still one row.
    await purchase(request, after);
    // One item's results share a partition and reach the page in decision order: once a later purchase's row
    // is visible, whatever the repeat published has arrived before it, and the counts below are final.
    const later = { purchaseId: `e2e-later-${randomUUID()}`, itemId, quantity: 1, purchasedBy: 'Reader 5' };
    await purchase(request, later);
    await expect(page.locator(`li[data-purchase-id="${later.purchaseId}"]`)).toBeVisible();
    for (const { purchaseId } of [...missed, after, later]) await expect(page.locator(`li[data-purchase-id="${purchaseId}"]`)).toHaveCount(1);
    await expect(page.locator('li[data-purchase-id]')).toHaveCount(5);
  } finally {
    await context.close();
    await proxy.close();
  }
});

test('screenshots of the feed on a desktop and a phone', async ({ page, request }, testInfo) => {
  const dune = uniqueItemId('shot-dune');
  const solaris = uniqueItemId('shot-solaris');
  await restock(request, { itemId: dune, description: 'Dune, Frank Herbert', quantity: 4 });
  await restock(request, { itemId: solaris, description: 'Solaris, Stanisław Lem', quantity: 2 });
  await showOnlyItems(page, new Set([dune, solaris]));
  await page.goto('/feed');
  await expect(page.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  const purchaseIds: string[] = [];
  for (const [purchasedBy, itemId, quantity] of [
    ['Ann', dune, 2],
    ['Ben', solaris, 1],
    ['Ben', dune, 1],
    ['Cleo', dune, 3],
    ['Dev', solaris, 1],
    ['Eve', solaris, 1],
    ['Dev', dune, 1],
  ] as const) {
    const purchaseId = `e2e-shot-${randomUUID()}`;
    purchaseIds.push(purchaseId);
    await purchase(request, { purchaseId, itemId, quantity, purchasedBy });
  }
  for (const purchaseId of purchaseIds) await expect(page.locator(`li[data-purchase-id="${purchaseId}"]`)).toBeVisible();
  await expect(page.locator('li[data-purchase-id]')).toHaveCount(purchaseIds.length);
  // The pictures in docs/screenshots come from e2e/screenshots.spec.ts; these stay with the test's output.
  await page.screenshot({ path: testInfo.outputPath('feed.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath('feed-phone.png'), fullPage: true });
});
