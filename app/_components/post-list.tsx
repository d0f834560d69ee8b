import Link from 'next/link';
import type { PostPage } from '@/db/queries/blog';
import type { CacheStamp as Stamp } from '@/lib/cache/tagged';
import { CacheStamp } from './cache-stamp';
import { FormattedDate } from './formatted-date';

/** A page of post summaries with a link to the next (older) page. `olderHref` builds that page's URL. */
export function PostList({
  page,
  stamp,
  olderHref,
  emptyText = 'Nothing has been published here yet.',
}: {
  page: PostPage;
  stamp: Stamp;
  olderHref: (cursor: string) => string;
  emptyText?: string;
}) {
  return (
    <section>
      {page.posts.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-zinc-500 dark:border-zinc-700">
          {emptyText}
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="post-list">
          {page.posts.map((post) => (
            <li key={post.id} className="py-6">
              <article>
                <p className="text-sm text-zinc-500 dark:text-zinc-400">
                  <FormattedDate date={post.publishedAt} /> ·{' '}
                  <Link className="hover:underline" href={`/categories/${post.category.slug}`}>
                    {post.category.name}
                  </Link>
                </p>
                <h2 className="mt-1 text-xl font-semibold tracking-tight">
                  <Link className="hover:text-indigo-600 dark:hover:text-indigo-400" href={`/posts/${post.slug}`}>
                    {post.title}
                  </Link>
                </h2>
                <p className="mt-2 text-zinc-600 dark:text-zinc-300">{post.excerpt}</p>
                <p className="mt-2 text-sm">
                  by{' '}
                  <Link className="font-medium hover:underline" href={`/authors/${post.author.slug}`}>
                    {post.author.name}
                  </Link>
                </p>
              </article>
            </li>
          ))}
        </ul>
      )}
      <nav className="mt-6 flex items-center justify-between" aria-label="Pagination">
        {page.next ? (
          <Link
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href={olderHref(page.next)}
            rel="next"
          >
            Older posts →
          </Link>
        ) : (
          <span className="text-sm text-zinc-500">{page.posts.length > 0 ? 'You have reached the oldest post.' : ''}</span>
        )}
      </nav>
      <CacheStamp stamp={stamp} />
    </section>
  );
}
