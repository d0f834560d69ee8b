// Every public read of the blog, each a 'use cache' function tagged from the vocabulary in lib/cache/tags.ts.
// Pages call these and nothing else, so what a page shows is exactly what these tags cover.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import * as q from '@/db/queries/blog';
import { tagged } from './cache/tagged';
import { renderMarkdown } from './markdown';
import { postListTags, tags } from './cache/tags';

/**
 * The entity tags of every row a list shows (each post, its author, its category), so that `post:<id>`,
 * `author:<id>` or `category:<slug>` alone refreshes every list showing that row, as the vocabulary promises.
 * `content` is on every entry built from the database (the seed sends it).
 */
const rowTags = (page: q.PostPage) => [tags.content, ...postListTags(page.posts)];

/** The feed's length: its entry carries three tags per post at most, well within MAX_TAGS_PER_ENTRY. */
const FEED_SIZE = 30;

export async function getLatestPosts(cursor: string | null) {
  'use cache';
  cacheLife('lists');
  const after = cursor === null ? null : q.decodeCursor(cursor);
  const page = cursor !== null && !after ? null : await q.listPublishedPosts(getDb(), { after });
  return tagged(page, [tags.posts, ...(page ? rowTags(page) : [tags.content])]);
}

export async function getPost(slug: string) {
  'use cache';
  cacheLife('posts');
  const post = await q.getPublishedPostBySlug(getDb(), slug);
  // A miss is cached too, under the slug's tag, so publishing a post at this URL refreshes the 404.
  if (!post) return tagged(null, [tags.content, tags.postSlug(slug)]);
  // Rendered and sanitised once per cache entry, not on every request.
  return tagged({ ...post, html: renderMarkdown(post.body) }, [
    tags.content,
    tags.postSlug(slug),
    tags.post(post.id),
    tags.author(post.author.id),
    tags.category(post.category.slug),
    ...post.topics.map((t) => tags.topic(t.slug)),
  ]);
}

/**
 * One category's, author's or topic's page of posts. An unknown entity or a forged cursor is null, tagged so
 * that creating the entity later refreshes the cached 404.
 */
async function entityPosts<E>(
  cursor: string | null,
  find: () => Promise<E | null>,
  describe: (entity: E) => { title: string; description: string; filter: q.PostFilter; tags: string[] },
  missingTags: string[],
) {
  const after = cursor === null ? null : q.decodeCursor(cursor);
  const entity = cursor !== null && !after ? null : await find();
  if (!entity) return tagged(null, [tags.content, ...missingTags]);
  const { title, description, filter, tags: entityTags } = describe(entity);
  const page = await q.listPublishedPosts(getDb(), { filter, after });
  return tagged({ title, description, page }, [...entityTags, ...rowTags(page)]);
}

export async function getCategoryPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getCategoryBySlug(getDb(), slug),
    (c) => ({ title: c.name, description: c.description, filter: { categoryId: c.id }, tags: [tags.category(slug), tags.postsInCategory(slug)] }),
    [tags.category(slug), tags.categories],
  );
}

export async function getAuthorPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getAuthorBySlug(getDb(), slug),
    (a) => ({ title: a.name, description: a.bio, filter: { authorId: a.id }, tags: [tags.author(a.id), tags.postsByAuthor(a.id)] }),
    [tags.authors],
  );
}

export async function getTopicPosts(slug: string, cursor: string | null) {
  'use cache';
  cacheLife('lists');
  return entityPosts(
    cursor,
    () => q.getTopicBySlug(getDb(), slug),
    (t) => ({ title: `#${t.name}`, description: '', filter: { topicId: t.id }, tags: [tags.topic(slug), tags.postsWithTopic(slug)] }),
    [tags.topic(slug), tags.topics],
  );
}

export async function getNavigation() {
  'use cache';
  cacheLife('navigation');
  const db = getDb();
  const [categories, authors, topics] = await Promise.all([q.listCategories(db), q.listAuthors(db), q.listTopics(db)]);
  // The header prints every category's name, so each category's own tag is here too (room for about 120
  // categories; validateTags refuses more rather than let Next.js drop some). Topics and authors are listed for
  // the studio's pickers and static params only; their list tags cover those.
  return tagged({ categories, authors, topics }, [
    tags.content,
    tags.categories,
    tags.authors,
    tags.topics,
    ...categories.map((c) => tags.category(c.slug)),
  ]);
}

export async function getFeedPosts() {
  'use cache';
  cacheLife('lists');
  const page = await q.listPublishedPosts(getDb(), { limit: FEED_SIZE });
  return tagged(page.posts, [tags.posts, ...rowTags(page)]);
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
  // Up to 50,000 URLs: far too many rows for one tag each. The sitemap shows only URLs and dates, so the list
  // tags (a post published, moved or deleted) are what it needs; `post:<id>` does not promise it.
  return tagged({ posts: postRows, categories, authors, topics }, [tags.content, tags.posts, tags.categories, tags.authors, tags.topics]);
}

/** Slugs to prerender at build time. Not cached: it runs once per build. */
export async function getPrerenderedPostSlugs(limit = 20): Promise<string[]> {
  return q.listRecentPostSlugs(getDb(), limit);
}
