import { getFeedPosts } from '@/lib/blog';
import { renderRss } from '@/lib/feed';
import { siteUrl } from '@/lib/site';

export async function GET() {
  const { data: posts, stamp } = await getFeedPosts();
  return new Response(renderRss(siteUrl(), posts, stamp.cachedAt), {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8', 'x-cache-tags': stamp.tags.join(' ') },
  });
}
