import 'server-only';
import { cacheLife } from 'next/cache';
import { headers } from 'next/headers';
import { getDb, rethrowUnavailable } from '@/db/client';
import { getStudioUser } from '@/db/queries/users';
import { getAuth } from '@/lib/auth';

export interface StudioUser {
  id: string;
  name: string;
  email: string;
  role: 'author' | 'editor';
  /** The author this user writes as; null if the account has no author profile. */
  authorId: number | null;
}

/** What pages need to know about the signed-in user: no email, nothing a page does not show or check. */
export type StudioViewer = Omit<StudioUser, 'email'>;

/** The user a request's session cookie belongs to (proxy.ts passes the request's headers; pages and actions use the functions below). */
export async function userFromHeaders(requestHeaders: Headers): Promise<StudioUser | null> {
  // better-auth wraps a database failure in its own error: keep "the database is not answering" recognisable.
  const session = await getAuth().api.getSession({ headers: requestHeaders }).catch(rethrowUnavailable);
  if (!session) return null;
  return getStudioUser(getDb(), session.user.id);
}

async function readUser(): Promise<StudioUser | null> {
  return userFromHeaders(await headers());
}

/**
 * The signed-in user, read from the session cookie and the database on every call. For Server Actions: call it
 * first in every action and never trust what the page rendered (a revoked session or a changed role counts now).
 */
export async function getCurrentUser(): Promise<StudioUser | null> {
  return readUser();
}

/**
 * The signed-in user, for rendering studio pages and the studio's navigation. A session read is request data
 * behind a database lookup: as Next's "Authentication with Cache Components" guide prescribes, it is a
 * `'use cache: private'` function, so the read is request-time (never in a server cache shared between users),
 * shared by every component of one render, and not reported as uncached data during prerendering or navigation.
 * Actions must use getCurrentUser() instead.
 */
export async function getViewer(): Promise<StudioViewer | null> {
  'use cache: private';
  // The browser may reuse a rendered studio page for this long on client navigations; every write re-checks.
  cacheLife({ stale: 300, revalidate: 900, expire: 3600 });
  const user = await readUser();
  if (!user) return null;
  return { id: user.id, name: user.name, role: user.role, authorId: user.authorId };
}

/**
 * Who made a change, as the revalidation log records it: role and account id, never the email address (the log
 * is public on /cache, which shows only the role).
 */
export function auditActor(user: Pick<StudioUser, 'role' | 'id'>): string {
  return `${user.role}:${user.id}`;
}

/** Editors edit any post; authors only their own. The one permission rule, used by pages and actions alike. */
export function canEditPost(user: Pick<StudioUser, 'role' | 'authorId'>, post: { authorId: number }): boolean {
  return user.role === 'editor' || (user.authorId !== null && post.authorId === user.authorId);
}
