// Read queries for the public blog: plain async functions over the schema. They know nothing of caching;
// lib/blog.ts wraps them in 'use cache' functions with tags.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { authors, categories, posts, postTopics, topics } from '../schema';

export const PAGE_SIZE = 12;

/** Keyset position in a "newest first" list: the time and id of the last row shown. */
export interface Cursor {
  at: Date;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return `${c.at.getTime()}-${c.id}`;
}

/** Returns null for anything that is not a cursor we made, so a bad URL is a 404, not a 500. */
export function decodeCursor(value: string): Cursor | null {
  // The time may be negative: a post dated before 1970 (an archive imported from an older blog) is a valid position.
  const match = /^(-?\d{1,15})-(\d{1,10})$/.exec(value);
  if (!match) return null;
  const id = Number(match[2]);
  if (id > 2_147_483_647) return null;
  return { at: new Date(Number(match[1])), id };
}

export interface PostSummary {
  id: number;
  slug: string;
  title: string;
  excerpt: string;
  publishedAt: Date;
  author: { id: number; slug: string; name: string };
  category: { slug: string; name: string };
}

export interface PostPage {
  posts: PostSummary[];
  /** Cursor of the next (older) page, or null on the last page. */
  next: string | null;
  /** The previous (newer) page: its cursor, or null when that is the first page; absent on the first page itself. */
  newer?: { cursor: string | null };
}

export type PostFilter = { categoryId: number } | { authorId: number } | { topicId: number } | Record<string, never>;

// A literal, not a bound parameter: the partial indexes are defined `where status = 'published'`, and PostgreSQL
// can only use them when the query says so in its text. With `$1`, once postgres.js's prepared statements
// switch to a generic plan, the home page fell back to scanning every post (300 ms at 100,000 posts).
const published = sql`${posts.status} = 'published'`;

/**
 * A cursor as a row value for `(published_at, id) < (…)`. A row comparison, not `a < x or (a = x and id < y)`: the
 * planner turns it into the index's start key, where the `or` form was checked against every row the scan passed
 * (83 ms for a page deep in 100,000 posts, against 0.05 ms).
 */
const position = (c: Cursor) => sql`${sql.param(c.at, posts.publishedAt)}, ${sql.param(c.id, posts.id)}`;

/** One page of published posts, newest first, by keyset (no OFFSET, no count): fast at any depth. */
export async function listPublishedPosts(
  db: Database,
  { filter = {}, after, limit = PAGE_SIZE }: { filter?: PostFilter; after?: Cursor | null; limit?: number },
): Promise<PostPage> {
  const conditions: SQL[] = [published];
  if ('categoryId' in filter) conditions.push(eq(posts.categoryId, filter.categoryId));
  if ('authorId' in filter) conditions.push(eq(posts.authorId, filter.authorId));
  if ('topicId' in filter) {
    conditions.push(
      inArray(posts.id, db.select({ id: postTopics.postId }).from(postTopics).where(eq(postTopics.topicId, filter.topicId))),
    );
  }
  const olderThan = (c: Cursor) => sql`(${posts.publishedAt}, ${posts.id}) < (${position(c)})`;
  const rows = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      title: posts.title,
      excerpt: posts.excerpt,
      publishedAt: posts.publishedAt,
      author: { id: authors.id, slug: authors.slug, name: authors.name },
      category: { slug: categories.slug, name: categories.name },
    })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .innerJoin(categories, eq(categories.id, posts.categoryId))
    .where(and(...conditions, ...(after ? [olderThan(after)] : [])))
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit).map((r) => ({ ...r, publishedAt: r.publishedAt! }));
  const last = page.at(-1);
  const next = rows.length > limit && last ? encodeCursor({ at: last.publishedAt, id: last.id }) : null;
  if (!after) return { posts: page, next };

  // The way back: the newer page ends just before this one, so it starts after the (limit + 1)th newer post.
  // The same keyset walk in reverse, `limit + 1` rows off the index.
  const first = page[0] ? { at: page[0].publishedAt, id: page[0].id } : after;
  const newer = await db
    .select({ id: posts.id, publishedAt: posts.publishedAt })
    .from(posts)
    .where(
      and(
        ...conditions,
        sql`(${posts.publishedAt}, ${posts.id}) > (${position(first)})`,
      ),
    )
    .orderBy(asc(posts.publishedAt), asc(posts.id))
    .limit(limit + 1);
  const boundary = newer.length > limit ? newer[limit] : null;
  return { posts: page, next, newer: { cursor: boundary ? encodeCursor({ at: boundary.publishedAt!, id: boundary.id }) : null } };
}

export interface PostDetail extends PostSummary {
  body: string;
  updatedAt: Date;
  category: { id: number; slug: string; name: string };
  topics: { id: number; slug: string; name: string }[];
}

/** A published post by slug; drafts and unknown slugs are both null (drafts are never public). */
export async function getPublishedPostBySlug(db: Database, slug: string): Promise<PostDetail | null> {
  const [row] = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      title: posts.title,
      excerpt: posts.excerpt,
      body: posts.body,
      publishedAt: posts.publishedAt,
      updatedAt: posts.updatedAt,
      author: { id: authors.id, slug: authors.slug, name: authors.name },
      category: { id: categories.id, slug: categories.slug, name: categories.name },
    })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .innerJoin(categories, eq(categories.id, posts.categoryId))
    .where(and(eq(posts.slug, slug), published))
    .limit(1);
  if (!row) return null;
  const postTopicRows = await db
    .select({ id: topics.id, slug: topics.slug, name: topics.name })
    .from(postTopics)
    .innerJoin(topics, eq(topics.id, postTopics.topicId))
    .where(eq(postTopics.postId, row.id))
    .orderBy(asc(topics.name));
  return { ...row, publishedAt: row.publishedAt!, topics: postTopicRows };
}

export async function getCategoryBySlug(db: Database, slug: string) {
  const [row] = await db.select().from(categories).where(eq(categories.slug, slug)).limit(1);
  return row ?? null;
}

export async function getAuthorBySlug(db: Database, slug: string) {
  const [row] = await db.select().from(authors).where(eq(authors.slug, slug)).limit(1);
  return row ?? null;
}

export async function getTopicBySlug(db: Database, slug: string) {
  const [row] = await db.select().from(topics).where(eq(topics.slug, slug)).limit(1);
  return row ?? null;
}

export async function listCategories(db: Database) {
  return db.select().from(categories).orderBy(asc(categories.name));
}

export async function listAuthors(db: Database) {
  return db.select().from(authors).orderBy(asc(authors.name));
}

export async function listTopics(db: Database) {
  return db.select().from(topics).orderBy(asc(topics.name));
}

/** Slugs of the newest published posts: what the build prerenders. */
export async function listRecentPostSlugs(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ slug: posts.slug })
    .from(posts)
    .where(published)
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(limit);
  return rows.map((r) => r.slug);
}

/** URL and last change of the newest published posts, for sitemap.xml (a sitemap holds at most 50,000 URLs). */
export async function listSitemapPosts(db: Database, limit = 50_000) {
  return db
    .select({ slug: posts.slug, updatedAt: posts.updatedAt })
    .from(posts)
    .where(published)
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(limit);
}

/** Which of `slugs` are the URLs of published posts (the rest are drafts' or nobody's). */
export async function publishedSlugsAmong(db: Database, slugs: string[]): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const rows = await db
    .select({ slug: posts.slug })
    .from(posts)
    .where(and(inArray(posts.slug, slugs), eq(posts.status, 'published')));
  return new Set(rows.map((row) => row.slug));
}
