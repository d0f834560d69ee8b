import Link from 'next/link';
import { FormattedDate } from '@/app/_components/formatted-date';
import type { PostView } from '@/lib/post-preview';

/** A post as readers see it: from the cache, or (the same markup) from a preview. */
export function PostArticle({ post, footer }: { post: PostView; footer: React.ReactNode }) {
  return (
    <article className="mx-auto max-w-3xl">
      <header className="mb-8">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          <Link href={`/categories/${post.category.slug}`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            {post.category.name}
          </Link>{' '}
          · {post.publishedAt ? <FormattedDate date={post.publishedAt} /> : 'not published yet'}
        </p>
        <h1 className="mt-2 text-4xl font-bold tracking-tight">{post.title}</h1>
        <p className="mt-3 text-lg text-zinc-600 dark:text-zinc-300">{post.excerpt}</p>
        <p className="mt-4 text-sm">
          by{' '}
          <Link href={`/authors/${post.author.slug}`} className="font-medium hover:underline">
            {post.author.name}
          </Link>
        </p>
      </header>
      <div
        className="prose prose-zinc max-w-none dark:prose-invert prose-a:text-indigo-600 dark:prose-a:text-indigo-400"
        data-testid="post-body"
        // Safe: the HTML comes from renderMarkdown (lib/markdown.ts), which sanitises with an allowlist.
        dangerouslySetInnerHTML={{ __html: post.html }}
      />
      {post.topics.length > 0 && (
        <ul className="mt-8 flex flex-wrap gap-2" aria-label="Topics">
          {post.topics.map((t) => (
            <li key={t.id}>
              <Link href={`/topics/${t.slug}`} className="rounded-full bg-zinc-100 px-3 py-1 text-sm hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700">
                #{t.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <footer className="mt-10 border-t border-zinc-200 pt-4 dark:border-zinc-800">{footer}</footer>
    </article>
  );
}
