import type { PostSummary } from '@/db/queries/blog';
import { escapeXml } from './xml';

/**
 * RSS 2.0 for the newest posts. `selfUrl` is the feed's own absolute URL (atom:link rel="self", which validators
 * ask for). The author goes in dc:creator: RSS's own <author> must be an e-mail address, and we publish names only.
 */
export function renderRss(site: string, posts: PostSummary[], builtAt: string, selfUrl: string): string {
  const items = posts
    .map(
      (p) => `    <item>
      <title>${escapeXml(p.title)}</title>
      <link>${escapeXml(`${site}/posts/${encodeURIComponent(p.slug)}`)}</link>
      <guid isPermaLink="false">post-${p.id}</guid>
      <pubDate>${p.publishedAt.toUTCString()}</pubDate>
      <dc:creator>${escapeXml(p.author.name)}</dc:creator>
      <category>${escapeXml(p.category.name)}</category>
      <description>${escapeXml(p.excerpt)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Tagged Cache Blog</title>
    <link>${escapeXml(`${site}/`)}</link>
    <atom:link href="${escapeXml(selfUrl)}" rel="self" type="application/rss+xml"/>
    <description>Latest posts</description>
    <lastBuildDate>${new Date(builtAt).toUTCString()}</lastBuildDate>
${items}
  </channel>
</rss>
`;
}
