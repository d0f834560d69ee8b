// A hostile client gets clear answers, never a 500 (issue 10, items 6–9).
import { tags } from '../lib/cache/tags';
import { expect, test, type Page } from '@playwright/test';
import { db } from './support/db';
import { ADA, signedInPage } from './support/studio';
import { sendWebhook } from './support/webhook';

const long = (n: number, c = 'a') => c.repeat(n);

test.describe('malformed URLs are 404s', () => {
  const paths = [
    `/posts/${long(247)}`,
    `/posts/${long(5000)}`,
    '/posts/%00',
    '/posts/a%00b',
    `/categories/${long(248)}`,
    `/categories/${long(300)}/2`,
    '/categories/%00',
    `/topics/${long(260)}`,
    '/topics/%00',
    `/authors/${long(300)}`,
    '/authors/%00',
    `/catalog/${long(250, 'A')}`,
    `/catalog/${long(250)}`,
    '/catalog/%00',
    '/catalog/MUG-001%00',
    '/archive/%00',
    `/archive/${long(300, '9')}`,
    '/categories/engineering/%00',
    `/categories/engineering/${long(300, '1')}`,
  ];
  for (const path of paths) {
    test(`${path.slice(0, 40)}${path.length > 40 ? `… (${path.length} characters)` : ''}`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.status()).toBe(404);
      expect(await response.text()).toContain('Page not found');
    });
  }
});

// Next decodes route parameters before any page code runs; an escape that is not UTF-8 ('%ff'), not hex ('%zz')
// or cut short ('%') made it fail with a bare 500 and nothing logged. proxy.ts answers these itself.
test.describe('URLs with invalid percent-escapes are 400s', () => {
  const prefixes = ['/posts/', '/categories/', '/authors/', '/topics/', '/archive/', '/catalog/', '/categories/engineering/'];
  const escapes = ['%ff', '%zz', '%', 'a%e2%82', '%c0%af'];
  for (const prefix of prefixes) {
    test(`${prefix} + ${escapes.join(', ')}`, async ({ request }) => {
      for (const escape of escapes) {
        const response = await request.get(`${prefix}${escape}`, { maxRedirects: 0 });
        expect([400, 404], `${prefix}${escape}`).toContain(response.status());
      }
    });
  }

  test('a valid escape still reaches the page (a 404 for a slug the app never made, a 200 for one it did)', async ({ request }) => {
    expect((await request.get('/posts/%41bc')).status()).toBe(404);
    const [post] = await db()`select slug from posts where status = 'published' order by published_at desc limit 1`;
    const encoded = `/posts/${[...post.slug].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`;
    expect((await request.get(encoded)).status()).toBe(200);
  });

  test('an RSC request and a studio URL with one are 400s too', async ({ request }) => {
    expect((await request.get('/posts/%ff', { headers: { rsc: '1' } })).status()).toBe(400);
    expect((await request.get('/studio/posts/%ff', { maxRedirects: 0 })).status()).toBe(400);
  });
});

/** Sets a form control's value in the DOM, as a hand-made request would send it. */
async function tamper(page: Page, selector: string, value: string) {
  await page.locator(selector).first().evaluate((el, v) => ((el as HTMLInputElement).value = v), value);
}

/**
 * The post editor is hydrated once its live preview has rendered (it needs JavaScript). Before that, React's
 * hydration and first re-renders would put back the values a test changes.
 */
async function editorReady(page: Page) {
  await expect(page.getByTestId('preview').filter({ visible: true })).not.toContainText('needs JavaScript');
}

test.describe('malformed Server Action fields are validation errors', () => {
  const damaged = 'This form was changed or is out of date, so nothing was saved. Reload the page and try again.';

  async function ownPost() {
    const [post] = await db()`select p.id, p.version, p.title, p.status from posts p join authors a on a.id = p.author_id
      where a.slug = 'ada-okafor' order by p.id limit 1`;
    return post as { id: number; version: number; title: string; status: string };
  }

  for (const [name, value] of [
    ['version', 'abc'],
    ['version', '99999999999'],
    ['id', '99999999999'],
    ['id', '2147483648'],
    ['intent', 'hack'],
  ] as const) {
    test(`saving with ${name}=${value}`, async ({ browser }) => {
      const post = await ownPost();
      const page = await signedInPage(browser, ADA);
      await page.goto(`/studio/posts/${post.id}`);
      await editorReady(page);
      if (name === 'intent') {
        await page.getByRole('button', { name: 'Save', exact: true }).evaluate((el, v) => el.setAttribute('value', v), value);
      } else {
        await tamper(page, `form input[name="${name}"]`, value);
      }
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByTestId('form-message').filter({ visible: true })).toHaveText(damaged);
      const [after] = await db()`select version from posts where id = ${post.id}`;
      expect(after.version).toBe(post.version);
    });
  }

  for (const [field, value] of [
    ['title', 'Bad\u0000title'],
    ['title', 'Bell\u0007title'],
    ['body', 'Body with a NUL \u0000 byte'],
    ['excerpt', 'Escape \u001B[31m'],
  ] as const) {
    test(`a control character in the ${field} (${JSON.stringify(value)}) is a field error`, async ({ browser }) => {
      const post = await ownPost();
      const page = await signedInPage(browser, ADA);
      await page.goto(`/studio/posts/${post.id}`);
      await editorReady(page);
      await tamper(page, `#${field}`, value);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.locator(`#${field}-error`)).toContainText('control characters');
      expect((await db()`select version from posts where id = ${post.id}`)[0].version).toBe(post.version);
    });
  }

  test('a category or topic id beyond PostgreSQL integers is a field error', async ({ browser }) => {
    const page = await signedInPage(browser, ADA);
    await page.goto('/studio/new');
    await editorReady(page);
    await page.getByLabel('Title').fill('Out of range ids');
    await page.getByLabel('Body (Markdown)').fill('Body');
    await page.locator('#categoryId').evaluate((el) => {
      const option = document.createElement('option');
      option.value = '99999999999';
      el.appendChild(option);
      (el as HTMLSelectElement).value = '99999999999';
    });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.locator('#categoryId-error')).toHaveText('Choose a category.');
  });

  for (const [name, value] of [
    ['id', '99999999999'],
    ['version', 'abc'],
    ['status', 'deleted'],
  ] as const) {
    test(`publishing from the list with ${name}=${value}`, async ({ browser }) => {
      const post = await ownPost();
      const page = await signedInPage(browser, ADA);
      await page.goto('/studio');
      // Changed and submitted in one step: the row is found by its id, which the change may replace.
      await page.locator(`form:has(input[name="id"][value="${post.id}"])`).first().evaluate((form, [field, v]) => {
        (form.querySelector(`input[name="${field}"]`) as HTMLInputElement).value = v;
        form.querySelector('button')!.click();
      }, [name, value]);
      await expect(page.locator('main').getByRole('alert')).toContainText('This form was changed or is out of date');
      expect((await db()`select version from posts where id = ${post.id}`)[0].version).toBe(post.version);
    });
  }

  test('deleting with a malformed version', async ({ browser }) => {
    const post = await ownPost();
    const page = await signedInPage(browser, ADA);
    await page.goto(`/studio/posts/${post.id}/delete`);
    await tamper(page, 'form input[name="version"]', '1e3');
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    await expect(page.locator('main').getByRole('alert')).toContainText('This form was changed or is out of date');
    expect(await db()`select id from posts where id = ${post.id}`).toHaveLength(1);
  });

  test('a NUL byte in the profile name is a field error', async ({ browser }) => {
    const page = await signedInPage(browser, ADA);
    await page.goto('/studio/profile');
    await tamper(page, '#name', 'Ada\u0000');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('#name-error')).toContainText('control characters');
  });
});

test('a body over the limit is refused in the form before sending, and the text stays', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  await page.goto('/studio/new');
  await editorReady(page);
  await page.getByLabel('Title').fill('A very long post');
  await page.getByLabel('Category').selectOption({ label: 'Databases' });
  // Over Next's 1 MB Server Action limit: sent, it would never reach the action and the page would be lost.
  const body = `# Long\n\n${'All work and no play. '.repeat(50_000)}`;
  await page.getByLabel('Body (Markdown)').fill(body);
  await expect(page.getByTestId('body-count')).toHaveText(`${body.length.toLocaleString('en')} / 100,000 characters`);
  let posted = 0;
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/studio') && (posted += 1));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.locator('#body-error')).toContainText('nothing was sent, and your text is still here');
  await expect(page.getByLabel('Body (Markdown)')).toHaveValue(body);
  await expect(page.getByLabel('Body (Markdown)')).toBeFocused();
  expect(posted).toBe(0);

  // Shortened under the limit, it saves.
  await page.getByLabel('Body (Markdown)').fill(body.slice(0, 100_000));
  await expect(page.locator('#body-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page).toHaveURL(/\/studio\/posts\/\d+\?created=1/);
});

test('control characters in a title behind the app’s back leave the feed and sitemap well-formed XML', async ({ page, request }) => {
  const [post] = await db()`select id, title, excerpt from posts where status = 'published' order by published_at desc, id desc limit 1`;
  try {
    await db()`update posts set title = ${`Ctrl\u0001\u0008\u001B chars & <tags>`}, excerpt = ${'Excerpt\u000B'} where id = ${post.id}`;
    expect((await sendWebhook(request, { tags: [tags.post(post.id), tags.posts], mode: 'expire' })).status()).toBe(200);
    const feed = await request.get('/feed.xml');
    expect(feed.status()).toBe(200);
    const xml = await feed.text();
    expect(xml).toContain('<title>Ctrl chars &amp; &lt;tags&gt;</title>');
    await page.goto('/');
    const errors = await page.evaluate(
      (texts) => texts.map((t) => new DOMParser().parseFromString(t, 'application/xml').getElementsByTagName('parsererror').length),
      [xml, await (await request.get('/sitemap.xml')).text()],
    );
    expect(errors).toEqual([0, 0]);
  } finally {
    await db()`update posts set title = ${post.title}, excerpt = ${post.excerpt} where id = ${post.id}`;
    await sendWebhook(request, { tags: [tags.post(post.id), tags.posts], mode: 'expire' });
  }
});
