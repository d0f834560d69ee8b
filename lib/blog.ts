// Every public read of the blog, each a 'use cache' function tagged as lib/cache/blog-tags.ts lists.
// Pages call these and nothing else, so what a page shows is exactly what these tags cover.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import * as q from '@/db/queries/blog';
import { blogTags } from './cache/blog-tags';
import { tagged } from './cache/tagged';
import { renderMarkdown } from './markdown';

/** The feed's length: its entry carries three tags per post at most, well within MAX_TAGS_PER_ENTRY. */
const FEED_SIZE = 30;

export async function getLatestPosts(cursor: string | null) {
  'use cache';
  cacheLife('lists');
  const after = cursor === null ? null : q.decodeCursor(cursor);
  const page = cursor !== null && !after ? null : await q.listPublishedPosts(getDb(), { after });
  return tagged(page, blogTags.latestPosts(page?.posts ?? null));
}

export async function getPost(slug: string) {
  'use cache';
  cacheLife('posts');
  const post = await q.getPublishedPostBySlug(getDb(), slug);
  // A miss is cached too (blogTags.post says under which tags).
  if (!post) return tagged(null, blogTags.post(slug, null));
  // Rendered and sanitised once per cache entry, not on every request.
  return tagged({ ...post, html: renderMarkdown(post.body) }, blogTags.post(slug, post));
}

/**
 * One category's, author's or topic's page of posts. An unknown entity or a forged cursor is null, tagged so
 * that creating the entity later refreshes the cached 404.
 */
async function entityPosts<E extends { id: number }>(
  cursor: string | null,
  find: () => Promise<E | null>,
  describe: (entity: E) => { title: string; description: string; filter: q.PostFilter },
  tagsFor: (found: { id: number; posts: q.PostSummary[] } | null) => string[],
) {
  const after = cursor === null ? null : q.decodeCursor(cursor);
  const entity = cursor !== null && !after ? null : await find();
  if (!entity) return tagged(null, tagsFor(null));
  const { title, description, filter } = describe(entity);
  const page = await q.listPublishedPosts(getDb(), { filter, after });
  return tagged({ title, description, page }, tagsFor({ id: entity.id, posts: page.posts }));
}

export async function getCategoryPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getCategoryBySlug(getDb(), slug),
    (c) => ({ title: c.name, description: c.description, filter: { categoryId: c.id } }),
    (found) => blogTags.categoryPosts(slug, found),
  );
}

export async function getAuthorPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getAuthorBySlug(getDb(), slug),
    (a) => ({ title: a.name, description: a.bio, filter: { authorId: a.id } }),
    blogTags.authorPosts,
  );
}

export async function getTopicPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getTopicBySlug(getDb(), slug),
    (t) => ({ title: `#${t.name}`, description: '', filter: { topicId: t.id } }),
    (found) => blogTags.topicPosts(slug, found),
  );
}

export async function getNavigation() {
  'use cache';
  cacheLife('navigation');
  const db = getDb();
  const [categories, authors, topics] = await Promise.all([q.listCategories(db), q.listAuthors(db), q.listTopics(db)]);
  return tagged({ categories, authors, topics }, blogTags.navigation(categories));
}

export async function getFeedPosts() {
  'use cache';
  cacheLife('lists');
  const page = await q.listPublishedPosts(getDb(), { limit: FEED_SIZE });
  return tagged(page.posts, blogTags.feed(page.posts));
}

export async function getSitemapEntries() {
  'use cache';
  cacheLife('lists');
  const db = getDb();
  const [postRows, categories, authors, topics] = await Promise.all([
    q.listSitemapPosts(db),
    q.listCategories(db),
    q.listAuthors(db),
    q.listTopics(db),
  ]);
  return tagged({ posts: postRows, categories, authors, topics }, blogTags.sitemap());
}

/** Slugs to prerender at build time. Not cached: it runs once per build. */
export async function getPrerenderedPostSlugs(limit = 20): Promise<string[]> {
  return q.listRecentPostSlugs(getDb(), limit);
}
