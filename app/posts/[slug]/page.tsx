import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CacheStamp } from '@/app/_components/cache-stamp';
import { FormattedDate } from '@/app/_components/formatted-date';
import { getPost, getPrerenderedPostSlugs } from '@/lib/blog';
import { slugParam } from '@/lib/route-params';
import { NOT_FOUND_METADATA, pageMetadata } from '@/lib/site';
import { atLeastOne, PLACEHOLDER_PARAM } from '@/lib/static-params';

// The newest posts are prerendered at build time; any other post renders on its first request, then is cached.
export async function generateStaticParams() {
  const slugs = await getPrerenderedPostSlugs();
  return atLeastOne(slugs.map((slug) => ({ slug })), { slug: PLACEHOLDER_PARAM });
}

export async function generateMetadata({ params }: PageProps<'/posts/[slug]'>): Promise<Metadata> {
  const { data: post } = await getPost(slugParam((await params).slug, 'post'));
  return post ? pageMetadata({ path: `/posts/${post.slug}`, title: post.title, description: post.excerpt }) : NOT_FOUND_METADATA;
}

export default async function PostPage({ params }: PageProps<'/posts/[slug]'>) {
  const slug = slugParam((await params).slug, 'post');
  const { data: post, stamp } = await getPost(slug);
  if (!post) notFound();
  return (
    <article className="mx-auto max-w-3xl">
      <header className="mb-8">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          <Link href={`/categories/${post.category.slug}`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            {post.category.name}
          </Link>{' '}
          · <FormattedDate date={post.publishedAt} />
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
        // Safe: getPost sanitises the rendered Markdown with an allowlist (lib/markdown.ts).
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
      <footer className="mt-10 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <CacheStamp stamp={stamp} />
      </footer>
    </article>
  );
}
