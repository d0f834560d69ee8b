import { tags } from '../lib/cache/tags';
import { expect, test, type Page } from '@playwright/test';
import { db } from './support/db';
import { expectFreshAtOnce, expectStaleThenFresh, fetchPage } from './support/freshness';
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
  // `expire`: the response to the very first request has the new stock (its bytes, not the DOM).
  const first = await page.reload();
  await expectFreshAtOnce(async () => (await first!.text()).includes('>3 in stock<'), '/catalog/TEE-002');
  await expect(stockText(page)).toHaveText('3 in stock');
  await page.goto('/catalog');
  await expect(page.getByTestId('products').getByRole('listitem').filter({ hasText: 'Cache Hit T-Shirt' })).toContainText('3 in stock');
});

test("a stock change with mode 'max': the first request still shows the old stock, then the new one", async ({ page }) => {
  await page.goto('/catalog/HOOD-003');
  await expect(stockText(page)).toHaveText('8 in stock');
  await setStock('HOOD-003', { stock: 6, mode: 'max' });
  const seen: (string | undefined)[] = [];
  await expectStaleThenFresh(async () => {
    const response = (await page.reload())!;
    seen.push(response.headers()['x-nextjs-cache']);
    return (await response.text()).includes('>6 in stock<');
  }, '/catalog/HOOD-003');
  expect(seen[0], `x-nextjs-cache over time: ${seen}`).toBe('STALE');
});

test('product:<sku> alone refreshes its description on /catalog and on its own page', async ({ request }) => {
  const sku = 'MUG-001';
  const [product] = await db()`select description from products where sku = ${sku}`;
  const changed = `Rewritten upstream at ${Date.now()}.`;
  // One request per page, each checked on its own response.
  const shown = async () => {
    const result = [];
    for (const url of ['/catalog', `/catalog/${sku}`]) result.push((await fetchPage(request, url)).html.includes(`>${changed}<`));
    return result;
  };
  await shown(); // cached as they are now
  await db()`update products set description = ${changed} where sku = ${sku}`;
  try {
    expect(await shown(), 'cached pages keep the old description').toEqual([false, false]);
    expect((await sendWebhook(request, { tags: [tags.product(sku)], mode: 'expire' })).status()).toBe(200);
    expect(await shown(), 'fresh on the first request').toEqual([true, true]);
  } finally {
    await db()`update products set description = ${product.description} where sku = ${sku}`;
    await sendWebhook(request, { tags: [tags.product(sku)], mode: 'expire' });
  }
});

test('a slow inventory service gives "price unavailable", not a broken page, and the price comes back', async ({ page, request }) => {
  const latency = (ms: number) => fetch(`${inventory()}/admin/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
  await latency(3000); // above the app's 2 s timeout
  try {
    await sendWebhook(request, { tags: [tags.product('BOOK-006')], mode: 'expire' });
    const response = await page.goto('/catalog/BOOK-006');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Field Guide to Caching');
    await expect(page.getByTestId('price-unavailable')).toHaveText('Price unavailable right now. Please try again in a moment.');
    // The cause (a timeout here) is for the server log, not for readers.
    await expect(page.getByText(/within \d+ ms|INVENTORY_|inventory service answered/)).toHaveCount(0);
  } finally {
    await latency(0);
  }
  await sendWebhook(request, { tags: [tags.product('BOOK-006')], mode: 'expire' });
  await page.reload();
  await expect(page.getByTestId('price')).toHaveText('$39.00');
});

test('a slow inventory service: /catalog still lists every product, says "price unavailable", and its prices come back', async ({ page, request }) => {
  const latency = (ms: number) => fetch(`${inventory()}/admin/latency`, { method: 'POST', body: JSON.stringify({ ms }) });
  const [{ count }] = await db()`select count(*)::int as count from products`;
  await latency(3000); // above the app's 2 s timeout
  try {
    await sendWebhook(request, { tags: [tags.inventory], mode: 'expire' });
    const response = await page.goto('/catalog');
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId('products').getByRole('listitem')).toHaveCount(count);
    await expect(page.getByTestId('price-unavailable').first()).toHaveText('Price unavailable right now. Please try again in a moment.');
    // The fetch cache keeps no failure: the price list is rendered per request meanwhile, and no CDN may keep it.
    expect(response?.headers()['cache-control']).toContain('no-store');
  } finally {
    await latency(0);
  }
  await sendWebhook(request, { tags: [tags.inventory], mode: 'expire' });
  await page.reload();
  await expect(page.getByTestId('products').getByTestId('price').first()).toBeVisible();
  // Static again once a response is cached.
  await request.get('/catalog');
  const cached = await request.get('/catalog');
  expect(cached.headers()['x-nextjs-cache']).toMatch(/^(HIT|STALE)$/);
  expect(cached.headers()['cache-control']).toMatch(/^s-maxage=\d+/);
});

test('an unknown product is a 404', async ({ page }) => {
  expect((await page.goto('/catalog/NOPE-000'))?.status()).toBe(404);
});
