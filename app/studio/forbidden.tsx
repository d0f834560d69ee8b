import Link from 'next/link';

// Rendered inside the studio layout, with a 403 status, for forbidden() in studio pages: the post exists but
// this user may not change it. (Actions refuse it on their own: this page is only what the browser shows.)
export default function StudioForbidden() {
  return (
    <div className="max-w-xl" data-testid="studio-forbidden">
      <h1 className="text-2xl font-bold tracking-tight">Not your post</h1>
      <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        This post belongs to another author. Authors can only edit their own posts.
      </p>
      <Link href="/studio" className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline">Back to your posts</Link>
    </div>
  );
}
