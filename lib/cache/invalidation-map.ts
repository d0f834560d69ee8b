// Which tags each kind of change invalidates, and how. The one place that decides it: Server Actions and
// tests call these functions; nobody picks tags by hand at the call site.
//
// The rule, everywhere:
// - updateTag for what the person who made the change looks at next (the post's own page, old and new URL,
//   and the studio lists): they must see their change on the very first load (read-your-own-writes).
// - revalidateTag(…, 'max') for public lists (home, archive, feed, sitemap, category/author/topic lists):
//   a reader may get the old list once while the new one renders in the background. That keeps list pages
//   fast under load after every publish, and nobody is waiting for that exact list.
import { tags } from './tags';

/** What a post looked like before or after a change, as far as caching is concerned. */
export interface PostSnapshot {
  id: number;
  slug: string;
  status: 'draft' | 'published';
  authorId: number;
  categorySlug: string;
  topicSlugs: string[];
}

export interface TagPlan {
  /** updateTag: fresh on the author's next load. */
  update: string[];
  /** revalidateTag(tag, 'max'): stale-while-revalidate for readers. */
  max: string[];
}

const unique = (list: string[]) => [...new Set(list)];

/**
 * Tags for any change to one post: created (before = null), edited, renamed to a new slug, moved to another
 * category, re-tagged with topics, published, unpublished, or deleted (after = null).
 */
export function postChangeTags(before: PostSnapshot | null, after: PostSnapshot | null): TagPlan {
  const versions = [before, after].filter((p): p is PostSnapshot => p !== null);
  if (versions.length === 0) return { update: [], max: [] };
  const update = [
    // The post page, through the lookup by every URL it had: an old slug must 404 at once, a new one must resolve.
    ...versions.map((p) => tags.postSlug(p.slug)),
    tags.studio,
    ...versions.map((p) => tags.studioAuthor(p.authorId)),
  ];
  // Lists show published posts only: a change that is not public before nor after leaves them alone.
  const publicVersions = versions.filter((p) => p.status === 'published');
  const max = publicVersions.flatMap((p) => [
    // `post:<id>` is on every list page that shows the post (lib/blog.ts), so it goes with the lists: with
    // updateTag it would expire them all at once. The post's own page is refreshed by its slug tag above.
    tags.post(p.id),
    tags.posts,
    tags.postsInCategory(p.categorySlug),
    tags.postsByAuthor(p.authorId),
    ...p.topicSlugs.map(tags.postsWithTopic),
  ]);
  return { update: unique(update), max: unique(max) };
}

/**
 * An author's display name or bio changed. `author:<id>` is on their page, their posts and every list that
 * prints their name; a rename is usually a correction, so all of them must show it on their next load. The
 * bio is shown only on their page (also `author:<id>`); the studio lists and the `authors` list show the name.
 * Nothing changed: nothing to invalidate.
 */
export function authorChangeTags(authorId: number, changed: { name: boolean; bio: boolean }): TagPlan {
  if (changed.name) return { update: [tags.author(authorId), tags.studioAuthor(authorId), tags.studio], max: [tags.authors] };
  if (changed.bio) return { update: [tags.author(authorId)], max: [] };
  return { update: [], max: [] };
}
