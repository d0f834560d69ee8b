import { tags } from '../lib/cache/tags';
import { expect, test, type Page } from '@playwright/test';
import { db, publishedPost } from './support/db';
import { expectFreshAtOnce, expectStaleThenFresh, fetchPage, timesShown } from './support/freshness';
import { sendWebhook } from './support/webhook';

const unique = () => Date.now().toString(36);
const listLink = (page: Page, title: string) => page.getByTestId('post-list').getByRole('link', { name: title, exact: true });

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

  // Client-side navigations from here on: Next keeps the pages already visited mounted but hidden (React Activity),
  // so CSS and test-id locators are narrowed to what is visible (role locators skip hidden elements themselves).
  const categoryLink = page.locator('article header a[href^="/categories/"]').filter({ visible: true });
  const category = (await categoryLink.textContent())!;
  await categoryLink.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(category);
  await expect(page.getByTestId('post-list').getByRole('link', { name: title })).toBeVisible();

  await page.getByTestId('post-list').filter({ visible: true }).getByRole('link', { name: title }).click();
  const authorLink = page.locator('article header a[href^="/authors/"]').filter({ visible: true });
  const author = (await authorLink.textContent())!;
  await authorLink.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(author);

  await page.getByTestId('post-list').filter({ visible: true }).getByRole('heading', { level: 2 }).first().getByRole('link').click();
  const topic = page.getByRole('list', { name: 'Topics' }).getByRole('link').first();
  const topicName = (await topic.textContent())!;
  await topic.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(topicName);
  await expect(page.getByTestId('post-list').filter({ visible: true }).getByRole('listitem').first()).toBeVisible();
});

test('older posts are reachable page by page, and a forged cursor is a 404', async ({ page }) => {
  await page.goto('/');
  const firstPage = await page.getByTestId('post-list').getByRole('heading', { level: 2 }).allTextContents();
  await page.getByRole('link', { name: 'Older posts →' }).click();
  await expect(page).toHaveURL(/\/archive\/\d+-\d+$/);
  const secondPage = await page.getByTestId('post-list').filter({ visible: true }).getByRole('heading', { level: 2 }).allTextContents();
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
      // `expire`: the very response to the first request is the new render (read from its bytes, not the DOM).
      const first = await page.reload();
      await expectFreshAtOnce(async () => timesShown(await first!.text(), changed) === 1, `/posts/${post.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(changed);
      expect(await page.locator('article time[data-cached-at]').getAttribute('data-cached-at')).not.toBe(before);
    } finally {
      await db()`update posts set title = ${post.title} where id = ${post.id}`;
      await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
    }
  });
}

/**
 * An earlier test's 'max' may leave a list one render behind (its one stale response not yet served): expire every
 * entry built from the database, so the test starts from lists that match the database.
 */
async function startFromFreshLists(request: import('@playwright/test').APIRequestContext) {
  expect((await sendWebhook(request, { tags: [tags.content], mode: 'expire' })).status()).toBe(200);
}

test("'max' serves the old list on the first request, then the new one", async ({ page, request }) => {
  await startFromFreshLists(request);
  const post = await publishedPost();
  await page.goto('/');
  await expect(listLink(page, post.title)).toBeVisible();
  const before = await stampOf(page);
  const changed = `${post.title} — updated ${unique()}`;
  await db()`update posts set title = ${changed} where id = ${post.id}`;
  try {
    expect((await sendWebhook(request, { tags: [tags.posts], mode: 'max' })).status()).toBe(200);
    const seen: { cache?: string; stamp?: string }[] = [];
    await expectStaleThenFresh(async () => {
      const { html, cache } = await fetchPage(request, '/');
      seen.push({ cache, stamp: /data-cached-at="([^"]+)"[^>]*data-cache-tags="[^"]*\bposts\b/.exec(html)?.[1] });
      return timesShown(html, changed) === 1;
    }, 'home page');
    // The first answer was the old render itself, served stale while the new one was made.
    expect(seen[0], JSON.stringify(seen)).toEqual({ cache: 'STALE', stamp: before });
  } finally {
    await db()`update posts set title = ${post.title} where id = ${post.id}`;
    await sendWebhook(request, { tags: [tags.posts, tags.post(post.id)], mode: 'expire' });
  }
});

/** The newest published post, with the category, author and (first) topic whose lists show it on their first page. */
async function newestPostWithLists() {
  const [row] = await db()`select p.id, p.slug, p.title, c.slug as category, c.name as category_name, a.slug as author,
      (select t.slug from post_topics pt join topics t on t.id = pt.topic_id where pt.post_id = p.id order by t.slug limit 1) as topic
    from posts p join categories c on c.id = p.category_id join authors a on a.id = p.author_id
    where p.status = 'published' order by p.published_at desc, p.id desc limit 1`;
  expect(row.topic, 'the newest post has a topic').toBeTruthy();
  return row as { id: number; slug: string; title: string; category: string; category_name: string; author: string; topic: string };
}

// The vocabulary on /cache promises that an entity's own tag refreshes every page showing it. A CMS that edits
// a row and sends only that tag relies on it: each test changes a row behind the app's back, checks that the
// cached pages still show the old value, sends ONLY the entity tag, and expects every page fresh at once.
test('post:<id> alone refreshes its title on home, archive, its category, author and topic lists, and the feed', async ({ page, request }) => {
  await startFromFreshLists(request);
  const post = await newestPostWithLists();
  await page.goto('/');
  const archive = (await page.getByRole('link', { name: 'Older posts →' }).getAttribute('href'))!;
  const onArchive = await publishedPost(12); // the first post of the second page
  const pages = (first: string, second: string): [string, string][] => [
    ...['/', `/categories/${post.category}`, `/authors/${post.author}`, `/topics/${post.topic}`, '/feed.xml'].map((url): [string, string] => [url, first]),
    [archive, second],
  ];
  // One request per page, each checked on its own response: fresh means fresh on that first request.
  const expectShown = async (list: [string, string][]) => {
    for (const [url, title] of list) expect(timesShown((await fetchPage(request, url)).html, title), `${url} shows “${title}”`).toBe(1);
  };
  const suffix = ` retitled ${unique()}`;
  await expectShown(pages(post.title, onArchive.title)); // cached as they are now
  await db()`update posts set title = title || ${suffix} where id in ${db()([post.id, onArchive.id])}`;
  try {
    await expectShown(pages(post.title, onArchive.title)); // a change behind the app's back stays invisible…
    for (const id of [post.id, onArchive.id]) {
      expect((await sendWebhook(request, { tags: [tags.post(id)], mode: 'expire' })).status()).toBe(200);
    }
    await expectShown(pages(post.title + suffix, onArchive.title + suffix)); // …until its own tag is sent
  } finally {
    await db()`update posts set title = left(title, length(title) - ${suffix.length}) where id in ${db()([post.id, onArchive.id])} and title like ${`%${suffix}`}`;
    await sendWebhook(request, { tags: [tags.post(post.id), tags.post(onArchive.id)], mode: 'expire' });
  }
});

test('category:<slug> alone refreshes its name in the navigation, on its posts, its page and the lists', async ({ request }) => {
  const post = await newestPostWithLists();
  const urls = ['/', `/posts/${post.slug}`, `/categories/${post.category}`, `/authors/${post.author}`];
  // Each page names the category at least twice (the navigation, and beside the post or as its heading).
  const expectShown = async (name: string, other: string) => {
    for (const url of urls) {
      const { html } = await fetchPage(request, url);
      expect(timesShown(html, name), `${url} shows “${name}”`).toBeGreaterThanOrEqual(2);
      expect(timesShown(html, other), `${url} still shows “${other}”`).toBe(0);
    }
  };
  const renamed = `Renamed ${unique()}`;
  await expectShown(post.category_name, renamed);
  await db()`update categories set name = ${renamed} where slug = ${post.category}`;
  try {
    await expectShown(post.category_name, renamed);
    expect((await sendWebhook(request, { tags: [tags.category(post.category)], mode: 'expire' })).status()).toBe(200);
    await expectShown(renamed, post.category_name);
  } finally {
    await db()`update categories set name = ${post.category_name} where slug = ${post.category}`;
    await sendWebhook(request, { tags: [tags.category(post.category)], mode: 'expire' });
  }
});

test('topic:<slug> alone refreshes its name on its page and on its posts', async ({ page, request }) => {
  const post = await newestPostWithLists();
  const [topic] = await db()`select name from topics where slug = ${post.topic}`;
  const renamed = `renamed-${unique()}`;
  // The post page renders `#{name}` as two text nodes; the new name is unique, so its presence is the test.
  const showsRenamed = async () => {
    const shown = [];
    for (const url of [`/posts/${post.slug}`, `/topics/${post.topic}`]) shown.push((await fetchPage(request, url)).html.includes(renamed));
    return shown;
  };
  await showsRenamed();
  await db()`update topics set name = ${renamed} where slug = ${post.topic}`;
  try {
    expect(await showsRenamed(), 'cached pages keep the old name').toEqual([false, false]);
    expect((await sendWebhook(request, { tags: [tags.topic(post.topic)], mode: 'expire' })).status()).toBe(200);
    expect(await showsRenamed(), 'fresh on the first request').toEqual([true, true]);
    await page.goto(`/posts/${post.slug}`);
    await expect(page.getByRole('list', { name: 'Topics' }).locator(`a[href="/topics/${post.topic}"]`)).toHaveText(`#${renamed}`);
    await page.goto(`/topics/${post.topic}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`#${renamed}`);
  } finally {
    await db()`update topics set name = ${topic.name} where slug = ${post.topic}`;
    await sendWebhook(request, { tags: [tags.topic(post.topic)], mode: 'expire' });
  }
});
