// The studio's cached reads. Called only after the session was checked; the user's author id is passed in
// (a 'use cache' function cannot read cookies), and it is part of the cache key.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import { listStudioPosts } from '@/db/queries/studio';
import { tagged } from '@/lib/cache/tagged';
import { tags } from '@/lib/cache/tags';

/** `authorId` null: every post (editors). */
export async function getStudioPosts(authorId: number | null, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  const match = cursor ? /^(\d{1,15})-(\d{1,10})$/.exec(cursor) : null;
  const after = match ? { updatedAt: new Date(Number(match[1])), id: Number(match[2]) } : null;
  const page = await listStudioPosts(getDb(), authorId, after);
  return tagged(page, [authorId === null ? tags.studio : tags.studioAuthor(authorId)]);
}
