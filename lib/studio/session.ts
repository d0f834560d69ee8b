import 'server-only';
import { headers } from 'next/headers';
import { getDb } from '@/db/client';
import { getStudioUser } from '@/db/queries/studio';
import { getAuth } from '@/lib/auth';

export interface StudioUser {
  id: string;
  name: string;
  email: string;
  role: 'author' | 'editor';
  /** The author this user writes as; null if the account has no author profile. */
  authorId: number | null;
}

/**
 * The signed-in user, read from the session cookie on every call. A request-time read: call it inside
 * <Suspense> in pages, and at the start of every Server Action (never trust what the page rendered).
 */
export async function getCurrentUser(): Promise<StudioUser | null> {
  const requestHeaders = await headers();
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  return getStudioUser(getDb(), session.user.id);
}

/** Editors edit any post; authors only their own. The one permission rule, used by pages and actions alike. */
export function canEditPost(user: StudioUser, post: { authorId: number }): boolean {
  return user.role === 'editor' || (user.authorId !== null && post.authorId === user.authorId);
}
