import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CacheStamp } from '@/app/_components/cache-stamp';
import { getPost, getPrerenderedPostSlugs } from '@/lib/blog';
import { slugParam } from '@/lib/route-params';
import { NOT_FOUND_METADATA, pageMetadata } from '@/lib/site';
import { atLeastOne, PLACEHOLDER_PARAM } from '@/lib/static-params';
import { getPostPreview } from '@/lib/post-preview';
import { PostArticle } from './post-article';
import { PreviewBar } from './preview-bar';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

// The newest posts are prerendered at build time; any other post renders on its first request, then is cached.
export async function generateStaticParams() {
  const slugs = await getPrerenderedPostSlugs();
  return atLeastOne(slugs.map((slug) => ({ slug })), { slug: PLACEHOLDER_PARAM });
}

export async function generateMetadata({ params }: PageProps<'/posts/[slug]'>): Promise<Metadata> {
  const slug = slugParam((await params).slug, 'post');
  const preview = await getPostPreview(slug);
  if (preview?.kind === 'preview') {
    return { ...pageMetadata({ path: `/posts/${slug}`, title: `Preview: ${preview.post.title}` }), robots: { index: false } };
  }
  const { data: post } = await getPost(slug);
  return post ? pageMetadata({ path: `/posts/${post.slug}`, title: post.title, description: post.excerpt }) : NOT_FOUND_METADATA;
}

// Draft Mode is read at the top, not in a <Suspense> slot: while prerendering (and for every reader, who gets
// that prerendered page) it is off and reading it is not request data, so the page stays static; a Draft Mode
// request skips the page cache and renders the whole page for that request, so a refused preview of a draft is
// still a real 404.
export default async function PostPage({ params }: PageProps<'/posts/[slug]'>) {
  const slug = slugParam((await params).slug, 'post');
  const preview = await getPostPreview(slug);
  if (preview?.kind === 'preview') {
    return (
      <>
        <PreviewBar slug={slug} postId={preview.postId} status={preview.status} expiresAt={preview.expiresAt} />
        <PostArticle post={preview.post} footer={<p className="text-xs text-zinc-500" data-testid="preview-render">Not cached: rendered for your preview only.</p>} />
      </>
    );
  }
  const { data: post, stamp } = await getPost(slug);
  if (!post) notFound();
  return (
    <>
      {/* Draft Mode on but nothing to preview here: the reader's page (fresh: Draft Mode skips the cache), and a way out. */}
      {preview ? <PreviewBar slug={slug} /> : null}
      <PostArticle post={post} footer={preview ? null : <CacheStamp stamp={stamp} />} />
    </>
  );
}
