import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { tags } from '../lib/cache/tags';
import { db, publishedPost } from './support/db';
import { fetchPage, timesShown } from './support/freshness';
import { sendWebhook } from './support/webhook';

const root = fileURLToPath(new URL('..', import.meta.url));
const reseed = async (appUrl: string) => {
  const { stdout, stderr } = await promisify(execFile)('node_modules/.bin/tsx', ['scripts/seed.ts', '--app-url', appUrl], { cwd: root, env: process.env });
  return stdout + stderr;
};
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

test('npm run db:seed says so when no app is running', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  expect(await reseed(url)).toContain(`No app is running at ${url}: nothing to refresh`);
});

test('re-seeding tells the running app: pages cached from the old content, cached 404s included, are fresh at once', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  // Cache a title that the seed will replace, and a 404 for a post the seed will bring back.
  const edited = await publishedPost(1);
  const gone = await publishedPost(2);
  const changed = `Edited after seeding ${Date.now()}`;
  await db()`update posts set title = ${changed} where id = ${edited.id}`;
  await db()`delete from posts where id = ${gone.id}`;
  await sendWebhook(request, { tags: [tags.post(edited.id), tags.postSlug(gone.slug)], mode: 'expire' });
  await page.goto(`/posts/${edited.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(changed);
  expect((await page.goto(`/posts/${gone.slug}`))?.status()).toBe(404);
  await page.goto('/');
  await expect(page.getByTestId('post-list').getByRole('link', { name: changed })).toBeVisible();

  expect(await reseed(baseURL!)).toContain(`Told the app at ${baseURL}`);

  // The seed's content, on the very first request of each page (the seed asks for expire, not 'max'), read from
  // each response's bytes.
  expect(timesShown((await fetchPage(request, `/posts/${edited.slug}`)).html, edited.title)).toBe(1);
  expect(timesShown((await fetchPage(request, `/posts/${gone.slug}`)).html, gone.title)).toBe(1);
  const home = (await fetchPage(request, '/')).html;
  expect(timesShown(home, edited.title)).toBe(1);
  expect(timesShown(home, changed)).toBe(0);
});
