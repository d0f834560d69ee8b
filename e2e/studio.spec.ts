import { expect, test } from '@playwright/test';
import { db } from './support/db';
import { expectFreshSoon, timesShown } from './support/freshness';
import { formFields, postForm, serverRenderedPage } from './support/forms';
import { ADA, fillPost, LENA, MATEO, signedInPage, signIn, signInFrom } from './support/studio';

const unique = () => Math.random().toString(36).slice(2, 8);
const heading = (page: import('@playwright/test').Page) => page.getByRole('heading', { level: 1 });
// Next keeps pages visited in this tab mounted but hidden (React Activity) after a client-side navigation (a link,
// or a Server Action's redirect): locate what is visible. Role locators skip hidden elements by themselves.
const shown = (locator: import('@playwright/test').Locator) => locator.filter({ visible: true });

test.describe('signing in', () => {
  test('wrong credentials get one message that does not reveal whether the email exists', async ({ page }) => {
    for (const [email, password] of [[ADA, 'not-the-password'], ['nobody@example.com', 'whatever-password']]) {
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('main').getByRole('alert')).toHaveText('Wrong email or password.');
      await expect(page.getByLabel('Email')).toHaveValue(email);
    }
  });

  test('repeated failures for one address are rate limited, even with the right password afterwards', async ({ page }) => {
    for (let i = 0; i < 5; i++) {
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(MATEO);
      await page.getByLabel('Password').fill(`wrong-${i}-password`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('main').getByRole('alert')).toHaveText('Wrong email or password.');
    }
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(MATEO);
    await page.getByLabel('Password').fill('tagged-cache-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('main').getByRole('alert')).toContainText('Too many failed sign-in attempts');
    await db()`delete from rate_limits`; // let the other tests sign in as Mateo
  });

  test('the session cookie is HttpOnly and SameSite, and signing out ends it', async ({ page, context }) => {
    await signIn(page, ADA);
    const cookie = (await context.cookies()).find((c) => c.name.includes('session_token'));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto('/studio');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fstudio/);
  });
});

test('an author creates a draft, publishes it, edits it, unpublishes and deletes it', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  const reader = await (await browser.newContext()).newPage();
  const title = `Notes on tagged caches ${unique()}`;

  await page.goto('/studio/new');
  await fillPost(page, { title, body: '## Hello\n\nFirst **draft**.' });
  await expect(page.getByLabel('URL slug')).toHaveValue(title.toLowerCase().replace(/ /g, '-'));
  await expect(page.getByTestId('preview').locator('h2')).toHaveText('Hello'); // live preview
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status')).toHaveText('Draft created.');
  const slug = await shown(page.getByLabel('URL slug')).inputValue();

  // A draft is not public.
  expect((await reader.goto(`/posts/${slug}`))?.status()).toBe(404);
  await page.goto('/studio');
  await expect(page.getByTestId('studio-posts').getByRole('row', { name: new RegExp(title) })).toContainText('Draft');

  // Publish from the list: the reader sees it at once (its 404 was invalidated with updateTag).
  await shown(page.getByTestId('studio-posts')).getByRole('row', { name: new RegExp(title) }).getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toContainText('is published');
  expect((await reader.goto(`/posts/${slug}`))?.status()).toBe(200);
  await expect(heading(reader)).toHaveText(title);
  await expect.poll(async () => {
    await reader.goto('/categories/databases');
    return reader.getByTestId('post-list').getByRole('link', { name: title }).count();
  }, { intervals: [300, 500, 1000] }).toBe(1);

  // Edit: the author's first load of the page shows the change.
  await shown(page.getByTestId('studio-posts')).getByRole('link', { name: title }).click();
  await shown(page.getByLabel('Title')).fill(`${title} (revised)`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(shown(page.getByTestId('form-message'))).toHaveText('Saved.');
  await page.goto(`/posts/${slug}`);
  await expect(heading(page)).toHaveText(`${title} (revised)`);

  // Unpublish: the URL is a 404 at once and the post leaves its category list.
  await page.goto('/studio');
  await page.getByTestId('studio-posts').getByRole('row', { name: /revised/ }).getByRole('button', { name: 'Unpublish' }).click();
  await expect(page.getByRole('status')).toContainText('a draft again');
  expect((await reader.goto(`/posts/${slug}`))?.status()).toBe(404);
  await expect.poll(async () => {
    await reader.goto('/categories/databases');
    return reader.getByTestId('post-list').getByRole('link', { name: /revised/ }).count();
  }, { intervals: [300, 500, 1000] }).toBe(0);

  // Delete, after a confirmation page.
  await shown(page.getByTestId('studio-posts')).getByRole('row', { name: /revised/ }).getByRole('link', { name: 'Delete' }).click();
  await expect(heading(page)).toContainText('Delete');
  await page.getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page.getByRole('status')).toContainText('was deleted');
  await expect(shown(page.getByTestId('studio-posts')).getByRole('row', { name: /revised/ })).toHaveCount(0);
  expect(await db()`select 1 from posts where slug = ${slug}`).toHaveLength(0);
});

test('editing a prerendered post: the first load shows it, lists show the old title at most once, readers see it too', async ({ browser }) => {
  // The newest post is prerendered by `next build`. Lena is an editor, so she may edit anyone's post.
  const [post] = await db()`select id, slug, title from posts where status = 'published' order by published_at desc, id desc limit 1`;
  const page = await signedInPage(browser, LENA);
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`/posts/${post.slug}`);
  await reader.goto('/');
  await expect(reader.getByTestId('post-list').getByRole('link', { name: post.title })).toBeVisible();

  const renamed = `${post.title} — ${unique()}`;
  await page.goto(`/studio/posts/${post.id}`);
  await page.getByLabel('Title').fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Saved.');

  await page.goto(`/posts/${post.slug}`);
  await expect(heading(page)).toHaveText(renamed);
  await reader.goto(`/posts/${post.slug}`);
  await expect(heading(reader)).toHaveText(renamed);

  // The lists were invalidated with 'max': served old once (perhaps to the reader's prefetch of the home page,
  // linked from the post page), then new.
  await expectFreshSoon(async () => timesShown(await (await reader.goto('/'))!.text(), renamed) === 1, 'home page after an edit');
});

test('changing the slug makes the old URL a 404 and the new one work', async ({ browser }) => {
  const [post] = await db()`select p.id, p.slug, p.title from posts p join authors a on a.id = p.author_id
    where p.status = 'published' and a.slug = 'ada-okafor' order by p.published_at desc limit 1`;
  const page = await signedInPage(browser, ADA);
  await page.goto(`/posts/${post.slug}`); // cache the old URL
  await page.goto(`/studio/posts/${post.id}`);
  const newSlug = `moved-${unique()}`;
  await page.getByLabel('URL slug').fill(newSlug);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Saved.');
  expect((await page.goto(`/posts/${post.slug}`))?.status()).toBe(404);
  expect((await page.goto(`/posts/${newSlug}`))?.status()).toBe(200);
  await expect(heading(page)).toHaveText(post.title);
});

test('validation errors are shown next to the fields and keep what was typed', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  await page.goto('/studio/new');
  await page.getByLabel('Body (Markdown)').fill('A body that must survive the error.');
  await page.getByLabel('URL slug').fill('Not A Valid Slug!');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.locator('#title-error')).toHaveText('Give the post a title.');
  await expect(page.locator('#slug-error')).toContainText('lowercase letters');
  await expect(page.locator('#categoryId-error')).toHaveText('Choose a category.');
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Body (Markdown)')).toHaveValue('A body that must survive the error.');
  await expect(page.getByLabel('URL slug')).toHaveValue('Not A Valid Slug!');

  // A slug another post uses is a field error, not a server error.
  const [taken] = await db()`select slug from posts limit 1`;
  await fillPost(page, { title: 'Clashing slug', body: 'Body' });
  await page.getByLabel('URL slug').fill(taken.slug);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.locator('#slug-error')).toHaveText('Another post already uses this URL slug.');
  await expect(page.getByLabel('Title')).toHaveValue('Clashing slug');
});

test('two people editing one post: the second save is refused, shows what changed, and loses nothing', async ({ browser }) => {
  const [post] = await db()`select p.id, p.title from posts p join authors a on a.id = p.author_id
    where a.slug = 'ada-okafor' order by p.id desc limit 1`;
  const ada = await signedInPage(browser, ADA);
  const lena = await signedInPage(browser, LENA);
  await ada.goto(`/studio/posts/${post.id}`);
  await lena.goto(`/studio/posts/${post.id}`);

  await lena.getByLabel('Title').fill('Title chosen by the editor');
  await lena.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(lena.getByTestId('form-message')).toHaveText('Saved.');

  await ada.getByLabel('Title').fill('Title chosen by the author');
  await ada.getByLabel('Excerpt').fill('An excerpt the author wrote meanwhile.');
  await ada.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(ada.getByTestId('form-message')).toContainText('Not saved: someone else saved this post');
  await expect(ada.getByTestId('conflict-changes')).toContainText('Title: “Title chosen by the editor”');
  await expect(ada.getByLabel('Title')).toHaveValue('Title chosen by the author');
  await expect(ada.getByLabel('Excerpt')).toHaveValue('An excerpt the author wrote meanwhile.');
  expect((await db()`select title from posts where id = ${post.id}`)[0].title).toBe('Title chosen by the editor');

  // Saving again is a deliberate overwrite.
  await ada.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(ada.getByTestId('form-message')).toHaveText('Saved.');
  expect((await db()`select title from posts where id = ${post.id}`)[0].title).toBe('Title chosen by the author');
});

test('Markdown with a script or a javascript: link stays inert on the public page', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  await page.goto('/studio/new');
  const title = `XSS attempt ${unique()}`;
  await fillPost(page, {
    title,
    body: 'Hi <script>window.__xss = 1</script>\n\n[click me](javascript:window.__xss=2)\n\n<img src="x" onerror="window.__xss=3">',
  });
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toHaveText('Post created and published.');
  const slug = await shown(page.getByLabel('URL slug')).inputValue();

  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(heading(reader)).toHaveText(title);
  const body = reader.getByTestId('post-body');
  await expect(body.locator('script')).toHaveCount(0);
  await expect(body.locator('[onerror]')).toHaveCount(0);
  expect(await body.getByText('click me').getAttribute('href')).toBeNull();
  await body.getByText('click me').click();
  expect(await reader.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test.describe('permissions are enforced on the server', () => {
  // Each Server Action is sent by hand with the fields of its own form (taken from a server-rendered page, so the
  // `$ACTION_…` fields name that action and no other), with ids replaced: the action's own check must refuse it.
  const rowStatus = (id: number) => db()`select status, version, title from posts where id = ${id}`.then((r) => r[0]);
  const priyaPost = () => db()`select p.id, p.version, p.status, p.title from posts p join authors a on a.id = p.author_id
    where a.slug = 'priya-raman' and p.status = 'published' order by p.id limit 1`.then((r) => r[0]);
  const adaPost = () => db()`select p.id, p.version, p.status, p.title from posts p join authors a on a.id = p.author_id
    where a.slug = 'ada-okafor' and p.status = 'published' order by p.id limit 1`.then((r) => r[0]);
  const authorRow = (slug: string) => db()`select name, bio from authors where slug = ${slug}`.then((r) => r[0]);

  /** Ada's own forms, as the server renders them for her: the list's publish form, delete, edit, profile. */
  async function adaForms(browser: import('@playwright/test').Browser) {
    const ada = await signedInPage(browser, ADA);
    const page = await serverRenderedPage(browser, ada.context());
    const mine = await adaPost();
    await page.goto('/studio');
    const statusForm = await formFields(page.getByTestId('studio-posts').locator('form', { has: page.locator('input[name="status"]') }).first());
    await page.goto(`/studio/posts/${mine.id}/delete`);
    const deleteForm = await formFields(page.locator('form', { has: page.getByRole('button', { name: 'Delete permanently' }) }));
    await page.goto(`/studio/posts/${mine.id}`);
    const editForm = await formFields(page.locator('form', { has: page.getByLabel('Title') }));
    await page.goto('/studio/profile');
    const profileForm = await formFields(page.locator('form', { has: page.getByLabel('Display name') }));
    return { ada, mine, statusForm, deleteForm, editForm, profileForm };
  }

  test("an author's session cannot change another author's post through any action", async ({ browser }) => {
    const { ada, mine, statusForm, deleteForm, editForm, profileForm } = await adaForms(browser);
    const other = await priyaPost();
    const ids = { id: String(other.id), version: String(other.version) };

    // The page itself: a 403 "not your post", inside the studio.
    expect((await ada.goto(`/studio/posts/${other.id}`))?.status()).toBe(403);

    const unpublish = await postForm(ada.request, '/studio', statusForm, { ...ids, status: 'draft' });
    expect(unpublish.status()).toBe(303);
    expect(unpublish.headers().location).toContain('error=forbidden');

    const remove = await postForm(ada.request, `/studio/posts/${mine.id}/delete`, deleteForm, ids);
    expect(remove.status()).toBe(303);
    expect(remove.headers().location).toContain('error=forbidden');

    const save = await postForm(ada.request, `/studio/posts/${mine.id}`, editForm, { ...ids, title: 'Taken over by Ada', intent: 'save' });
    expect(save.status()).toBe(200);
    expect(await save.text()).toContain('You can only change your own posts.');

    expect(await rowStatus(other.id)).toEqual({ status: other.status, version: other.version, title: other.title });

    // The profile action has no id to replace: it takes the author from the session, whatever the form says.
    const priyaBefore = await authorRow('priya-raman');
    const adaBefore = await authorRow('ada-okafor');
    const profile = await postForm(ada.request, '/studio/profile', profileForm, {
      authorId: String((await db()`select id from authors where slug = 'priya-raman'`)[0].id),
      author_id: 'priya-raman',
      name: adaBefore.name,
      bio: adaBefore.bio,
    });
    expect(profile.status()).toBe(200);
    expect(await authorRow('priya-raman')).toEqual(priyaBefore);
    expect(await authorRow('ada-okafor')).toEqual(adaBefore);
  });

  test('without a valid session every action refuses, though proxy.ts lets the request through', async ({ browser, playwright }) => {
    const { mine, statusForm, deleteForm, editForm, profileForm } = await adaForms(browser);
    // proxy.ts only looks for a session cookie, so a forged one gets every request past it to the action itself:
    // only the action's own session check stands in the way (without it, the action fails on the missing user).
    const forged = await playwright.request.newContext({
      baseURL: process.env.BASE_URL,
      extraHTTPHeaders: { cookie: 'better-auth.session_token=forged.c2lnbmF0dXJl' },
    });
    const ids = { id: String(mine.id), version: String(mine.version) };
    const adaBefore = await authorRow('ada-okafor');

    const unpublish = await postForm(forged, '/studio', statusForm, { ...ids, status: 'draft' });
    expect(unpublish.status()).toBe(303);
    expect(unpublish.headers().location).toMatch(/^\/sign-in/);

    const remove = await postForm(forged, `/studio/posts/${mine.id}/delete`, deleteForm, ids);
    expect(remove.status()).toBe(303);
    expect(remove.headers().location).toMatch(/^\/sign-in/);

    // These return their refusal as form state; the page rendered after them sends the visitor to sign in.
    const save = await postForm(forged, `/studio/posts/${mine.id}`, editForm, { ...ids, title: 'Written by nobody', intent: 'save' });
    expect(save.status()).toBeLessThan(500);
    const profile = await postForm(forged, '/studio/profile', profileForm, { name: 'Renamed by nobody', bio: '' });
    expect(profile.status()).toBeLessThan(500);

    expect(await rowStatus(mine.id)).toEqual({ status: mine.status, version: mine.version, title: mine.title });
    expect(await authorRow('ada-okafor')).toEqual(adaBefore);
    await forged.dispose();
  });

  test('a cross-origin post to a Server Action is refused, even with a valid session', async ({ browser }) => {
    const { ada, mine, statusForm } = await adaForms(browser);
    const body = new FormData();
    for (const [name, value] of statusForm) body.append(name, name === 'status' ? 'draft' : value);
    const response = await ada.request.post('/studio', {
      headers: { origin: 'https://evil.example' },
      multipart: body,
      maxRedirects: 0,
    });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect((await rowStatus(mine.id)).status).toBe('published');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('signing in and creating a post work with plain HTML forms', async ({ page }) => {
    await signIn(page, ADA);
    await page.goto('/studio/new');
    const title = `No-JS post ${unique()}`;
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('URL slug').fill(`no-js-${unique()}`);
    await page.getByLabel('Body (Markdown)').fill('Written without JavaScript.');
    await page.getByLabel('Category').selectOption({ label: 'Culture' });
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('status')).toHaveText('Post created and published.');
    const slug = await page.getByLabel('URL slug').inputValue();
    await page.goto(`/posts/${slug}`);
    await expect(heading(page)).toHaveText(title);
  });

  test('a wrong password shows the message and keeps the email', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(LENA);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('main').getByRole('alert')).toHaveText('Wrong email or password.');
    await expect(page.getByLabel('Email')).toHaveValue(LENA);
    await db()`delete from rate_limits where key like ${'%' + LENA + '%'}`; // the failure must not hold up other tests
  });

  test('studio forms show validation errors with the text kept, and the result of a save', async ({ page }) => {
    await signIn(page, ADA);
    await page.goto('/studio/new');
    await page.getByLabel('Body (Markdown)').fill('A body typed without JavaScript.');
    await page.getByLabel('URL slug').fill('Not A Valid Slug!');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByTestId('form-message')).toHaveText('Please correct the fields marked below.');
    await expect(page.locator('#title-error')).toHaveText('Give the post a title.');
    await expect(page.getByLabel('Body (Markdown)')).toHaveValue('A body typed without JavaScript.');
    await expect(page.getByLabel('URL slug')).toHaveValue('Not A Valid Slug!');

    const [mine] = await db()`select p.id from posts p join authors a on a.id = p.author_id
      where a.slug = 'ada-okafor' order by p.id desc limit 1`;
    await page.goto(`/studio/posts/${mine.id}`);
    const excerpt = `Excerpt saved without JavaScript ${unique()}`;
    await page.getByLabel('Excerpt').fill(excerpt);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('form-message')).toHaveText('Saved.');
    await expect(page.getByLabel('Excerpt')).toHaveValue(excerpt);
    expect((await db()`select excerpt from posts where id = ${mine.id}`)[0].excerpt).toBe(excerpt);

    await page.goto('/studio/profile');
    await page.getByLabel('Display name').fill('');
    await page.getByLabel('Bio').fill('A bio typed without JavaScript.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('#name-error')).toHaveText('Give a display name.');
    await expect(page.getByLabel('Bio')).toHaveValue('A bio typed without JavaScript.');
  });

  test('signing in from a link with a foreign `next` stays on this site', async ({ page, context }) => {
    await context.route('http://evil.example/**', (route) => route.fulfill({ body: 'evil' }));
    await signInFrom(page, '/sign-in?next=/%09/evil.example');
    expect(new URL(page.url()).origin).toBe(new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000').origin);
    await expect(page).toHaveURL(/\/studio$/);
  });
});

test('signing in from a link with a foreign `next` stays on this site', async ({ page, context }) => {
  await context.route('http://evil.example/**', (route) => route.fulfill({ body: 'evil' }));
  await signInFrom(page, '/sign-in?next=/%09/evil.example');
  expect(new URL(page.url()).origin).toBe(new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000').origin);
  await expect(page).toHaveURL(/\/studio$/);
  // A same-site `next` is still honoured.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await signInFrom(page, '/sign-in?next=/studio/profile');
  await expect(page).toHaveURL(/\/studio\/profile$/);
});

test.describe('studio pages that say "not found" or "not yours"', () => {
  test('answer 404 or 403, inside the studio with its navigation', async ({ browser }) => {
    const page = await signedInPage(browser, ADA);
    const [other] = await db()`select p.id from posts p join authors a on a.id = p.author_id where a.slug = 'priya-raman' limit 1`;
    const studioNav = page.getByRole('navigation', { name: 'Studio' });
    for (const [path, status, title] of [
      ['/studio/posts/999999999', 404, 'Post not found'],
      ['/studio/posts/not-a-number', 404, 'Post not found'],
      ['/studio/posts/999999999/delete', 404, 'Post not found'],
      [`/studio/posts/${other.id}`, 403, 'Not your post'],
      [`/studio/posts/${other.id}/delete`, 403, 'Not your post'],
    ] as const) {
      expect((await page.goto(path))?.status(), path).toBe(status);
      await expect(heading(page)).toHaveText(title);
      await expect(studioNav).toBeVisible();
      await expect(page.getByTestId('signed-in-as')).toBeVisible();
    }
  });
});

test('an author renames themselves: their page and their posts show the new name on the next load', async ({ browser }) => {
  const [post] = await db()`select p.slug from posts p join authors a on a.id = p.author_id
    where a.slug = 'priya-raman' and p.status = 'published' order by p.published_at desc limit 1`;
  const reader = await (await browser.newContext()).newPage();
  await reader.goto('/authors/priya-raman');
  await reader.goto(`/posts/${post.slug}`);
  await expect(reader.locator('article header a[href="/authors/priya-raman"]')).toHaveText('Priya Raman');

  const page = await signedInPage(browser, 'priya@example.com');
  await page.goto('/studio/profile');
  await page.getByLabel('Display name').fill('');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#name-error')).toHaveText('Give a display name.');
  await page.getByLabel('Display name').fill('Priya R. Raman');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('form-message')).toContainText('Profile saved.');
  try {
    await reader.goto('/authors/priya-raman');
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Priya R. Raman');
    await reader.goto(`/posts/${post.slug}`);
    await expect(reader.locator('article header a[href="/authors/priya-raman"]')).toHaveText('Priya R. Raman');
  } finally {
    await page.getByLabel('Display name').fill('Priya Raman');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByTestId('form-message')).toContainText('Profile saved.');
  }
});

// getViewer() is 'use cache: private': cached per request and browser, never in a cache shared between users. Were it
// a shared 'use cache', the session read inside it would fail the build; were it keyed wrongly, one user's name and
// posts would show to the other. Two users load the studio in turns, each always sees only themselves.
test('two people signed in at once each see their own name and posts, however often the pages are loaded', async ({ browser }) => {
  const name = async (email: string) => (await db()`select name from "user" where email = ${email}`)[0].name as string;
  // The newest post that is not Ada's: on the editor's list, never on Ada's.
  const [notAdas] = await db()`select p.title from posts p join authors a on a.id = p.author_id
    where a.user_id is distinct from (select id from "user" where email = ${ADA}) order by p.updated_at desc, p.id desc limit 1`;
  const ada = await signedInPage(browser, ADA);
  const lena = await signedInPage(browser, LENA);
  for (let round = 0; round < 3; round++) {
    for (const [page, email, title] of [[ada, ADA, 'Your posts'], [lena, LENA, 'All posts']] as const) {
      await page.goto('/studio');
      await expect(page.getByTestId('signed-in-as')).toContainText(await name(email));
      await expect(heading(page)).toHaveText(title);
    }
    await expect(lena.getByRole('link', { name: notAdas.title, exact: true })).toBeVisible();
    await expect(ada.getByRole('link', { name: notAdas.title, exact: true })).toHaveCount(0);
  }
  await ada.context().close();
  await lena.context().close();
});
