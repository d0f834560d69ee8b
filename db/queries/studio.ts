// The studio's reads and writes. Permission checks live in lib/studio/*, which calls these.
import { and, asc, desc, eq, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { authors, categories, posts, postTopics, topics } from '../schema';
import { encodeCursor, type Cursor } from './blog';

export const STUDIO_PAGE_SIZE = 50;

export interface StudioPost {
  id: number;
  slug: string;
  title: string;
  status: 'draft' | 'published';
  updatedAt: Date;
  authorName: string;
  version: number;
}

/** Posts by update time, newest first; `authorId` null means every author's (editors). Keyset on (updated_at, id). */
export async function listStudioPosts(
  db: Database,
  authorId: number | null,
  after: Cursor | null,
): Promise<{ posts: StudioPost[]; next: string | null }> {
  const conditions = [
    authorId === null ? undefined : eq(posts.authorId, authorId),
    after ? or(lt(posts.updatedAt, after.at), and(eq(posts.updatedAt, after.at), lt(posts.id, after.id))) : undefined,
  ];
  const rows = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      title: posts.title,
      status: posts.status,
      updatedAt: posts.updatedAt,
      authorName: authors.name,
      version: posts.version,
    })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .where(and(...conditions))
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(STUDIO_PAGE_SIZE + 1);
  const page = rows.slice(0, STUDIO_PAGE_SIZE);
  const last = page.at(-1);
  return { posts: page, next: rows.length > STUDIO_PAGE_SIZE && last ? encodeCursor({ at: last.updatedAt, id: last.id }) : null };
}

export interface EditablePost {
  id: number;
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  status: 'draft' | 'published';
  authorId: number;
  authorName: string;
  categoryId: number;
  categorySlug: string;
  topicIds: number[];
  topicSlugs: string[];
  version: number;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** Only who owns a post (for the proxy's early 404/403): one primary-key lookup. Null for an unknown id. */
export async function getPostOwner(db: Executor, id: number): Promise<{ authorId: number } | null> {
  const [row] = await db.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, id)).limit(1);
  return row ?? null;
}

/** The current row, uncached: editing must start from, and compare against, what is in the database now. */
export async function getEditablePost(db: Executor, id: number): Promise<EditablePost | null> {
  const [row] = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      title: posts.title,
      excerpt: posts.excerpt,
      body: posts.body,
      status: posts.status,
      authorId: posts.authorId,
      authorName: authors.name,
      categoryId: posts.categoryId,
      categorySlug: categories.slug,
      version: posts.version,
      updatedAt: posts.updatedAt,
      publishedAt: posts.publishedAt,
    })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .innerJoin(categories, eq(categories.id, posts.categoryId))
    .where(eq(posts.id, id))
    .limit(1);
  if (!row) return null;
  const topicRows = await db
    .select({ id: topics.id, slug: topics.slug })
    .from(postTopics)
    .innerJoin(topics, eq(topics.id, postTopics.topicId))
    .where(eq(postTopics.postId, id))
    .orderBy(asc(topics.slug));
  return { ...row, topicIds: topicRows.map((t) => t.id), topicSlugs: topicRows.map((t) => t.slug) };
}

export interface PostInput {
  title: string;
  slug: string;
  excerpt: string;
  body: string;
  categoryId: number;
  topicIds: number[];
}

export async function slugTaken(db: Executor, slug: string, exceptId?: number): Promise<boolean> {
  const [row] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(exceptId ? and(eq(posts.slug, slug), ne(posts.id, exceptId)) : eq(posts.slug, slug))
    .limit(1);
  return Boolean(row);
}

async function setTopics(tx: Executor, postId: number, topicIds: number[]) {
  await tx.delete(postTopics).where(eq(postTopics.postId, postId));
  if (topicIds.length) await tx.insert(postTopics).values(topicIds.map((topicId) => ({ postId, topicId })));
}

export async function insertPost(tx: Executor, authorId: number, input: PostInput, publish: boolean): Promise<number> {
  const [row] = await tx
    .insert(posts)
    .values({
      ...input,
      authorId,
      status: publish ? 'published' : 'draft',
      publishedAt: publish ? new Date() : null,
      updatedAt: new Date(),
    })
    .returning({ id: posts.id });
  await setTopics(tx, row.id, input.topicIds);
  return row.id;
}

/**
 * Saves only if the post is still at `expectedVersion` (optimistic concurrency). Returns the new version, or
 * null if someone else saved first: nothing is written then.
 */
export async function updatePost(
  tx: Executor,
  id: number,
  expectedVersion: number,
  input: PostInput,
  status?: 'draft' | 'published',
): Promise<number | null> {
  const [row] = await tx
    .update(posts)
    .set({
      ...input,
      ...(status ? { status } : {}),
      // First publication sets the date; republishing keeps it, so the post keeps its place in the lists.
      ...(status === 'published' ? { publishedAt: sql`coalesce(${posts.publishedAt}, now())` } : {}),
      version: sql`${posts.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(posts.id, id), eq(posts.version, expectedVersion)))
    .returning({ version: posts.version });
  if (!row) return null;
  await setTopics(tx, id, input.topicIds);
  return row.version;
}

export async function setPostStatus(tx: Executor, id: number, expectedVersion: number, status: 'draft' | 'published') {
  const [row] = await tx
    .update(posts)
    .set({
      status,
      ...(status === 'published' ? { publishedAt: sql`coalesce(${posts.publishedAt}, now())` } : {}),
      version: sql`${posts.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(posts.id, id), eq(posts.version, expectedVersion)))
    .returning({ version: posts.version });
  return row?.version ?? null;
}

export async function deletePostRow(tx: Executor, id: number, expectedVersion: number): Promise<boolean> {
  const rows = await tx.delete(posts).where(and(eq(posts.id, id), eq(posts.version, expectedVersion))).returning({ id: posts.id });
  return rows.length > 0;
}

export async function categoryIdsExist(db: Executor, categoryId: number, topicIds: number[]) {
  const [category] = await db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  const found = topicIds.length ? await db.select({ id: topics.id }).from(topics).where(inArray(topics.id, topicIds)) : [];
  return { category: Boolean(category), topics: found.length === new Set(topicIds).size };
}

export async function getAuthorProfile(db: Executor, authorId: number) {
  const [row] = await db.select({ slug: authors.slug, name: authors.name, bio: authors.bio }).from(authors).where(eq(authors.id, authorId));
  return row ?? null;
}

/**
 * Saves the name and bio and says which of them differ from what was stored; nothing is written (and nothing
 * needs invalidating) when neither does. The row is locked first, so two concurrent saves compare in turn.
 */
export async function updateAuthorProfile(
  tx: Executor,
  authorId: number,
  profile: { name: string; bio: string },
): Promise<{ name: boolean; bio: boolean }> {
  const [current] = await tx.select({ name: authors.name, bio: authors.bio }).from(authors).where(eq(authors.id, authorId)).for('update');
  if (!current) return { name: false, bio: false };
  const changed = { name: current.name !== profile.name, bio: current.bio !== profile.bio };
  if (changed.name || changed.bio) await tx.update(authors).set(profile).where(eq(authors.id, authorId));
  return changed;
}
