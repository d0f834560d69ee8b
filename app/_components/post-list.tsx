import Link from 'next/link';
import type { PostPage, PostSummary } from '@/db/queries/blog';
import type { CacheStamp as Stamp } from '@/lib/cache/tagged';
import { CacheStamp } from './cache-stamp';
import { FormattedDate } from './formatted-date';

const pagerLink =
  'rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800';

/**
 * A page of post summaries, where it is in the list (the dates it spans) and links to the newer and older pages.
 * `pageHref` builds a page's URL from its cursor (null: the first page). On an author's page `showAuthor` is
 * off: every item would repeat the heading.
 */
export function PostList({
  page,
  stamp,
  pageHref,
  showAuthor = true,
  emptyText = 'Nothing has been published here yet.',
}: {
  page: PostPage;
  stamp: Stamp;
  pageHref: (cursor: string | null) => string;
  showAuthor?: boolean;
  emptyText?: string;
}) {
  const first = page.posts[0];
  const last = page.posts.at(-1);
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
              <PostSummaryItem post={post} showAuthor={showAuthor} />
            </li>
          ))}
        </ul>
      )}
      {/* Keyset pages have no number (that would need a count on every page); the dates they span say where you are. */}
      {page.newer && first && last && (
        <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400" data-testid="page-position">
          Posts published <FormattedDate date={last.publishedAt} /> to <FormattedDate date={first.publishedAt} />
        </p>
      )}
      <Pager page={page} pageHref={pageHref} />
      <CacheStamp stamp={stamp} />
    </section>
  );
}

function PostSummaryItem({ post, showAuthor }: { post: PostSummary; showAuthor: boolean }) {
  return (
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
      {showAuthor && (
        <p className="mt-2 text-sm">
          by{' '}
          <Link className="font-medium hover:underline" href={`/authors/${post.author.slug}`}>
            {post.author.name}
          </Link>
        </p>
      )}
    </article>
  );
}

/** Newer (and newest, when that is not the newer page itself) on the left, older on the right. */
function Pager({ page, pageHref }: { page: PostPage; pageHref: (cursor: string | null) => string }) {
  return (
    <nav className="mt-6 flex flex-wrap items-center justify-between gap-3" aria-label="Pagination">
      {page.newer ? (
        <span className="flex flex-wrap gap-3">
          <Link className={pagerLink} href={pageHref(page.newer.cursor)} rel="prev">
            ← Newer posts
          </Link>
          {page.newer.cursor !== null && (
            <Link className={pagerLink} href={pageHref(null)}>
              Newest
            </Link>
          )}
        </span>
      ) : (
        <span />
      )}
      {page.next ? (
        <Link className={pagerLink} href={pageHref(page.next)} rel="next">
          Older posts →
        </Link>
      ) : (
        <span className="text-sm text-zinc-500">{page.posts.length > 0 ? 'You have reached the oldest post.' : ''}</span>
      )}
    </nav>
  );
}
