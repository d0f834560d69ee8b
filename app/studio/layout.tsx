import Link from 'next/link';
import { signOut } from '@/lib/studio/auth-actions';
import { getViewer } from '@/lib/session';

export const metadata = { title: 'Studio', robots: { index: false } };
// The studio is per-user and request-time throughout. It renders completely on the server before anything is
// sent (no streamed <Suspense> parts), so every page and form works without JavaScript.
export const instant = false;

async function UserBar() {
  const user = await getViewer();
  if (!user) return null;
  return (
    <div className="flex items-center gap-3 text-sm">
      <span data-testid="signed-in-as">
        {user.name} <span className="text-zinc-500">({user.role})</span>
      </span>
      <form action={signOut}>
        <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Sign out
        </button>
      </form>
    </div>
  );
}

/** Editors see every post on /studio, authors their own: the first link says which. */
async function StudioNav() {
  const user = await getViewer();
  return (
    <nav className="flex flex-wrap gap-4 text-sm font-medium" aria-label="Studio">
      <Link href="/studio" className="hover:underline">{user?.role === 'editor' ? 'All posts' : 'Your posts'}</Link>
      <Link href="/studio/new" className="hover:underline">New post</Link>
      <Link href="/studio/profile" className="hover:underline">Profile</Link>
    </nav>
  );
}

export default function StudioLayout({ children }: { children: React.ReactNode }) {
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-center justify-between gap-4 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <StudioNav />
        <UserBar />
      </div>
      {children}
    </div>
  );
}
