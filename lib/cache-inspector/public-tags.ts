import 'server-only';
import { getDb } from '@/db/client';
import { publishedSlugsAmong } from '@/db/queries/blog';
import { HIDDEN_SLUG_TAG } from '../cache/log-labels';
import { tags } from '../cache/tags';

// A draft's URL is not public, but it reaches the tag store and the revalidation log: saving a draft invalidates
// `post-slug:<its slug>` (so a 404 cached for that URL is dropped once it is published). /cache is a public page,
// so it names a post-slug tag only when the post is published; other slugs are shown as HIDDEN_SLUG_TAG.

const SLUG_TAG_PREFIX = tags.postSlug('x').slice(0, -1);

/** A function that maps each tag to what /cache may show of it: itself, or the placeholder for a hidden slug. */
export async function publicTagNames(shown: Iterable<string>): Promise<(tag: string) => string> {
  const slugs = new Set<string>();
  for (const tag of shown) if (tag.startsWith(SLUG_TAG_PREFIX)) slugs.add(tag.slice(SLUG_TAG_PREFIX.length));
  const published = await publishedSlugsAmong(getDb(), [...slugs]);
  return (tag) => (tag.startsWith(SLUG_TAG_PREFIX) && !published.has(tag.slice(SLUG_TAG_PREFIX.length)) ? HIDDEN_SLUG_TAG : tag);
}
