// The rest of Next 16's caching API, each where the app uses it (README, "Next.js caching API"): a component with
// 'use cache' and a children slot, fetch's own cache, revalidatePath and cacheLife profiles through the webhook,
// and refresh() in a Server Action. Each test fails if its primitive is removed or swapped for a neighbour.
import { expect, test, type Page } from '@playwright/test';
import { tags } from '../lib/cache/tags';
import { cacheLifeProfiles } from '../lib/cache/profiles';
import { db, publishedPost } from './support/db';
import { expectFreshAtOnce, expectStaleThenFresh, fetchPage } from './support/freshness';
import { scrape } from './support/metrics';
import { sendWebhook } from './support/webhook';

const stampOf = (page: Page, tag: string) =>
  page.locator(`time[data-cached-at][data-cache-tags~="${tag}"]`).filter({ visible: true }).first().getAttribute('data-cached-at');

/** A public page that is fully static: served from the page cache, with a Cache-Control a CDN may keep. */
async function expectStatic(request: import('@playwright/test').APIRequestContext, url: string) {
  await request.get(url); // cached now, if it was not
  const response = await request.get(url);
  expect(response.headers()['x-nextjs-cache'], url).toMatch(/^(HIT|STALE)$/);
  expect(response.headers()['cache-control'], url).toMatch(/^s-maxage=\d+/);
  expect(response.headers()['cache-control'], url).not.toMatch(/private|no-store/);
}

test("a 'use cache' component keeps its entry while its children slot (price and stock) is refreshed on its own", async ({ page, request }) => {
  const sku = 'STK-005';
  await expectStatic(request, `/catalog/${sku}`);
  await page.goto(`/catalog/${sku}`);
  const card = await stampOf(page, tags.products); // the card's own stamp (ProductCard)
  const price = await stampOf(page, tags.inventory); // the slot's (getStock)
  expect(card).toBeTruthy();
  expect(price).toBeTruthy();

  // Only the price's tag: a new price render, the same card entry.
  expect((await sendWebhook(request, { tags: [tags.inventory], mode: 'expire' })).status()).toBe(200);
  await page.reload();
  expect(await stampOf(page, tags.inventory), 'the slot was made afresh').not.toBe(price);
  expect(await stampOf(page, tags.products), 'the card entry was not re-made').toBe(card);
  await expectStatic(request, `/catalog/${sku}`);

  // The product's own tag re-makes the card.
  expect((await sendWebhook(request, { tags: [tags.product(sku)], mode: 'expire' })).status()).toBe(200);
  await page.reload();
  expect(await stampOf(page, tags.products), 'the card entry was re-made').not.toBe(card);
  await expectStatic(request, `/catalog/${sku}`);
});

test("the catalog's price list comes from fetch's cache ('force-cache' + tags), kept across renders and refreshed by its tags", async ({ page, request }) => {
  // Fetched now, so that its `revalidate` (60 s) cannot run out during the test and refetch it behind our back.
  expect((await sendWebhook(request, { tags: [tags.inventory], mode: 'expire' })).status()).toBe(200);
  await expectStatic(request, '/catalog');
  await page.goto('/catalog');
  const list = await stampOf(page, tags.inventory); // the upstream response's Date: when it was fetched
  const products = await stampOf(page, tags.products);
  expect(list).toBeTruthy();

  // The page re-renders (its product list was expired), the cached response is used again: the same fetch time.
  // The Date header has whole seconds: wait until a new fetch would show a later one.
  await expect.poll(() => Date.now() - Date.parse(list!), { message: 'a second passes' }).toBeGreaterThan(1000);
  expect((await sendWebhook(request, { tags: [tags.products], mode: 'expire' })).status()).toBe(200);
  await page.reload();
  expect(await stampOf(page, tags.products), 'the page was rendered again').not.toBe(products);
  expect(await stampOf(page, tags.inventory), 'from the cached response').toBe(list);

  // The fetch's own tags expire the cached response: the next render fetches again.
  expect((await sendWebhook(request, { tags: [tags.inventory], mode: 'expire' })).status()).toBe(200);
  await page.reload();
  const refetched = await stampOf(page, tags.inventory);
  expect(Date.parse(refetched!), 'fetched again').toBeGreaterThan(Date.parse(list!));
  await expect(page.getByTestId('products').getByTestId('price').first()).toBeVisible();
  await expectStatic(request, '/catalog');
});

test('webhook paths: revalidatePath expires that one URL at once (whatever the mode), a tag every page showing the data', async ({ request }) => {
  const post = await publishedPost(9);
  const changed = `${post.title} (fixed by URL)`;
  // Both pages rendered fresh now, so neither is refreshed by time during the test.
  await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
  await fetchPage(request, '/');
  await fetchPage(request, `/posts/${post.slug}`);
  await db()`update posts set title = ${changed} where id = ${post.id}`;
  try {
    // 'max' applies to tags only: a path has no stale-while-revalidate form, so its first request is fresh.
    const answer = await sendWebhook(request, { paths: [`/posts/${post.slug}`], mode: 'max' });
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ revalidated: [], paths: [`/posts/${post.slug}`], status: 'applied' });
    await expectFreshAtOnce(async () => (await fetchPage(request, `/posts/${post.slug}`)).html.includes(`>${changed}<`), `/posts/${post.slug}`);
    // The path named one page: the home page's list, cached by the post's tag, still has the old title.
    expect((await fetchPage(request, '/')).html, 'another page showing the post keeps its copy').toContain(`>${post.title}<`);

    // The post's tag reaches every page that shows it.
    expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' })).status()).toBe(200);
    expect((await fetchPage(request, '/')).html).toContain(`>${changed}<`);
  } finally {
    await db()`update posts set title = ${post.title} where id = ${post.id}`;
    await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
  }
});

test('webhook paths are checked like tags, and /cache shows them without naming an unpublished post', async ({ page, request }) => {
  for (const [name, body] of [
    ['neither tags nor paths', {}],
    ['empty lists', { tags: [], paths: [] }],
    ['a route the app does not have', { paths: ['/wp-admin'] }],
    ['a trailing slash', { paths: ['/catalog/'] }],
    ['a query', { paths: ['/posts/x?draft=1'] }],
    ['a dynamic route pattern', { paths: ['/posts/[slug]'] }],
    ['a private page', { paths: ['/studio'] }],
    ['paths that are not a list', { paths: '/' }],
    ['more than 64 paths', { paths: Array.from({ length: 65 }, (_, i) => `/posts/p${i}`) }],
  ] as const) {
    const response = await sendWebhook(request, body);
    expect(response.status(), name).toBe(400);
    expect((await response.json()).error, name).toBe('invalid body');
  }

  const draftSlug = `never-published-${Date.now()}`;
  const answer = await sendWebhook(request, { paths: ['/', '/catalog', `/posts/${draftSlug}`] });
  expect(answer.status()).toBe(200);
  await page.goto('/cache');
  const event = page.getByTestId('invalidation').filter({ hasText: '/catalog' }).first();
  await expect(event).toContainText('revalidatePath');
  await expect(event).toContainText('/posts/(not published)');
  await expect(page.getByText(draftSlug)).toHaveCount(0);
});

test("mode '<cacheLife profile>': revalidateTag(tag, 'inventory') serves stale once, and the tag expires after that profile's expire", async ({ page, request }) => {
  const sku = 'POSTER-007';
  const url = `/catalog/${sku}`;
  const [product] = await db()`select description from products where sku = ${sku}`;
  const changed = `Reprinted at ${Date.now()}.`;
  // Rendered fresh now, so the page is not refreshed by time (60 s) during the test.
  await sendWebhook(request, { tags: [tags.product(sku)], mode: 'expire' });
  await fetchPage(request, url);
  await db()`update products set description = ${changed} where sku = ${sku}`;
  try {
    const sentAt = Date.now();
    const answer = await sendWebhook(request, { tags: [tags.product(sku)], mode: 'inventory' });
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ mode: 'inventory', status: 'applied' });
    // Stale-while-revalidate like 'max' (not expire: the first request is still the old page)…
    await expectStaleThenFresh(async () => (await fetchPage(request, url)).html.includes(`>${changed}<`), url);

    // …but the tag expires at the profile's expire (10 minutes), not a year ahead as with 'max'.
    await page.goto('/cache');
    const row = page.locator(`[data-pattern="product:<sku>"]`);
    await row.locator('summary').click();
    const expires = row.locator('li').filter({ hasText: tags.product(sku) }).getByTestId('expires').locator('time');
    const at = Date.parse((await expires.getAttribute('datetime'))!);
    const expected = sentAt + cacheLifeProfiles.inventory.expire * 1000;
    expect(Math.abs(at - expected), `expires at ${new Date(at).toISOString()}, expected about ${new Date(expected).toISOString()}`).toBeLessThan(30_000);
    const event = page.getByTestId('invalidation').filter({ hasText: tags.product(sku) }).first();
    await expect(event).toContainText("revalidateTag 'inventory'");
  } finally {
    await db()`update products set description = ${product.description} where sku = ${sku}`;
    await sendWebhook(request, { tags: [tags.product(sku)], mode: 'expire' });
  }
});

test('Refresh on /cache re-renders its live figures in place with refresh(), touching no cache', async ({ page, request }) => {
  await page.goto('/cache');
  const readAt = page.getByTestId('read-at');
  const before = await readAt.getAttribute('data-read-at');
  const invalidations = [...(await scrape(request))].filter(([series]) => series.startsWith('ntc_invalidations_total')).reduce((sum, [, v]) => sum + v, 0);
  const tagsNote = page.locator('section[aria-labelledby="tags"] p').first(); // counts Next's own path tags
  const pathTags = await tagsNote.textContent();
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => readAt.getAttribute('data-read-at'), { message: 'the live part was rendered again' }).not.toBe(before);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'in place, without a reload').toBe(true);
  expect(new URL(page.url()).pathname).toBe('/cache');
  // No tag, no path invalidated: refresh() touches no cache.
  const after = [...(await scrape(request))].filter(([series]) => series.startsWith('ntc_invalidations_total')).reduce((sum, [, v]) => sum + v, 0);
  expect(after).toBe(invalidations);
  expect(await tagsNote.textContent()).toBe(pathTags);
});
