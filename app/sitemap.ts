import type { MetadataRoute } from 'next';
import { getSitemapEntries } from '@/lib/blog';
import { siteUrl } from '@/lib/site';
import { escapeXml } from '@/lib/xml';

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const site = siteUrl();
  // Next.js writes each url into <loc> as is, unescaped: an `&` in SITE_URL or a stray character in a slug
  // would make the whole sitemap malformed XML.
  const url = (path: string, slug = '') => escapeXml(`${site}${path}${encodeURIComponent(slug)}`);
  const { data } = await getSitemapEntries();
  return [
    { url: url('/'), changeFrequency: 'hourly' },
    ...data.categories.map((c) => ({ url: url('/categories/', c.slug) })),
    ...data.authors.map((a) => ({ url: url('/authors/', a.slug) })),
    ...data.topics.map((t) => ({ url: url('/topics/', t.slug) })),
    ...data.posts.map((p) => ({ url: url('/posts/', p.slug), lastModified: p.updatedAt })),
  ];
}
