import { expect, test } from '@playwright/test';
import { tags } from '../lib/cache/tags';
import { db } from './support/db';
import { ADA, LENA, MATEO, signedInPage } from './support/studio';

const save = (page: import('@playwright/test').Page) => page.getByRole('button', { name: 'Save', exact: true }).click();
const changesListed = async (page: import('@playwright/test').Page) =>
  (await page.getByTestId('conflict-changes').getByRole('listitem').allTextContents()).map((t) => t.split(':')[0].trim());

test('an edit conflict lists only what the other writer changed since this form was loaded or last saved', async ({ browser }) => {
  const [post] = await db()`select p.id from posts p join authors a on a.id = p.author_id
    where a.slug = 'ada-okafor' order by p.id asc limit 1`;
  const ada = await signedInPage(browser, ADA);
  const lena = await signedInPage(browser, LENA);
  await ada.goto(`/studio/posts/${post.id}`);
  await lena.goto(`/studio/posts/${post.id}`);

  await lena.getByLabel('Title').fill('Title the editor chose');
  await save(lena);
  await expect(lena.getByTestId('form-message')).toHaveText('Saved.');

  // Ada changed the title and the excerpt herself; only the title was changed by Lena.
  await ada.getByLabel('Title').fill('Title the author chose');
  await ada.getByLabel('Excerpt').fill('An excerpt the author wrote meanwhile.');
  await save(ada);
  await expect(ada.getByTestId('form-message')).toContainText('Not saved: someone else saved this post');
  expect(await changesListed(ada)).toEqual(['Title']);
  await save(ada); // a deliberate overwrite
  await expect(ada.getByTestId('form-message')).toHaveText('Saved.');

  // Lena's form is based on her own save: Ada's overwrite changed the title and the excerpt since, not the body
  // that Lena is changing now.
  await lena.getByLabel('Body (Markdown)').fill('A body the editor rewrote.');
  await save(lena);
  await expect(lena.getByTestId('form-message')).toContainText('Not saved: someone else saved this post');
  expect(await changesListed(lena)).toEqual(['Title', 'Excerpt']);
});

test('saving the profile unchanged invalidates nothing and logs nothing', async ({ browser }) => {
  const reader = await (await browser.newContext()).newPage();
  await reader.goto('/authors/mateo-rossi');
  const stamp = reader.locator('main time[data-cached-at]').last();
  const cachedAt = await stamp.getAttribute('data-cached-at');
  const [{ id: authorId }] = await db()`select id from authors where slug = 'mateo-rossi'`;
  const authorTag = tags.author(authorId);
  const logged = async () => (await db()`select count(*)::int as n from revalidations where ${authorTag} = any(tags)`)[0].n;
  const before = await logged();

  const page = await signedInPage(browser, MATEO);
  await page.goto('/studio/profile');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('form-message')).toContainText('Nothing to save: your profile is unchanged.');
  expect(await logged()).toBe(before);
  await reader.reload();
  expect(await stamp.getAttribute('data-cached-at')).toBe(cachedAt);

  // A real change still goes through, and is logged as what it is.
  const [{ bio }] = await db()`select bio from authors where slug = 'mateo-rossi'`;
  await page.getByLabel('Bio').fill(`${bio} (updated)`);
  await page.getByRole('button', { name: 'Save profile' }).click();
  try {
    await expect(page.getByTestId('form-message')).toContainText('Profile saved.');
    expect(await logged()).toBe(before + 1);
    expect((await db()`select change from revalidations where ${authorTag} = any(tags) order by id desc limit 1`)[0].change).toBe('author bio edited');
    await reader.reload();
    await expect(reader.getByText(`${bio} (updated)`)).toBeVisible();
  } finally {
    await page.getByLabel('Bio').fill(bio);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByTestId('form-message')).toContainText('Profile saved.');
  }
});
