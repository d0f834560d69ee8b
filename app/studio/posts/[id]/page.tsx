import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { getNavigation } from '@/lib/blog';
import { takeFormResult } from '@/lib/form-result';
import type { PostFormState } from '@/lib/studio/actions';
import { postFormKey } from '@/lib/studio/form-keys';
import { fingerprint } from '@/lib/studio/conflict';
import { getPostToEdit } from '@/lib/studio/data';
import { canEditPost } from '@/lib/session';
import { PostForm } from '../../_components/post-form';
import { requireUser } from '../../_components/require-user';

// Blocking by design, like the studio layout: the whole page, the signed-in user included, is rendered before
// anything is sent, so its forms work without JavaScript. Navigations between studio pages are not instant.
// Each studio page names itself in the tab, so several open tabs can be told apart.
export const metadata = { title: 'Edit post · Studio' };

export const instant = false;

export default async function EditPostPage({ params, searchParams }: PageProps<'/studio/posts/[id]'>) {
  const { id } = await params;
  const user = await requireUser(`/studio/posts/${id}`);
  const post = await getPostToEdit(id);
  if (!post) notFound();
  if (!canEditPost(user, post)) forbidden();
  const { data: nav } = await getNavigation();
  const { created } = await searchParams;
  return (
    <>
      <div className="mb-6 flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold tracking-tight">Edit post</h1>
        <p className="text-sm text-zinc-500">
          {post.status === 'published' ? (
            <>Published · <Link className="underline" href={`/posts/${post.slug}`}>view it</Link></>
          ) : 'Draft, not public'}
          {' · '}by {post.authorName} · version {post.version}
        </p>
      </div>
      <PostForm
        initial={{
          id: post.id,
          version: post.version,
          base: fingerprint(post),
          status: post.status,
          title: post.title,
          slug: post.slug,
          excerpt: post.excerpt,
          body: post.body,
          categoryId: String(post.categoryId),
          topicIds: post.topicIds.map(String),
        }}
        categories={nav.categories}
        topics={nav.topics}
        notice={created ? (post.status === 'published' ? 'Post created and published.' : 'Draft created.') : undefined}
        result={await takeFormResult<PostFormState>(postFormKey(id))}
      />
    </>
  );
}
