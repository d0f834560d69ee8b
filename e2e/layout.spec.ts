// What a newcomer sees first: where they are, what the app is for, how to move through lists, and pages that fit
// a phone. Each test names a thing a reader would notice if it went missing.
import { expect, test, type Page } from '@playwright/test';
import { db } from './support/db';
import { LENA, signIn } from './support/studio';

const siteNav = (page: Page) => page.getByRole('navigation', { name: 'Site' });
const visible = (page: Page, testId: string) => page.getByTestId(testId).filter({ visible: true });

/** True when nothing on the page is wider than the window (no sideways scrolling). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('the header reaches every part of the app and marks the current one', async ({ page }) => {
  await page.goto('/');
  const nav = siteNav(page);
  for (const name of ['Blog', 'Catalog', 'Cache inspector', 'Studio']) await expect(nav.getByRole('link', { name })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Blog' })).toHaveAttribute('aria-current', 'page');

  await nav.getByRole('link', { name: 'Catalog' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Catalog');
  await expect(siteNav(page).getByRole('link', { name: 'Catalog' })).toHaveAttribute('aria-current', 'page');
  await expect(siteNav(page).locator('[aria-current]')).toHaveCount(1);

  await siteNav(page).getByRole('link', { name: 'Cache inspector' }).click();
  await expect(siteNav(page).getByRole('link', { name: 'Cache inspector' })).toHaveAttribute('aria-current', 'page');

  // A post belongs to the blog, on a full page load as well as after a client navigation.
  const [post] = await db()<{ slug: string }[]>`select slug from posts where status = 'published' order by id limit 1`;
  await page.goto(`/posts/${post.slug}`);
  await expect(siteNav(page).getByRole('link', { name: 'Blog' })).toHaveAttribute('aria-current', 'page');
});

test('the home page says what the app demonstrates and links to each part', async ({ page }) => {
  await page.goto('/');
  const about = page.getByRole('region', { name: 'A reference app for tagged caching in Next.js 16' });
  await expect(about).toBeVisible();
  await expect(about).toContainText('which tags it carries');
  await about.getByRole('link', { name: /^Cache inspector/ }).click();
  await expect(page).toHaveURL(/\/cache$/);
});

test('archive pages say where they are and lead back to newer posts', async ({ page }) => {
  await page.goto('/');
  const firstPage = await visible(page, 'post-list').getByRole('heading', { level: 2 }).allTextContents();
  await expect(visible(page, 'page-position')).toHaveCount(0); // the first page needs no position

  await page.getByRole('link', { name: 'Older posts →' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Older posts');
  await expect(visible(page, 'page-position')).toContainText(/Posts published \d+ \w+ \d{4} to \d+ \w+ \d{4}/);
  const secondPage = await visible(page, 'post-list').getByRole('heading', { level: 2 }).allTextContents();
  // Page two's way back is the first page itself.
  await expect(page.getByRole('link', { name: '← Newer posts' })).toHaveAttribute('href', '/');

  await page.getByRole('link', { name: 'Older posts →' }).click();
  await expect(visible(page, 'post-list').getByRole('heading', { level: 2 }).first()).not.toHaveText(secondPage[0]);
  await expect(page.getByRole('link', { name: 'Newest' })).toHaveAttribute('href', '/');
  await page.getByRole('link', { name: '← Newer posts' }).click();
  await expect.poll(() => visible(page, 'post-list').getByRole('heading', { level: 2 }).allTextContents()).toEqual(secondPage);

  await page.getByRole('link', { name: '← Newer posts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Latest posts' })).toBeVisible();
  await expect.poll(() => visible(page, 'post-list').getByRole('heading', { level: 2 }).allTextContents()).toEqual(firstPage);
});

test("an author's page does not repeat the author's name on every post", async ({ page }) => {
  const [author] = await db()<{ slug: string; name: string }[]>`
    select a.slug, a.name from authors a join posts p on p.author_id = a.id and p.status = 'published'
    group by a.id order by count(*) desc limit 1`;
  await page.goto(`/authors/${author.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(author.name);
  const list = visible(page, 'post-list');
  await expect(list.getByRole('listitem').first()).toBeVisible();
  await expect(list.getByRole('link', { name: author.name })).toHaveCount(0);
  // Elsewhere every post keeps its byline.
  await page.goto('/');
  const items = visible(page, 'post-list').getByRole('listitem');
  await expect(items.first()).toBeVisible();
  expect(await visible(page, 'post-list').locator('a[href^="/authors/"]').count()).toBe(await items.count());
});

test.describe('on a phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('cache stamps break between tags, never inside one, and pages fit the screen', async ({ page }) => {
    const [post] = await db()<{ slug: string }[]>`
      select slug from posts where status = 'published' order by length(slug) desc limit 1`;
    await page.goto(`/posts/${post.slug}`);
    const tagsShown = page.locator('main p:has(> time[data-cached-at]) span[title]');
    await expect(tagsShown.first()).toBeVisible();
    const lineHeights = await tagsShown.evaluateAll((els) =>
      els.map((el) => ({ tag: el.textContent, lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)) })),
    );
    expect(lineHeights.length).toBeGreaterThan(3);
    for (const { tag, lines } of lineHeights) expect(lines, `tag ${tag} on one line`).toBe(1);
    expect(await fitsWidth(page)).toBe(true);
    await page.goto('/');
    expect(await fitsWidth(page)).toBe(true);
  });

  test('the home page shows its first posts on the first screen, below the introduction', async ({ page }) => {
    await page.goto('/');
    const firstTitle = visible(page, 'post-list').getByRole('article').first().getByRole('heading');
    await expect(firstTitle).toBeVisible();
    const box = (await firstTitle.boundingBox())!;
    expect(box.y + box.height, "the first post's title within the first 844 px").toBeLessThanOrEqual(844);
  });

  test("the cache inspector's tag table shows every column of a tag within the screen", async ({ page }) => {
    await page.goto('/cache');
    const row = page.getByTestId('tag-table').locator('tbody tr').first();
    for (const testId of ['tag-state', 'tag-last']) {
      const box = (await row.getByTestId(testId).boundingBox())!;
      expect(box.x + box.width, `${testId} inside the screen`).toBeLessThanOrEqual(390);
    }
    expect(await fitsWidth(page)).toBe(true);
  });

  test("the studio's post table fits the screen, with every action in reach", async ({ page }) => {
    await signIn(page, LENA);
    await page.goto('/studio');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('All posts');
    expect(await fitsWidth(page)).toBe(true);
    const row = page.getByTestId('studio-posts').getByRole('row').filter({ has: page.getByRole('link', { name: 'View' }) }).first();
    for (const name of ['Edit', 'View', 'Delete']) {
      const box = (await row.getByRole('link', { name }).boundingBox())!;
      expect(box.x + box.width, `${name} inside the screen`).toBeLessThanOrEqual(390);
    }
  });
});

test('each studio page names itself in the tab, and every row of the list has an Edit link', async ({ page }) => {
  await signIn(page, LENA);
  await page.goto('/studio');
  await expect(page).toHaveTitle(/^Posts · Studio/);
  await page.getByTestId('studio-posts').getByRole('link', { name: 'Edit', exact: true }).first().click();
  await expect(page).toHaveURL(/\/studio\/posts\/\d+$/);
  await expect(page).toHaveTitle(/^Edit post · Studio/);
  await page.goto('/studio/new');
  await expect(page).toHaveTitle(/^New post · Studio/);
  await page.goto('/studio/profile');
  await expect(page).toHaveTitle(/^Your author profile · Studio/);
});

test("an editor's studio says all posts, and each row's actions stay on one line at 1280 px", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, LENA);
  await page.goto('/studio');
  await expect(page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'All posts' })).toBeVisible();
  const rows = page.getByTestId('studio-posts').getByRole('row').filter({ has: page.getByRole('link', { name: 'Delete' }) });
  await expect(rows.first()).toBeVisible();
  for (const row of (await rows.all()).slice(0, 5)) {
    const top = async (locator: ReturnType<Page['getByRole']>) => (await locator.boundingBox())!.y;
    expect(await top(row.getByRole('link', { name: 'Delete' }))).toBe(await top(row.getByRole('button', { name: /^(Publish|Unpublish)$/ })));
  }
});
