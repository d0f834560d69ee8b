import { expect, test, type Page } from '@playwright/test';
import { db, publishedPost } from './support/db';

const SITE = 'Tagged Cache Blog';
const DC = 'http://purl.org/dc/elements/1.1/';
const ATOM = 'http://www.w3.org/2005/Atom';

// Pages are prerendered at build time, when SITE_URL names the public origin (not the port this run serves on):
// absolute URLs are checked for being absolute and for their path.
const pathOf = (url: string | null) => {
  expect(url, 'an absolute URL').toMatch(/^https?:\/\/[^/]+(\/|$)/);
  return new URL(url!).pathname;
};
const canonicalPath = async (page: Page) => pathOf(await page.locator('link[rel="canonical"]').getAttribute('href'));
const meta = (page: Page, selector: string) => page.locator(`meta[${selector}]`).getAttribute('content');

/** The category, author and topic of the newest published post with a topic: each has a list page with posts on it. */
async function listsWithPosts() {
  const [row] = await db()`select c.slug as category, a.slug as author, t.slug as topic
    from posts p join categories c on c.id = p.category_id join authors a on a.id = p.author_id
    join post_topics pt on pt.post_id = p.id join topics t on t.id = pt.topic_id
    where p.status = 'published' order by p.published_at desc, p.id desc limit 1`;
  expect(row, 'the seed has a published post with a topic').toBeTruthy();
  return row as { category: string; author: string; topic: string };
}

test('category, author and topic pages each have their own title, description and canonical link', async ({ page }) => {
  const lists = await listsWithPosts();
  await page.goto('/');
  const siteDescription = await meta(page, 'name="description"');
  const titles: string[] = [];
  for (const path of [`/categories/${lists.category}`, `/authors/${lists.author}`, `/topics/${lists.topic}`]) {
    await page.goto(path);
    const heading = (await page.getByRole('heading', { level: 1 }).textContent())!;
    // The tab says which list this is, as the heading does.
    await expect(page, path).toHaveTitle(`${heading} · ${SITE}`);
    titles.push(await page.title());
    // Its own description, not the site's: the one the page shows under its heading, or one naming it.
    const description = (await meta(page, 'name="description"'))!;
    expect(description, path).not.toBe(siteDescription);
    const shown = await page.getByText(description, { exact: true }).filter({ visible: true }).count();
    expect(shown > 0 || description.includes(heading), `${path}: "${description}"`).toBe(true);
    expect(await canonicalPath(page), path).toBe(path);
    expect(await meta(page, 'property="og:title"'), path).toBe(`${heading} · ${SITE}`);
  }
  expect(new Set(titles).size).toBe(3);
  expect(titles).not.toContain(SITE);
});

test('a post page has its canonical link, Open Graph and Twitter data, and still announces the feed', async ({ page, request }) => {
  const post = await publishedPost();
  await page.goto(`/posts/${post.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(post.title);
  await expect(page).toHaveTitle(`${post.title} · ${SITE}`);
  expect(await canonicalPath(page)).toBe(`/posts/${post.slug}`);
  expect(await meta(page, 'property="og:title"')).toBe(`${post.title} · ${SITE}`);
  expect(await meta(page, 'property="og:site_name"')).toBe(SITE);
  expect(await meta(page, 'name="twitter:card"')).toBe('summary_large_image');
  expect(await meta(page, 'property="og:description"')).toBe(await meta(page, 'name="description"'));
  await expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute('href', /\/feed\.xml$/);

  // The share image is served (from this run's origin: the page names the build's).
  const image = await request.get(pathOf(await meta(page, 'property="og:image"')));
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toBe('image/png');
});

test('the catalog and a product page have their own title and canonical link', async ({ page }) => {
  const [product] = await db()`select sku, name from products order by name limit 1`;
  await page.goto('/catalog');
  await expect(page).toHaveTitle(`Catalog · ${SITE}`);
  expect(await canonicalPath(page)).toBe('/catalog');
  await page.goto(`/catalog/${product.sku}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(product.name);
  await expect(page).toHaveTitle(`${product.name} · ${SITE}`);
  expect(await canonicalPath(page)).toBe(`/catalog/${product.sku}`);
});

test('the home page links to itself as canonical', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(SITE);
  expect(await canonicalPath(page)).toBe('/');
});

test('a 404 has a title: in the HTML for an unknown address, in the tab for an unknown post', async ({ page, request }) => {
  // No route matches: Next renders not-found.tsx on the server, metadata and all.
  const unmatched = await request.get('/no-such-page');
  expect(unmatched.status()).toBe(404);
  expect(await unmatched.text()).toContain(`<title>Page not found · ${SITE}</title>`);
  // A route that matches but finds nothing calls notFound() while rendering: its generateMetadata says "not found" too.
  const response = await request.get('/posts/does-not-exist');
  expect(response.status()).toBe(404);
  await page.goto('/posts/does-not-exist');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle(`Page not found · ${SITE}`);
  await page.goto('/categories/no-such-category');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle(`Page not found · ${SITE}`);
});

test('every page has an icon, and it loads', async ({ page, request }) => {
  await page.goto('/');
  const icon = page.locator('link[rel="icon"]').first();
  await expect(icon).toHaveAttribute('href', /.+/);
  const response = await request.get((await icon.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^image\//);
});

test('/favicon.ico, which browsers ask for on their own, leads to the icon', async ({ request }) => {
  const response = await request.get('/favicon.ico');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^image\//);
});

test('robots.txt lets crawlers into the public pages only, and names the sitemap', async ({ request }) => {
  const response = await request.get('/robots.txt');
  expect(response.status()).toBe(200);
  const robots = await response.text();
  expect(robots).toMatch(/^User-Agent: \*$/m);
  expect(robots).toMatch(/^Allow: \/$/m);
  for (const path of ['/studio', '/sign-in', '/api']) expect(robots).toMatch(new RegExp(`^Disallow: ${path}$`, 'm'));
  expect(pathOf(robots.match(/^Sitemap: (\S+)$/m)?.[1] ?? null)).toBe('/sitemap.xml');
});

test('the sitemap lists the catalog and its products', async ({ request }) => {
  const products = await db()`select sku from products`;
  expect(products.length).toBeGreaterThan(0);
  const sitemap = await (await request.get('/sitemap.xml')).text();
  expect(sitemap).toMatch(/<loc>https?:\/\/[^<]+\/catalog<\/loc>/);
  for (const { sku } of products) expect(sitemap).toContain(`/catalog/${sku}</loc>`);
});

test('the feed is well-formed RSS naming authors in dc:creator, with an atom:link to itself', async ({ page, request }) => {
  const response = await request.get('/feed.xml');
  expect(response.status()).toBe(200);
  const xml = await response.text();
  const [newest] = await db()`select a.name from posts p join authors a on a.id = p.author_id
    where p.status = 'published' order by p.published_at desc, p.id desc limit 1`;
  await page.goto('/');
  // Parsed as a feed reader would: the browser's XML parser, namespaces and all.
  const feed = await page.evaluate(
    ({ text, DC, ATOM }) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const self = [...doc.getElementsByTagNameNS(ATOM, 'link')].find((l) => l.getAttribute('rel') === 'self');
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        items: doc.querySelectorAll('channel > item').length,
        firstCreator: doc.querySelector('channel > item')?.getElementsByTagNameNS(DC, 'creator')[0]?.textContent ?? null,
        creators: doc.getElementsByTagNameNS(DC, 'creator').length,
        authors: doc.getElementsByTagName('author').length,
        self: self ? { href: self.getAttribute('href'), type: self.getAttribute('type'), inChannel: self.parentElement?.tagName } : null,
      };
    },
    { text: xml, DC, ATOM },
  );
  expect(feed.error).toBe(false);
  expect(feed.items).toBeGreaterThan(0);
  expect(feed.creators).toBe(feed.items);
  expect(feed.firstCreator).toBe(newest.name);
  expect(feed.authors).toBe(0);
  expect(feed.self).toMatchObject({ type: 'application/rss+xml', inChannel: 'channel' });
  expect(pathOf(feed.self!.href)).toBe('/feed.xml');
});
