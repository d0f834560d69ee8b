import { tags } from '../lib/cache/tags';
import { expect, test, type Page } from '@playwright/test';
import { db, publishedPost } from './support/db';
import { sendWebhook } from './support/webhook';

const stampOf = (page: Page, within = 'main') =>
  page.locator(`${within} time[data-cached-at]`).last().getAttribute('data-cached-at');

test('a reader browses home → post → category → author → topic', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Latest posts' })).toBeVisible();
  const first = page.getByTestId('post-list').getByRole('listitem').first();
  const title = (await first.getByRole('heading', { level: 2 }).textContent())!;

  await first.getByRole('heading', { level: 2 }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByTestId('post-body').locator('h2').first()).toBeVisible(); // Markdown rendered

  const category = (await page.locator('article header a[href^="/categories/"]').textContent())!;
  await page.locator('article header a[href^="/categories/"]').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(category);
  await expect(page.getByTestId('post-list').getByRole('link', { name: title })).toBeVisible();

  await page.getByTestId('post-list').getByRole('link', { name: title }).click();
  const author = (await page.locator('article header a[href^="/authors/"]').textContent())!;
  await page.locator('article header a[href^="/authors/"]').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(author);

  await page.getByTestId('post-list').getByRole('heading', { level: 2 }).first().getByRole('link').click();
  const topic = page.getByRole('list', { name: 'Topics' }).getByRole('link').first();
  const topicName = (await topic.textContent())!;
  await topic.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(topicName);
  await expect(page.getByTestId('post-list').getByRole('listitem').first()).toBeVisible();
});

test('older posts are reachable page by page, and a forged cursor is a 404', async ({ page }) => {
  await page.goto('/');
  const firstPage = await page.getByTestId('post-list').getByRole('heading', { level: 2 }).allTextContents();
  await page.getByRole('link', { name: 'Older posts →' }).click();
  await expect(page).toHaveURL(/\/archive\/\d+-\d+$/);
  const secondPage = await page.getByTestId('post-list').getByRole('heading', { level: 2 }).allTextContents();
  expect(secondPage.length).toBeGreaterThan(0);
  expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);

  const response = await page.goto('/archive/not-a-cursor');
  expect(response?.status()).toBe(404);
});

test('unknown slugs get the 404 page', async ({ page }) => {
  for (const path of ['/posts/no-such-post', '/categories/no-such-category', '/authors/nobody', '/topics/nothing']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  }
});

test('drafts are never public', async ({ page, request }) => {
  const [draft] = await db()`select slug, title from posts where status = 'draft' limit 1`;
  expect(draft, 'the seed has drafts').toBeTruthy();
  expect((await page.goto(`/posts/${draft.slug}`))?.status()).toBe(404);
  await page.goto('/');
  await expect(page.getByText(draft.title)).toHaveCount(0);
  expect(await (await request.get('/feed.xml')).text()).not.toContain(draft.slug);
  expect(await (await request.get('/sitemap.xml')).text()).not.toContain(draft.slug);
});

test('feed and sitemap list published posts', async ({ request }) => {
  const post = await publishedPost();
  const feed = await request.get('/feed.xml');
  expect(feed.headers()['content-type']).toContain('application/rss+xml');
  expect(await feed.text()).toContain(`/posts/${post.slug}</link>`);
  const sitemap = await request.get('/sitemap.xml');
  expect(await sitemap.text()).toContain(`/posts/${post.slug}</loc>`);
});

test('reloading serves the same cached render, stamped with its tags', async ({ page }) => {
  const post = await publishedPost(3);
  await page.goto(`/posts/${post.slug}`);
  const stamp = page.locator('article time[data-cached-at]');
  const first = await stamp.getAttribute('data-cached-at');
  expect(await stamp.getAttribute('data-cache-tags')).toContain(tags.post(post.id));
  await page.reload();
  expect(await stamp.getAttribute('data-cached-at')).toBe(first);

  await page.goto('/');
  const home = await stampOf(page);
  expect(await page.locator('main time[data-cached-at]').last().getAttribute('data-cache-tags')).toContain(tags.posts);
  await page.reload();
  expect(await stampOf(page)).toBe(home);
});

for (const prerendered of [true, false]) {
  test(`a change behind the app's back stays invisible until its tag is invalidated (${prerendered ? 'prerendered' : 'rendered on demand'} post)`, async ({ page, request }) => {
    // The newest posts are prerendered by `next build`; the 40th is not, and renders on its first request.
    const post = await publishedPost(prerendered ? 0 : 40);
    await page.goto(`/posts/${post.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(post.title);
    const before = await page.locator('article time[data-cached-at]').getAttribute('data-cached-at');

    const changed = `${post.title} (corrected)`;
    await db()`update posts set title = ${changed} where id = ${post.id}`;
    try {
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(post.title);
      expect(await page.locator('article time[data-cached-at]').getAttribute('data-cached-at')).toBe(before);

      const response = await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
      expect(response.status()).toBe(200);
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(changed);
      expect(await page.locator('article time[data-cached-at]').getAttribute('data-cached-at')).not.toBe(before);
    } finally {
      await db()`update posts set title = ${post.title} where id = ${post.id}`;
      await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
    }
  });
}

test("'max' serves the old list at most once, then the new one", async ({ page, request }) => {
  const post = await publishedPost();
  await page.goto('/');
  await expect(page.getByTestId('post-list').getByRole('link', { name: post.title })).toBeVisible();
  const changed = `${post.title} — updated`;
  await db()`update posts set title = ${changed} where id = ${post.id}`;
  try {
    expect((await sendWebhook(request, { tags: [tags.posts], mode: 'max' })).status()).toBe(200);
    // Stale-while-revalidate: the first request may still get the old render while a fresh one is made.
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      await page.goto('/');
      seen.push(await page.getByTestId('post-list').getByRole('link', { name: changed }).isVisible());
      if (!seen.at(-1)) await page.waitForTimeout(500);
    }
    const stale = seen.indexOf(true);
    expect(stale, `new title never appeared: ${seen}`).toBeGreaterThanOrEqual(0);
    expect(stale, `old title shown more than once: ${seen}`).toBeLessThanOrEqual(1);
    expect(seen.slice(stale).every(Boolean)).toBe(true);
  } finally {
    await db()`update posts set title = ${post.title} where id = ${post.id}`;
    await sendWebhook(request, { tags: [tags.posts, tags.post(post.id)], mode: 'expire' });
  }
});
