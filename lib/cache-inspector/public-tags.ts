import 'server-only';
import { getDb } from '@/db/client';
import { publishedSlugsAmong } from '@/db/queries/blog';
import { HIDDEN_POST_PATH, HIDDEN_SLUG_TAG } from '../cache/log-labels';
import { tags } from '../cache/tags';

// A draft's URL is not public, but it reaches the tag store and the revalidation log: saving a draft invalidates
// `post-slug:<its slug>` (so a 404 cached for that URL is dropped once it is published). /cache is a public page,
// so it names a post-slug tag only when the post is published; other slugs are shown as HIDDEN_SLUG_TAG. The same
// goes for a post's path a webhook named for revalidatePath (`/posts/<slug>`, shown as HIDDEN_POST_PATH).

const SLUG_TAG_PREFIX = tags.postSlug('x').slice(0, -1);
const POST_PATH_PREFIX = '/posts/';

/** A function that maps each tag or path to what /cache may show of it: itself, or the placeholder for a hidden slug. */
export async function publicTagNames(shown: Iterable<string>): Promise<(tag: string) => string> {
  const slugOf = (tag: string) =>
    tag.startsWith(SLUG_TAG_PREFIX) ? tag.slice(SLUG_TAG_PREFIX.length) : tag.startsWith(POST_PATH_PREFIX) ? tag.slice(POST_PATH_PREFIX.length) : null;
  const slugs = new Set<string>();
  for (const tag of shown) {
    const slug = slugOf(tag);
    if (slug !== null) slugs.add(slug);
  }
  const published = await publishedSlugsAmong(getDb(), [...slugs]);
  return (tag) => {
    const slug = slugOf(tag);
    if (slug === null || published.has(slug)) return tag;
    return tag.startsWith(SLUG_TAG_PREFIX) ? HIDDEN_SLUG_TAG : HIDDEN_POST_PATH;
  };
}
