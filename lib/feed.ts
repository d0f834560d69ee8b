import type { PostSummary } from '@/db/queries/blog';
import { escapeXml } from './xml';

/** RSS 2.0 for the newest posts. */
export function renderRss(site: string, posts: PostSummary[], builtAt: string): string {
  const items = posts
    .map(
      (p) => `    <item>
      <title>${escapeXml(p.title)}</title>
      <link>${escapeXml(`${site}/posts/${encodeURIComponent(p.slug)}`)}</link>
      <guid isPermaLink="false">post-${p.id}</guid>
      <pubDate>${p.publishedAt.toUTCString()}</pubDate>
      <author>${escapeXml(p.author.name)}</author>
      <category>${escapeXml(p.category.name)}</category>
      <description>${escapeXml(p.excerpt)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Tagged Cache Blog</title>
    <link>${escapeXml(`${site}/`)}</link>
    <description>Latest posts</description>
    <lastBuildDate>${new Date(builtAt).toUTCString()}</lastBuildDate>
${items}
  </channel>
</rss>
`;
}
