import Link from 'next/link';
import { CacheStamp } from '@/app/_components/cache-stamp';
import type { StudioPost } from '@/db/queries/studio';
import { setPostStatus } from '@/lib/studio/actions';
import { getPostToEdit, getStudioPosts } from '@/lib/studio/data';
import { studioMessage } from '@/lib/studio/notices';
import { canEditPost } from '@/lib/session';
import { requireUser } from './_components/require-user';

// Blocking by design, like the studio layout: the whole page, the signed-in user included, is rendered before
// anything is sent, so its forms work without JavaScript. Navigations between studio pages are not instant.
// Each studio page names itself in the tab, so several open tabs can be told apart.
export const metadata = { title: 'Posts · Studio' };

export const instant = false;

const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export default async function StudioPage({ searchParams }: PageProps<'/studio'>) {
  const user = await requireUser('/studio');
  const { notice, error, post: postParam, after } = await searchParams;
  if (user.role !== 'editor' && user.authorId === null) {
    return <p className="text-zinc-600 dark:text-zinc-300">Your account has no author profile yet. Ask an editor to link one.</p>;
  }
  const scope = user.role === 'editor' ? null : user.authorId;
  // Codes from the URL become fixed texts (lib/studio/notices.ts); the title only of a post this user may edit.
  const about = typeof postParam === 'string' ? await getPostToEdit(postParam) : null;
  const message = studioMessage({ notice, error }, about && canEditPost(user, about) ? about.title : undefined);
  const { data: page, stamp } = await getStudioPosts(scope, typeof after === 'string' ? after : null);
  return (
    <>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`mb-4 rounded-md p-3 text-sm ${message.kind === 'error' ? 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200' : 'bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200'}`}>
          {message.text}
        </p>
      )}
      <h1 className="text-2xl font-bold tracking-tight">{user.role === 'editor' ? 'All posts' : 'Your posts'}</h1>
      {page.posts.length === 0 ? (
        <p className="mt-6 text-zinc-600 dark:text-zinc-300">
          No posts yet. <Link className="font-medium text-indigo-600 hover:underline" href="/studio/new">Write the first one</Link>.
        </p>
      ) : (
        <PostsTable posts={page.posts} showAuthor={user.role === 'editor'} />
      )}
      {page.next && (
        <Link className="mt-4 inline-block text-sm font-medium hover:underline" href={`/studio?after=${page.next}`}>Older posts →</Link>
      )}
      <CacheStamp stamp={stamp} />
    </>
  );
}

/** On a phone the rows stack as cards (no header row, labels inline), so nothing is wider than the screen. */
function PostsTable({ posts, showAuthor }: { posts: StudioPost[]; showAuthor: boolean }) {
  return (
    <table className="mt-4 block w-full text-left text-sm sm:table" data-testid="studio-posts">
      <thead className="hidden border-b border-zinc-200 text-zinc-500 sm:table-header-group dark:border-zinc-800">
        <tr>
          <th className="py-2 font-medium">Title</th>
          {showAuthor && <th className="py-2 font-medium">Author</th>}
          <th className="py-2 font-medium">Status</th>
          <th className="py-2 font-medium">Last update (UTC)</th>
          <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody className="block divide-y divide-zinc-100 sm:table-row-group dark:divide-zinc-800">
        {posts.map((post) => <PostRow key={post.id} post={post} showAuthor={showAuthor} />)}
      </tbody>
    </table>
  );
}

function PostRow({ post, showAuthor }: { post: StudioPost; showAuthor: boolean }) {
  return (
    <tr className="block py-3 sm:table-row sm:py-0">
      <td className="block sm:table-cell sm:py-2 sm:pr-4">
        <Link className="font-medium break-words hover:underline" href={`/studio/posts/${post.id}`}>{post.title}</Link>
      </td>
      {showAuthor && (
        <td className="block text-zinc-600 sm:table-cell sm:py-2 sm:pr-4 sm:whitespace-nowrap sm:text-inherit dark:text-zinc-300">
          <span className="sm:hidden">by </span>
          {post.authorName}
        </td>
      )}
      <td className="inline-block pt-1 pr-3 sm:table-cell sm:py-2 sm:pr-4">
        <span className={`rounded-full px-2 py-0.5 text-xs ${post.status === 'published' ? 'bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100' : 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200'}`}>
          {post.status === 'published' ? 'Published' : 'Draft'}
        </span>
      </td>
      <td className="inline-block pt-1 whitespace-nowrap text-zinc-600 sm:table-cell sm:py-2 sm:pr-4 sm:text-inherit dark:text-zinc-300">
        <span className="sm:hidden">updated </span>
        {timeFormat.format(post.updatedAt)}
      </td>
      <td className="block pt-2 sm:table-cell sm:py-2 sm:pl-2">
        <div className="flex flex-wrap gap-2 sm:flex-nowrap sm:justify-end">
          <Link className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" href={`/studio/posts/${post.id}`}>Edit</Link>
          {post.status === 'published' && (
            <Link className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800" href={`/posts/${post.slug}`}>View</Link>
          )}
          {/* A plain form: publishing and unpublishing work without JavaScript. */}
          <form action={setPostStatus}>
            <input type="hidden" name="id" value={post.id} />
            <input type="hidden" name="version" value={post.version} />
            <input type="hidden" name="status" value={post.status === 'published' ? 'draft' : 'published'} />
            <button type="submit" className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
              {post.status === 'published' ? 'Unpublish' : 'Publish'}
            </button>
          </form>
          <Link className="rounded border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950" href={`/studio/posts/${post.id}/delete`}>
            Delete
          </Link>
        </div>
      </td>
    </tr>
  );
}
