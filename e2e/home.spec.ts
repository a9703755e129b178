// Goal: the home page renders and its socket.io client really connects over the websocket transport.
import { expect, test } from '@playwright/test';

test('home page renders and connects over websocket', async ({ page }) => {
  const websocketUrls: string[] = [];
  page.on('websocket', (socket) => websocketUrls.push(socket.url()));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Shop', 'My purchases', 'Live feed', 'Seller']);

  const status = page.getByTestId('connection-status');
  await expect(status).toHaveAttribute('data-transport', 'websocket');
  await expect(status).toHaveText('Live');
  expect(websocketUrls.some((url) => url.includes('/socket.io/') && url.includes('transport=websocket'))).toBe(true);

  // The connection must survive further page requests (Next's upgrade handling once killed it).
  await page.request.get('/api/health');
  await page.reload();
  await expect(status).toHaveAttribute('data-transport', 'websocket');
  await page.screenshot({ path: test.info().outputPath('home.png'), fullPage: true });
});
