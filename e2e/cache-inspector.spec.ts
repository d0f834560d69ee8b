// The cache made visible: the inspector on /cache, the Prometheus metrics at /api/metrics, and the per-page overlay.
// Each invalidation below is made the way the app gets them (a signed webhook, a studio Server Action); the tests
// then check what a person would look at: the inspector's state, last invalidation and timeline; the counters; the
// overlay's generated time and age on the page itself.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { tags, tagVocabulary } from '../lib/cache/tags';
import { publishedPost } from './support/db';
import { metricsToken, scrape, seriesKey, valueOf } from './support/metrics';
import { ADA, signedInPage } from './support/studio';
import { sendWebhook } from './support/webhook';

const patternOf = (tag: string) => {
  const entry = tagVocabulary.find((e) => e.match.test(tag));
  if (!entry) throw new Error(`${tag} is not in the vocabulary`);
  return entry.pattern;
};
const tagRow = (page: Page, tag: string) => page.getByTestId('tag-table').locator(`tr[data-pattern="${patternOf(tag)}"]`);

/** The number /cache shows for a series, as a number. */
async function shown(page: Page, series: string) {
  const cells = page.locator('[data-metric]');
  for (const cell of await cells.all()) {
    if (seriesKey((await cell.getAttribute('data-metric')) ?? '') === seriesKey(series)) return Number((await cell.innerText()).replace(/,/g, ''));
  }
  throw new Error(`/cache shows no ${series}`);
}

test('a webhook invalidation: the inspector records it, the counters move, the overlay age resets', async ({ page, request }) => {
  const post = await publishedPost();
  await page.goto(`/posts/${post.slug}`);
  await page.getByRole('button', { name: 'Show cache overlay' }).click();
  const region = page.getByTestId('cache-overlay-region').filter({ hasText: tags.postSlug(post.slug) });
  await expect(region).toHaveCount(1);
  const generated = (await region.getAttribute('data-generated-at'))!;
  // The age ticks on the client.
  const age = region.getByTestId('cache-overlay-age');
  const firstAge = await age.innerText();
  await expect.poll(() => age.innerText(), { message: 'the age ticks' }).not.toBe(firstAge);

  const before = await scrape(request);
  const id = `msg_${randomUUID()}`;
  expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' }, { id })).status()).toBe(200);

  // The page, reloaded: the overlay is still on (remembered), and the region was generated anew.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Hide cache overlay' })).toBeVisible();
  await expect(region).toHaveCount(1);
  const regenerated = (await region.getAttribute('data-generated-at'))!;
  expect(Date.parse(regenerated), 'generated after the invalidation').toBeGreaterThan(Date.parse(generated));
  await expect(region.getByTestId('cache-overlay-age')).toHaveText(/^\d+ s$/);

  // The counters moved: the invalidation by source and mode, the webhook's 200, and the miss it caused.
  const after = await scrape(request);
  const grew = (series: string) => expect(valueOf(after, series), series).toBeGreaterThan(valueOf(before, series));
  grew('ntc_invalidations_total{source="webhook",mode="expire"}');
  grew('ntc_invalidated_tags_total{source="webhook",mode="expire"}');
  grew('ntc_webhook_responses_total{status="200"}');
  grew('ntc_db_queries_total');
  grew('ntc_cache_fill_seconds_count{handler="use-cache"}');
  const misses = (values: Map<string, number>) =>
    [...values].filter(([series]) => series.startsWith('ntc_cache_misses_total{handler="use-cache"')).reduce((sum, [, v]) => sum + v, 0);
  expect(misses(after), "'use cache' misses").toBeGreaterThan(misses(before));

  // The inspector: the tag's state, its last invalidation, the timeline, and the same counters.
  await page.goto('/cache');
  const row = tagRow(page, tags.post(post.id));
  await row.getByTestId('tag-state').getByText(/invalidated/).click();
  await expect(row.getByTestId('tag-state').getByRole('listitem').filter({ hasText: new RegExp(`^${tags.post(post.id)} `) })).toContainText('expired since');
  await expect(row.getByTestId('tag-last')).toContainText('webhook');
  await expect(row.getByTestId('tag-last')).toContainText('revalidateTag expire: 0');
  await expect(row.getByTestId('tag-last')).toContainText(tags.post(post.id));
  const event = page.getByTestId('invalidation').filter({ hasText: id });
  await expect(event).toContainText('webhook');
  await expect(event).toContainText(tags.post(post.id));
  await expect(event).toContainText('revalidateTag expire: 0');
  await expect(event).toContainText(/\d+ (s|min \d+ s) ago/);
  await expect(page.getByTestId('revalidations').getByRole('heading', { level: 3 }).first()).toContainText('Last 5 minutes');
  const now = await scrape(request);
  for (const series of ['ntc_invalidations_total{source="webhook",mode="expire"}', 'ntc_webhook_responses_total{status="200"}']) {
    expect(await shown(page, series), series).toBe(valueOf(now, series));
  }
});

test('a studio Server Action: the inspector records it and the counters move', async ({ browser, page, request }) => {
  const ada = await signedInPage(browser, ADA);
  await ada.goto('/studio/profile');
  const bio = ada.getByLabel('Bio');
  const original = await bio.inputValue();
  const before = await scrape(request);
  try {
    await bio.fill(`${original} (edited ${Date.now()})`);
    await ada.getByRole('button', { name: 'Save profile' }).click();
    await expect(ada.getByTestId('form-message')).toContainText('Profile saved.');

    const after = await scrape(request);
    const series = 'ntc_invalidations_total{source="action",mode="update"}';
    expect(valueOf(after, series), series).toBeGreaterThan(valueOf(before, series));

    await page.goto('/cache');
    const row = tagRow(page, tags.author(1)); // the row of the pattern author:<id>, whichever id
    await expect(row.getByTestId('tag-last')).toContainText('studio: author bio edited');
    await expect(row.getByTestId('tag-last')).toContainText('updateTag');
    await expect(row.getByTestId('tag-state')).toContainText(/\d+ invalidated: \d+ stale, [1-9]\d* expired/);
    const event = page.getByTestId('invalidation').first();
    await expect(event).toContainText('studio: author bio edited');
    await expect(event).toContainText('an author');
    await expect(event).toContainText('updateTag');
    expect(await shown(page, series)).toBe(valueOf(await scrape(request), series));
  } finally {
    await bio.fill(original);
    await ada.getByRole('button', { name: 'Save profile' }).click();
    await expect(ada.getByTestId('form-message')).toContainText('Profile saved.');
  }
});

test('the inspector is live: a cache hit, which invalidates nothing, shows in its counters at once', async ({ page, request }) => {
  const post = await publishedPost();
  await expect.poll(async () => (await request.get(`/posts/${post.slug}`)).headers()['x-nextjs-cache']).toBe('HIT');
  const response = await page.goto('/cache');
  // Not cacheable as a whole, by Next or by anything in front: it must never show an old state of the cache.
  expect(response!.headers()['cache-control']).toContain('no-store');
  const hits = 'ntc_cache_hits_total{handler="pages",layer="memory"}';
  const before = await shown(page, hits);
  expect((await request.get(`/posts/${post.slug}`)).headers()['x-nextjs-cache']).toBe('HIT');
  await page.reload();
  expect(await shown(page, hits)).toBeGreaterThan(before);
});

test('pages stay static and edge-cacheable with the overlay on and off', async ({ page }) => {
  const post = await publishedPost(1);
  for (const url of ['/', `/posts/${post.slug}`]) {
    const load = async () => (await page.goto(url))!.headers();
    // The first load may render or refresh it (an earlier test may have invalidated it).
    await expect.poll(async () => (await load())['x-nextjs-cache'], { message: url }).toBe('HIT');
    const off = await load();
    expect(off['cache-control'], url).toMatch(/s-maxage=\d+/);

    await page.getByRole('button', { name: 'Show cache overlay' }).click();
    await expect(page.getByTestId('cache-overlay-region').first()).toBeVisible();
    const on = await load();
    await expect(page.getByTestId('cache-overlay-region').first(), 'still on after a reload').toBeVisible();
    expect(on['x-nextjs-cache'], url).toBe('HIT');
    expect(on['cache-control'], url).toBe(off['cache-control']);

    await page.getByRole('button', { name: 'Hide cache overlay' }).click();
    await expect(page.getByTestId('cache-overlay-region')).toHaveCount(0);
    const offAgain = await load();
    expect(offAgain['x-nextjs-cache'], url).toBe('HIT');
    expect(offAgain['cache-control'], url).toBe(off['cache-control']);
    await expect(page.getByRole('button', { name: 'Show cache overlay' })).toBeVisible();
  }
  // Nothing the server could see: no cookie was set.
  expect(await page.context().cookies()).toEqual([]);
});

test('GET /api/metrics needs the bearer token when METRICS_TOKEN is set, and is never cached', async ({ request }) => {
  for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${metricsToken()}`, `Bearer ${metricsToken()}x`]) {
    const response = await request.get('/api/metrics', { headers: authorization ? { authorization } : {} });
    expect(response.status(), authorization ?? 'no header').toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringContaining('bearer token') });
  }
  const response = await request.get('/api/metrics', { headers: { authorization: `Bearer ${metricsToken()}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain');
  expect(response.headers()['cache-control']).toContain('no-store');
  const text = await response.text();
  for (const name of ['ntc_cache_hits_total', 'ntc_cache_misses_total', 'ntc_invalidations_total', 'ntc_db_queries_total', 'ntc_cache_fill_seconds']) {
    expect(text).toContain(`# TYPE ${name} `);
  }
  // Live, not a build-time snapshot: the process's CPU time moves between two scrapes.
  const cpu = 'ntc_process_cpu_seconds_total';
  const first = valueOf(await scrape(request), cpu);
  await expect.poll(async () => valueOf(await scrape(request), cpu)).toBeGreaterThan(first);
});

test('GET /api/metrics passes promtool check metrics', async ({ request }) => {
  const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((file) => existsSync(file));
  if (!promtool && process.env.CI) throw new Error('promtool is missing: .ci/run installs it (apt-get install -y prometheus)');
  test.skip(!promtool, 'promtool is not installed (apt-get install -y prometheus)');
  const response = await request.get('/api/metrics', { headers: { authorization: `Bearer ${metricsToken()}` } });
  expect(response.status()).toBe(200);
  const checked = spawnSync(promtool!, ['check', 'metrics'], { input: await response.text(), encoding: 'utf8' });
  expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
  expect(checked.status).toBe(0);
});
