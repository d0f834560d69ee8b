// What a page shows or allows that it should not: staff emails and client-chosen text on /cache, any text in the
// studio's alert box, being framed by another site.
import { expect, test } from '@playwright/test';
import { db, publishedPost } from './support/db';
import { HIDDEN_SLUG_TAG } from '../lib/cache/log-labels';
import { ADA, fillPost, signedInPage } from './support/studio';

test('/cache shows no email address and no text a client chose, only fixed labels', async ({ browser, page }) => {
  // A studio change, made through the UI.
  const ada = await signedInPage(browser, ADA);
  await ada.goto('/studio/profile');
  const name = ada.getByLabel('Display name');
  const original = await name.inputValue();
  await name.fill(`${original} (temporarily)`);
  await ada.getByRole('button', { name: 'Save profile' }).click();
  await expect(ada.getByTestId('form-message')).toContainText('Profile saved.');
  await name.fill(original);
  await ada.getByRole('button', { name: 'Save profile' }).click();
  await expect(ada.getByTestId('form-message')).toContainText('Profile saved.');

  // Rows as an older build, or a hand-made request, could have left them: an email as the actor, free text as the change.
  await db()`insert into revalidations (tags, mode, source, actor, change)
    values (${['posts']}, 'max', 'action', 'lena@example.com', 'post Call +1 555 0100 to restore your accounted')`;
  await page.goto('/cache');
  await expect(page.getByTestId('revalidations')).toBeVisible();
  const log = page.getByTestId('revalidations');
  await expect(page.getByTestId('invalidation').filter({ hasText: 'studio: author renamed' }).first()).toContainText('an author');
  expect(await log.innerText()).not.toMatch(/@|Call \+1/);
  expect(await page.content()).not.toMatch(/[a-z]+@example\.com|Call \+1 555/);
});

test("/cache never shows a draft's URL; once the post is published it may", async ({ browser, page }) => {
  const ada = await signedInPage(browser, ADA);
  const title = `Unannounced launch ${Date.now()}`;
  await ada.goto('/studio/new');
  await fillPost(ada, { title, body: 'Not public yet.' });
  await ada.getByRole('button', { name: 'Save draft' }).click();
  await expect(ada.getByRole('status')).toHaveText('Draft created.');
  const slug = await ada.getByLabel('URL slug').filter({ visible: true }).inputValue();

  // Saving the draft invalidated its URL's tag: the log and the tag store hold the slug, the public page must not.
  await page.goto('/cache');
  await expect(page.getByTestId('invalidation').first()).toBeVisible();
  await expect(page.getByTestId('tag-table').locator('[data-pattern="post-slug:<slug>"]')).toContainText(HIDDEN_SLUG_TAG);
  expect(await page.content()).not.toContain(slug);

  await db()`update posts set status = 'published', published_at = now() where slug = ${slug}`;
  await page.reload();
  await expect(page.getByTestId('tag-table').locator('[data-pattern="post-slug:<slug>"]')).toContainText(slug);
  await db()`delete from posts where slug = ${slug}`;
});

test('the studio alert shows fixed messages for known codes and nothing for any other text', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  await page.goto(`/studio?error=${encodeURIComponent('Your account is locked. Call +1 555 0100 now.')}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your posts');
  await expect(page.getByText('Call +1 555 0100')).toHaveCount(0);
  await expect(page.locator('main').getByRole('alert')).toHaveCount(0);

  await page.goto(`/studio?notice=${encodeURIComponent('Verified by the security team.')}`);
  await expect(page.getByText('Verified by the security team')).toHaveCount(0);

  await page.goto('/studio?error=forbidden');
  await expect(page.locator('main').getByRole('alert')).toHaveText('You can only change your own posts.');
});

test('no page can be framed by another site, and cached pages stay cached', async ({ page, request }) => {
  const post = await publishedPost();
  for (const path of ['/', '/sign-in', '/studio', '/cache', `/posts/${post.slug}`, '/feed.xml', '/api/revalidate']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-frame-options'], path).toBe('DENY');
  }
  // The headers change nothing about caching: a post is still served from the cache, with s-maxage (the first
  // request may be a miss, or stale if an earlier test invalidated it with 'max').
  await expect.poll(async () => (await request.get(`/posts/${post.slug}`)).headers()['x-nextjs-cache']).toBe('HIT');
  const cached = await request.get(`/posts/${post.slug}`);
  expect(cached.headers()['x-nextjs-cache']).toBe('HIT');
  expect(cached.headers()['cache-control']).toMatch(/s-maxage=\d+/);

  // And a browser refuses to show the sign-in page inside another site's frame.
  await page.route('http://other-site.example/', (route) =>
    route.fulfill({ contentType: 'text/html', body: `<iframe src="${new URL('/sign-in', process.env.BASE_URL).href}"></iframe>` }),
  );
  await page.goto('http://other-site.example/', { waitUntil: 'load' }); // "load" waits for the frame's document too
  const framed = page.frames().find((f) => f !== page.mainFrame())!;
  expect(framed).toBeDefined();
  expect(framed.url()).not.toContain('/sign-in'); // Chromium shows its own error page instead
  await expect(framed.getByLabel('Email')).toHaveCount(0);
});
