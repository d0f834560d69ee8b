import { notFound } from 'next/navigation';
import { PostList } from '@/app/_components/post-list';
import { getLatestPosts } from '@/lib/blog';
import { cursorParam } from '@/lib/route-params';
import { PLACEHOLDER_PARAM } from '@/lib/static-params';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

export const metadata = { title: 'Older posts' };

// Archive pages render on first request and are then cached; the placeholder satisfies the build.
export function generateStaticParams() {
  return [{ cursor: PLACEHOLDER_PARAM }];
}

export default async function ArchivePage({ params }: PageProps<'/archive/[cursor]'>) {
  const cursor = cursorParam((await params).cursor);
  const { data: page, stamp } = await getLatestPosts(cursor);
  if (!page || page.posts.length === 0) notFound();
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Older posts</h1>
      <PostList page={page} stamp={stamp} pageHref={(c) => (c ? `/archive/${c}` : '/')} />
    </>
  );
}
