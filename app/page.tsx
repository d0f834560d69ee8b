import { Orientation } from './_components/orientation';
import { PostList } from './_components/post-list';
import { getLatestPosts } from '@/lib/blog';
import { pageMetadata } from '@/lib/site';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

// The site's title and description (the layout's); only the canonical link is the page's own.
export const metadata = pageMetadata({ path: '/' });

export default async function HomePage() {
  const { data: page, stamp } = await getLatestPosts(null);
  return (
    <>
      <Orientation />
      <h1 className="text-3xl font-bold tracking-tight">Latest posts</h1>
      <PostList
        page={page!}
        stamp={stamp}
        pageHref={(cursor) => (cursor ? `/archive/${cursor}` : '/')}
        emptyText="No posts have been published yet. Seed the database with `npm run db:seed`."
      />
    </>
  );
}
