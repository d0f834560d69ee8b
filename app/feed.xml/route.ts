import { getFeedPosts } from '@/lib/blog';
import { renderRss } from '@/lib/feed';
import { FEED_PATH, siteUrl } from '@/lib/site';

export async function GET() {
  const { data: posts, stamp } = await getFeedPosts();
  const site = siteUrl();
  return new Response(renderRss(site, posts, stamp.cachedAt, `${site}${FEED_PATH}`), {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8', 'x-cache-tags': stamp.tags.join(' ') },
  });
}
