import type { MetadataRoute } from 'next';
import { getSitemapEntries } from '@/lib/blog';
import { siteUrl } from '@/lib/site';

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const site = siteUrl();
  const { data } = await getSitemapEntries();
  return [
    { url: `${site}/`, changeFrequency: 'hourly' },
    ...data.categories.map((c) => ({ url: `${site}/categories/${c.slug}` })),
    ...data.authors.map((a) => ({ url: `${site}/authors/${a.slug}` })),
    ...data.topics.map((t) => ({ url: `${site}/topics/${t.slug}` })),
    ...data.posts.map((p) => ({ url: `${site}/posts/${encodeURIComponent(p.slug)}`, lastModified: p.updatedAt })),
  ];
}
