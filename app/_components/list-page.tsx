import { notFound } from 'next/navigation';
import type { PostPage } from '@/db/queries/blog';
import type { Cached } from '@/lib/cache/tagged';
import { cursorFromSegments } from '@/lib/list-route';
import { cursorParam, slugParam } from '@/lib/route-params';
import { PostList } from './post-list';

const slugKinds = { Category: 'category', Author: 'author', Topic: 'topic' } as const;

type ListLoader = (
  slug: string,
  cursor: string | null,
) => Promise<Cached<{ title: string; description: string; page: PostPage } | null>>;

/** The category, author and topic pages: a heading and one page of that entity's published posts. */
export async function ListPage({
  kind,
  basePath,
  params,
  load,
}: {
  kind: keyof typeof slugKinds;
  basePath: string;
  params: Promise<{ slug: string; cursor?: string[] }>;
  load: ListLoader;
}) {
  const { slug: rawSlug, cursor: segments } = await params;
  const slug = slugParam(rawSlug, slugKinds[kind]);
  const rawCursor = cursorFromSegments(segments);
  if (rawCursor === undefined) notFound();
  const cursor = rawCursor === null ? null : cursorParam(rawCursor);
  const { data, stamp } = await load(slug, cursor);
  // An older page that has become empty (posts unpublished since) is gone, not an empty list.
  if (!data || (cursor && data.page.posts.length === 0)) notFound();
  return (
    <>
      <header className="mb-4">
        <p className="text-sm uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{kind}</p>
        <h1 className="text-3xl font-bold tracking-tight">{data.title}</h1>
        {data.description ? <p className="mt-2 max-w-2xl text-zinc-600 dark:text-zinc-300">{data.description}</p> : null}
      </header>
      <PostList
        page={data.page}
        stamp={stamp}
        pageHref={(c) => `${basePath}/${slug}${c ? `/${c}` : ''}`}
        showAuthor={kind !== 'Author'}
      />
    </>
  );
}
