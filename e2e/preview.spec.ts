// Full-page preview (Draft Mode) from the studio: who may start one, what it shows, and that nobody else's view of
// the URL, nor the cache, changes because of it.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { db } from './support/db';
import { formFields, postForm } from './support/forms';
import { ADA, fillPost, LENA, MATEO, signedInPage } from './support/studio';

const unique = () => Math.random().toString(36).slice(2, 8);
const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const bar = (page: Page) => page.getByTestId('preview-bar').filter({ visible: true });
const stampOf = (page: Page) => page.locator('article time[data-cached-at]').getAttribute('data-cached-at');
const DRAFT_COOKIE = '__prerender_bypass';

/** The newest published post of the user with this email. */
async function publishedPostOf(email: string) {
  const [row] = await db()`select p.id, p.slug, p.title from posts p join authors a on a.id = p.author_id
    join "user" u on u.id = a.user_id where u.email = ${email} and p.status = 'published'
    order by p.published_at desc, p.id desc limit 1`;
  expect(row, `the seed has a published post by ${email}`).toBeTruthy();
  return row as { id: number; slug: string; title: string };
}

/** Waits until the URL is served from the page cache (an earlier test may have left it stale or missing). */
async function cachedResponse(request: APIRequestContext, path: string) {
  await expect.poll(async () => (await request.get(path)).headers()['x-nextjs-cache'], { intervals: [200, 500, 1000] }).toBe('HIT');
  return request.get(path);
}

/** Presses the editor's Preview button; the preview opens in a new tab at the post's public URL. */
async function openPreview(editor: Page, slug: string) {
  const [preview] = await Promise.all([editor.waitForEvent('popup'), editor.getByRole('button', { name: /^Preview/ }).click()]);
  await preview.waitForURL(new RegExp(`/posts/${slug}$`));
  return preview;
}

test('an author previews an unsaved title: only they see it, the cached page and its stamp stay as they were', async ({ browser, request }) => {
  const post = await publishedPostOf(ADA);
  const reader = await (await browser.newContext()).newPage();
  await cachedResponse(request, `/posts/${post.slug}`);
  await reader.goto(`/posts/${post.slug}`);
  await expect(heading(reader)).toHaveText(post.title);
  const stamp = await stampOf(reader);
  expect(stamp).toBeTruthy();

  const ada = await signedInPage(browser, ADA);
  await ada.goto(`/studio/posts/${post.id}`);
  const changed = `${post.title} (preview ${unique()})`;
  await ada.getByLabel('Title').fill(changed);
  const preview = await openPreview(ada, post.slug);
  await expect(heading(preview)).toHaveText(changed);
  await expect(bar(preview)).toContainText('Preview: you are seeing unpublished changes');
  await expect(preview.getByTestId('preview-render')).toBeVisible();
  await expect(preview.locator('article time[data-cached-at]')).toHaveCount(0); // nothing here came from the cache
  // Nothing was saved: the editor still holds the unsaved title, the database the old one.
  await expect(ada.getByLabel('Title')).toHaveValue(changed);
  expect((await db()`select title from posts where id = ${post.id}`)[0].title).toBe(post.title);

  // Meanwhile a reader gets the cached page: the old title, the same stamp.
  await reader.reload();
  await expect(heading(reader)).toHaveText(post.title);
  expect(await stampOf(reader)).toBe(stamp);
  await expect(bar(reader)).toHaveCount(0);

  // Leaving the preview: Draft Mode is off and the same tab gets the cached page again.
  await bar(preview).getByRole('button', { name: 'Leave preview' }).click();
  await expect(bar(preview)).toHaveCount(0);
  await preview.waitForURL(new RegExp(`/posts/${post.slug}$`));
  await expect(heading(preview)).toHaveText(post.title);
  expect(await stampOf(preview)).toBe(stamp);
  expect((await preview.context().cookies()).some((c) => c.name === DRAFT_COOKIE && c.value !== '')).toBe(false);
  await ada.context().close();
  await reader.context().close();
});

test('a draft can be previewed by its author and an editor, and is a 404 for everyone else', async ({ browser }) => {
  const ada = await signedInPage(browser, ADA);
  const title = `Preview of a draft ${unique()}`;
  await ada.goto('/studio/new');
  await fillPost(ada, { title, body: '## Not yet\n\nStill a **draft**. <script>alert(1)</script>' });
  await ada.getByRole('button', { name: 'Save draft' }).click();
  await expect(ada.getByRole('status')).toHaveText('Draft created.');
  const slug = await ada.getByLabel('URL slug').filter({ visible: true }).inputValue();
  const [{ id }] = await db()`select id from posts where slug = ${slug}`;
  const reader = await (await browser.newContext()).newPage();
  try {
    const preview = await openPreview(ada, slug);
    await expect(heading(preview)).toHaveText(title);
    await expect(bar(preview)).toContainText('This post is a draft');
    // The public page's renderer and sanitiser: Markdown rendered, the script dropped.
    await expect(preview.getByTestId('post-body').locator('h2')).toHaveText('Not yet');
    await expect(preview.getByTestId('post-body').locator('script')).toHaveCount(0);

    expect((await reader.goto(`/posts/${slug}`))?.status()).toBe(404);
    await expect(reader.getByText(title)).toHaveCount(0);

    // An editor may edit every post, so may preview this one too (the form as Ada's page would send it).
    const lena = await signedInPage(browser, LENA);
    const fields = await formFields(ada.locator('form:has(#title)').filter({ visible: true }));
    const started = await postForm(lena.request, '/api/preview', fields, {});
    expect(started.status()).toBe(303);
    expect(started.headers()['location']).toBe(`/posts/${slug}`);
    await lena.goto(`/posts/${slug}`);
    await expect(heading(lena)).toHaveText(title);
    await lena.context().close();

    // The author still sees the draft only in preview: after leaving, it is a 404 for them too.
    await bar(preview).getByRole('button', { name: 'Leave preview' }).click();
    await expect(bar(preview)).toHaveCount(0);
    expect((await preview.reload())?.status()).toBe(404);
  } finally {
    await db()`delete from posts where id = ${id}`;
    await ada.context().close();
    await reader.context().close();
  }
});

test('another author and an anonymous visitor cannot start a preview of a post, and see nothing of it', async ({ browser, request }) => {
  const ada = await signedInPage(browser, ADA);
  const title = `Ada's secret draft ${unique()}`;
  await ada.goto('/studio/new');
  await fillPost(ada, { title, body: 'Nobody else may read this.' });
  await ada.getByRole('button', { name: 'Save draft' }).click();
  await expect(ada.getByRole('status')).toHaveText('Draft created.');
  const slug = await ada.getByLabel('URL slug').filter({ visible: true }).inputValue();
  const [{ id }] = await db()`select id from posts where slug = ${slug}`;
  const fields = await formFields(ada.locator('form:has(#title)').filter({ visible: true }));
  const mateo = await signedInPage(browser, MATEO);
  try {
    // Mateo sends Ada's form by hand: refused, no Draft Mode cookie, nothing kept.
    const refused = await postForm(mateo.request, '/api/preview', fields, { title: `${title} (Mateo's)` });
    expect(refused.status()).toBe(403);
    expect(refused.headers()['set-cookie'] ?? '').not.toContain(DRAFT_COOKIE);
    expect(await db()`select 1 from post_previews where post_id = ${id}`).toHaveLength(0);
    expect((await mateo.goto(`/posts/${slug}`))?.status()).toBe(404);

    // Even in Draft Mode (started for his own post), Ada's draft stays a 404 for him: each render checks the session.
    const own = await publishedPostOf(MATEO);
    await mateo.goto(`/studio/posts/${own.id}`);
    const mine = await openPreview(mateo, own.slug);
    await expect(bar(mine)).toContainText('Preview: you are seeing unpublished changes');
    const response = await mine.goto(`/posts/${slug}`);
    expect(response?.status()).toBe(404);
    await expect(mine.getByText(title)).toHaveCount(0);
    await mine.close();

    // Anonymous: refused too, and without a cookie the draft is a 404.
    const anonymous = await postForm(request, '/api/preview', fields, {});
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()['set-cookie'] ?? '').not.toContain(DRAFT_COOKIE);
    expect((await request.get(`/posts/${slug}`)).status()).toBe(404);

    // A form posted from another site is refused before anything else, even with Ada's own session.
    const crossSite = await ada.request.post('/api/preview', { multipart: Object.fromEntries(fields), headers: { origin: 'http://other-site.example' }, maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
  } finally {
    await db()`delete from posts where id = ${id}`;
    await ada.context().close();
    await mateo.context().close();
  }
});

test("the public post page's response stays cacheable and unchanged after previews of it", async ({ browser, request }) => {
  const post = await publishedPostOf(ADA);
  const path = `/posts/${post.slug}`;
  const before = await cachedResponse(request, path);
  const cacheControl = before.headers()['cache-control'];
  expect(cacheControl).toMatch(/s-maxage=\d+/);
  const stamp = /data-cached-at="([^"]+)"/.exec(await before.text())?.[1];

  const ada = await signedInPage(browser, ADA);
  await ada.goto(`/studio/posts/${post.id}`);
  await ada.getByLabel('Title').fill(`${post.title} (header check ${unique()})`);
  const preview = await openPreview(ada, post.slug);
  await expect(bar(preview)).toBeVisible();
  // The preview itself is private and never stored by any cache. (Next still labels it `x-nextjs-cache: HIT`:
  // in Draft Mode it renders without a cache key, and the label only tells a miss from a hit.)
  const previewResponse = await preview.reload();
  expect(previewResponse?.headers()['cache-control']).toBe('private, no-cache, no-store, max-age=0, must-revalidate');
  expect(await previewResponse?.text()).toContain('preview-bar');

  for (let i = 0; i < 3; i++) {
    const after = await request.get(path);
    expect(after.headers()['x-nextjs-cache']).toBe('HIT');
    expect(after.headers()['cache-control']).toBe(cacheControl);
    const html = await after.text();
    expect(html).not.toContain('preview-bar');
    expect(/data-cached-at="([^"]+)"/.exec(html)?.[1]).toBe(stamp);
  }
  await ada.context().close();
});

test("the draft-mode cookie without a studio session buys nothing: the cached page, and the cookie is dropped", async ({ browser, playwright }) => {
  const post = await publishedPostOf(ADA);
  const path = `/posts/${post.slug}`;
  const ada = await signedInPage(browser, ADA);
  try {
    await ada.goto(`/studio/posts/${post.id}`);
    await ada.getByLabel('Title').fill(`${post.title} (cookie ${unique()})`);
    const preview = await openPreview(ada, post.slug);
    await expect(bar(preview)).toBeVisible();
    const draft = (await ada.context().cookies()).find((c) => c.name === DRAFT_COOKIE);
    expect(draft, 'Preview gave Ada the draft-mode cookie').toBeTruthy();

    // A stranger who got hold of the value (it is the same for every author until the next build).
    const stranger = await playwright.request.newContext({ baseURL: process.env.BASE_URL });
    const cached = await cachedResponse(stranger, path);
    const response = await stranger.get(path, { headers: { cookie: `${DRAFT_COOKIE}=${draft!.value}` } });
    expect(response.headers()['cache-control']).toBe(cached.headers()['cache-control']);
    expect(response.headers()['set-cookie'] ?? '').toContain(`${DRAFT_COOKIE}=;`);
    expect(await response.text()).not.toContain('preview-bar');
    await stranger.dispose();
  } finally {
    await ada.context().close();
  }
});
