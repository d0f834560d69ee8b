import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { SubmitButton } from '@/app/_components/submit-button';
import { deletePost } from '@/lib/studio/actions';
import { getPostToEdit } from '@/lib/studio/data';
import { canEditPost } from '@/lib/session';
import { requireUser } from '../../../_components/require-user';

// Blocking by design, like the studio layout: the whole page, the signed-in user included, is rendered before
// anything is sent, so its forms work without JavaScript. Navigations between studio pages are not instant.
// Each studio page names itself in the tab, so several open tabs can be told apart.
export const metadata = { title: 'Delete post · Studio' };

export const instant = false;

export default async function DeletePostPage({ params }: PageProps<'/studio/posts/[id]/delete'>) {
  const { id } = await params;
  const user = await requireUser(`/studio/posts/${id}/delete`);
  const post = await getPostToEdit(id);
  if (!post) notFound();
  if (!canEditPost(user, post)) forbidden();
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-bold tracking-tight">Delete “{post.title}”?</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-300">
        {post.status === 'published' ? 'It is published: its page will show “not found” from now on. ' : ''}
        This cannot be undone.
      </p>
      <form action={deletePost} className="mt-6 flex gap-3">
        <input type="hidden" name="id" value={post.id} />
        <input type="hidden" name="version" value={post.version} />
        <SubmitButton pendingText="Deleting…" className="bg-red-600 text-white hover:bg-red-500">Delete permanently</SubmitButton>
        <Link href={`/studio/posts/${post.id}`} className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Keep it
        </Link>
      </form>
    </div>
  );
}
