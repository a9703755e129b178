// Goal: axe finds no accessibility violation on any page, signed out and signed in, in light and in dark mode.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { config } from '../server/config';
import { appOrigin, restock, uniqueItemId } from './support';

type Check = { name: string; path: (itemId: string) => string; seller?: boolean; ready: (page: Page) => Promise<void> };

// Each page is checked once what it loads has arrived: axe judges what is on screen.
const mainHeading = (page: Page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible();
const pages: Check[] = [
  { name: 'shop', path: () => '/', ready: mainHeading },
  { name: 'item page', path: (itemId) => `/items/${itemId}`, ready: mainHeading },
  { name: 'my purchases', path: () => '/purchases', ready: mainHeading },
  { name: 'how it works', path: () => '/how-it-works', ready: mainHeading },
  { name: 'live feed', path: () => '/feed', ready: (page) => expect(page.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 }) },
  { name: 'seller sign-in', path: () => '/seller/sign-in', ready: (page) => expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled() },
  {
    name: 'seller dashboard',
    path: () => '/seller',
    seller: true,
    ready: async (page) => {
      await expect(page.getByTestId('stock-summary')).toContainText('updates live', { timeout: 15_000 });
      await expect(page.getByTestId('purchases-chart')).toBeVisible();
      await expect(page.getByTestId('revenue-net')).toBeVisible();
    },
  },
];

let itemId = '';

test.beforeAll(async ({ request }) => {
  itemId = uniqueItemId('a11y');
  await restock(request, { itemId, description: 'The Left Hand of Darkness, Ursula K. Le Guin', quantity: 5 });
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const check of pages) {
    test(`${check.name} has no axe violations in ${colorScheme} mode`, async ({ page }, testInfo) => {
      if (check.seller) {
        // A browser sends Origin with every POST; Playwright's request API does not, and sign-in needs it (CSRF).
        const signIn = await page.request.post('/api/session', { data: { password: config.SELLER_PASSWORD }, headers: { origin: appOrigin(testInfo) } });
        expect(signIn.status()).toBe(204);
      }
      await page.emulateMedia({ colorScheme });
      await page.goto(check.path(itemId));
      await check.ready(page);
      // Transitions (a figure's flash, a badge's fade) would be judged mid-way.
      await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
      const results = await new AxeBuilder({ page }).analyze();
      const found = results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
      }));
      expect(found, JSON.stringify(found, null, 2)).toEqual([]);
    });
  }
}
