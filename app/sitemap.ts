import type { MetadataRoute } from 'next';
import { getSitemapEntries } from '@/lib/blog';
import { getProducts } from '@/lib/catalog';
import { siteUrl } from '@/lib/site';
import { escapeXml } from '@/lib/xml';

const MAX_URLS = 50_000;

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const site = siteUrl();
  // Next.js writes each url into <loc> as is, unescaped: an `&` in SITE_URL or a stray character in a slug
  // would make the whole sitemap malformed XML.
  const url = (path: string, slug = '') => escapeXml(`${site}${path}${encodeURIComponent(slug)}`);
  // The catalog page's own cached read: its tags (products, product:<sku>) refresh the sitemap on a catalog change.
  const [{ data }, { data: products }] = await Promise.all([getSitemapEntries(), getProducts()]);
  const entries: MetadataRoute.Sitemap = [
    { url: url('/'), changeFrequency: 'hourly' },
    ...data.categories.map((c) => ({ url: url('/categories/', c.slug) })),
    ...data.authors.map((a) => ({ url: url('/authors/', a.slug) })),
    ...data.topics.map((t) => ({ url: url('/topics/', t.slug) })),
    { url: url('/catalog') },
    ...products.map((p) => ({ url: url('/catalog/', p.sku), lastModified: p.updatedAt })),
    ...data.posts.map((p) => ({ url: url('/posts/', p.slug), lastModified: p.updatedAt })),
  ];
  // A sitemap holds at most 50,000 URLs: the oldest posts, last in the list, are the ones left out.
  return entries.slice(0, MAX_URLS);
}
