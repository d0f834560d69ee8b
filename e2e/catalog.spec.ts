import { tags } from '../lib/cache/tags';
import { expect, test, type Page } from '@playwright/test';
import { sendWebhook } from './support/webhook';

const inventory = () => {
  if (!process.env.INVENTORY_URL) throw new Error('INVENTORY_URL is not set: run the e2e suite through `npm test`');
  return process.env.INVENTORY_URL;
};

async function setStock(sku: string, body: Record<string, unknown>) {
  const response = await fetch(`${inventory()}/products/${sku}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  // Wait until the service has delivered its webhook to the app.
  await expect.poll(async () => (await (await fetch(`${inventory()}/admin/outbox`)).json()).pending.length, { timeout: 15_000 }).toBe(0);
}

const stockText = (page: Page) => page.getByTestId('price-and-stock').first().getByTestId('stock');

test('the catalog shows descriptions from the database and prices from the inventory service', async ({ page }) => {
  await page.goto('/catalog');
  const card = page.getByTestId('products').getByRole('listitem').filter({ hasText: 'Stale-While-Revalidate Mug' });
  await expect(card).toContainText('$18.00');
  await card.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stale-While-Revalidate Mug');
  // Next keeps the previous page in the DOM (hidden) for back navigation: look at what is visible.
  await expect(page.getByTestId('price').filter({ visible: true })).toHaveText('$18.00');
  await expect(page.locator(`[data-cache-tags~="${tags.product('MUG-001')}"]`).filter({ visible: true }).first()).toBeVisible();
});

test("a stock change with mode 'expire' shows on the very next request", async ({ page }) => {
  await page.goto('/catalog/TEE-002');
  await expect(stockText(page)).toHaveText('17 in stock');
  await setStock('TEE-002', { stock: 3, mode: 'expire' });
  await page.reload();
  await expect(stockText(page)).toHaveText('3 in stock');
  await page.goto('/catalog');
  await expect(page.getByTestId('products').getByRole('listitem').filter({ hasText: 'Cache Hit T-Shirt' })).toContainText('3 in stock');
});

test("a stock change with mode 'max' shows after at most one stale response", async ({ page }) => {
  await page.goto('/catalog/HOOD-003');
  await expect(stockText(page)).toHaveText('8 in stock');
  await setStock('HOOD-003', { stock: 6, mode: 'max' });
  const seen: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.reload();
    seen.push((await stockText(page).textContent()) ?? '');
    if (seen.at(-1) !== '6 in stock') await page.waitForTimeout(500);
  }
  const fresh = seen.indexOf('6 in stock');
  expect(fresh, `stock over time: ${seen}`).toBeGreaterThanOrEqual(0);
  expect(fresh, `stale more than once: ${seen}`).toBeLessThanOrEqual(1);
  expect(seen.slice(fresh).every((s) => s === '6 in stock')).toBe(true);
});

test('a slow inventory service gives "price unavailable", not a broken page, and the price comes back', async ({ page, request }) => {
  const latency = (ms: number) => fetch(`${inventory()}/admin/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
  await latency(3000); // above the app's 2 s timeout
  try {
    await sendWebhook(request, { tags: [tags.product('BOOK-006')], mode: 'expire' });
    const response = await page.goto('/catalog/BOOK-006');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Field Guide to Caching');
    await expect(page.getByTestId('price-unavailable')).toContainText('Price unavailable');
  } finally {
    await latency(0);
  }
  await sendWebhook(request, { tags: [tags.product('BOOK-006')], mode: 'expire' });
  await page.reload();
  await expect(page.getByTestId('price')).toHaveText('$39.00');
});

test('an unknown product is a 404', async ({ page }) => {
  expect((await page.goto('/catalog/NOPE-000'))?.status()).toBe(404);
});
