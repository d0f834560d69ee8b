// Every page type on a phone and for assistive technology: nothing scrolls sideways at 360 or 390 px, and axe-core
// finds no violation of any impact, signed out and signed in.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { db } from './support/db';
import { LENA, signIn } from './support/studio';

const WIDTHS = [360, 390];

/** A published post with a code block (the widest thing a page shows), and one row of every listed entity. */
async function samples() {
  const sql = db();
  const [post] = await sql<{ id: number; slug: string }[]>`
    select id, slug from posts where status = 'published' and body like ${'%```%'} order by id limit 1`;
  const [category] = await sql<{ slug: string }[]>`select slug from categories order by id limit 1`;
  const [author] = await sql<{ slug: string }[]>`select slug from authors order by id limit 1`;
  const [topic] = await sql<{ slug: string }[]>`select slug from topics order by id limit 1`;
  const [product] = await sql<{ sku: string }[]>`select sku from products order by sku limit 1`;
  return { post, category, author, topic, product };
}

/** How much wider than the window the page is, in px (0: it fits). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function check(page: Page, url: string, prepare?: () => Promise<void>) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(url);
    await expect(page.locator('main').first()).toBeVisible();
    await prepare?.();
    expect(await overflow(page), `${url} at ${width} px scrolls sideways by`).toBe(0);
  }
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe on ${url}`).toEqual([]);
}

test('signed out: every public page type fits a phone and has no accessibility violation', async ({ page }) => {
  test.setTimeout(120_000);
  const { post, category, author, topic, product } = await samples();
  const urls = ['/', `/posts/${post.slug}`, `/categories/${category.slug}`, `/authors/${author.slug}`, `/topics/${topic.slug}`,
    '/catalog', `/catalog/${product.sku}`, '/cache', '/sign-in', '/posts/no-such-post'];
  for (const url of urls) await check(page, url);
});

test('signed in: the studio and the public pages fit a phone and have no accessibility violation', async ({ page }) => {
  test.setTimeout(120_000);
  const { post } = await samples();
  await signIn(page, LENA);
  // The editor with a long line of code in its body, rendered in the preview beside it.
  await check(page, `/studio/posts/${post.id}`, async () => {
    await page.getByLabel('Body (Markdown)').fill(`Some code:\n\n\`\`\`\n${'const wide = 1; '.repeat(20)}\n\`\`\``);
    await expect(page.getByTestId('preview').locator('pre')).toBeVisible();
  });
  for (const url of ['/studio', '/studio/new', '/studio/profile', '/', `/posts/${post.slug}`]) await check(page, url);
});
