// The studio's reads, called only after the session was checked. The post list is cached (the user's author id
// is passed in, since a 'use cache' function cannot read cookies, and is part of the cache key); what a form
// edits is read fresh, because a save is compared against exactly that.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import { decodeCursor } from '@/db/queries/blog';
import { getAuthorProfile, getEditablePost, listStudioPosts } from '@/db/queries/studio';
import { tagged } from '@/lib/cache/tagged';
import { tags } from '@/lib/cache/tags';

/** `authorId` null: every post (editors). */
export async function getStudioPosts(authorId: number | null, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  const page = await listStudioPosts(getDb(), authorId, cursor ? decodeCursor(cursor) : null);
  // Each post's tag too (the list shows its title), and `content`, which the seed sends: 50 rows fit in one entry.
  return tagged(page, [tags.content, authorId === null ? tags.studio : tags.studioAuthor(authorId), ...page.posts.map((p) => tags.post(p.id))]);
}

/** The post to edit, uncached; null for an unknown or malformed id. */
export async function getPostToEdit(id: string) {
  return /^\d{1,9}$/.test(id) ? getEditablePost(getDb(), Number(id)) : null;
}

export async function getOwnProfile(authorId: number) {
  return getAuthorProfile(getDb(), authorId);
}
