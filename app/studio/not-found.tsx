import Link from 'next/link';

// Rendered inside the studio layout (its navigation stays), with a 404 status, for notFound() in studio pages.
export default function StudioNotFound() {
  return (
    <div className="max-w-xl" data-testid="studio-not-found">
      <h1 className="text-2xl font-bold tracking-tight">Post not found</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-300">
        There is no post at this address in the studio. It may have been deleted.
      </p>
      <Link href="/studio" className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline">Back to your posts</Link>
    </div>
  );
}
