// Goal: the Content Security Policy lets every page work in Chromium and is enforced: a buyer buys, the feed goes live, a seller signs in and out, and the browser reports no CSP violation and no policy error on the console, while a foreign image is refused.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { config } from '../server/config';
import { cardMessage, itemCard, itemPage, openShopAs, restock, uniqueItemId } from './support';

// Every step waits on a round trip through Kafka and the worker; on a busy machine 5 s is too tight.
const expect = baseExpect.configure({ timeout: 15_000 });

type Violation = { directive: string; blocked: string; url: string; source: string };

// What the browser reports, on every document the page loads: securitypolicyviolation events (through a
// binding, which the policy does not govern), console lines about a policy, and uncaught errors.
async function watchPolicies(page: Page) {
  const violations: Violation[] = [];
  const consoleLines: string[] = [];
  const pageErrors: string[] = [];
  await page.exposeBinding('reportPolicyViolation', (_source, violation: Violation) => violations.push(violation));
  await page.addInitScript(() => {
    const report = (window as unknown as { reportPolicyViolation: (violation: Violation) => void }).reportPolicyViolation;
    document.addEventListener('securitypolicyviolation', (event) =>
      report({ directive: event.effectiveDirective, blocked: event.blockedURI, url: event.documentURI, source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}` }),
    );
  });
  page.on('console', (message) => {
    if (/content.security.policy|permissions.policy|refused to/i.test(message.text())) consoleLines.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { violations, consoleLines, pageErrors };
}

test('shop, feed and seller pages work under the CSP with no violation', async ({ page, request }) => {
  test.setTimeout(120_000);
  const reports = await watchPolicies(page);
  const itemId = uniqueItemId('csp');
  const title = `Neuromancer ${itemId}, William Gibson`;
  await restock(request, { itemId, description: title, quantity: 3 });

  // A buyer: the socket connects (connect-src) and a purchase goes through (the scripts run).
  await openShopAs(page, 'Csp Buyer', itemPage(itemId));
  const card = itemCard(page, itemId);
  await card.getByLabel(/^Quantity of/).fill('1');
  await card.getByRole('button', { name: /^Buy/ }).click();
  await expect(cardMessage(page, itemId)).toContainText(`You bought 1 × ${title}.`);

  await page.goto('/feed');
  await expect(page.getByTestId('feed-connection')).toHaveAttribute('data-state', 'live');

  // A seller signs in through the form, sees the live dashboard, and signs out.
  await page.goto('/seller/sign-in');
  // Enabled once hydrated: typing earlier would be lost.
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await page.getByLabel('Password', { exact: true }).fill(config.SELLER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Seller dashboard' })).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-transport', /\S/);
  await expect(page.getByTestId(`stock-row-${itemId}`)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/seller\/sign-in$/);

  expect(reports.violations).toEqual([]);
  expect(reports.consoleLines).toEqual([]);
  expect(reports.pageErrors).toEqual([]);
});

test('the policy is enforced: an image from another origin is refused and reported', async ({ page }) => {
  const reports = await watchPolicies(page);
  await page.goto('/');
  await page.evaluate(() => {
    const image = document.createElement('img');
    image.src = 'https://evil.example/pixel.png';
    document.body.append(image);
  });
  await expect.poll(() => reports.violations.map((violation) => violation.directive)).toEqual(['img-src']);
  expect(reports.violations[0]?.blocked).toContain('evil.example');
});
