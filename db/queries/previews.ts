// Full-page previews: the stored payloads and the reads a preview render makes. Permission checks live in
// lib/studio/preview.ts, which calls these. Nothing here is cached: a preview is per user and per request.
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { authors, categories, postPreviews, posts, topics } from '../schema';

export type PreviewValues = typeof postPreviews.$inferSelect.values;

/** Keeps (or replaces) `userId`'s preview of `postId` until `expiresAt`; drops everyone's expired ones on the way. */
export async function savePreview(db: Executor, userId: string, postId: number, values: PreviewValues, expiresAt: Date): Promise<void> {
  await db.delete(postPreviews).where(lte(postPreviews.expiresAt, sql`now()`));
  await db
    .insert(postPreviews)
    .values({ userId, postId, values, expiresAt })
    .onConflictDoUpdate({ target: [postPreviews.userId, postPreviews.postId], set: { values, expiresAt } });
}

/** The user's preview of the post, unless it has expired. */
export async function getPreview(db: Executor, userId: string, postId: number): Promise<{ values: PreviewValues; expiresAt: Date } | null> {
  const [row] = await db
    .select({ values: postPreviews.values, expiresAt: postPreviews.expiresAt })
    .from(postPreviews)
    .where(and(eq(postPreviews.userId, userId), eq(postPreviews.postId, postId), gt(postPreviews.expiresAt, sql`now()`)))
    .limit(1);
  return row ?? null;
}

export async function deletePreviews(db: Executor, userId: string): Promise<void> {
  await db.delete(postPreviews).where(eq(postPreviews.userId, userId));
}

/** The post at `slug` whatever its status (drafts too), with its author: only for a preview's permission check. */
export async function getPostAtSlug(db: Executor, slug: string) {
  const [row] = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      status: posts.status,
      publishedAt: posts.publishedAt,
      author: { id: authors.id, slug: authors.slug, name: authors.name },
    })
    .from(posts)
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .where(eq(posts.slug, slug))
    .limit(1);
  return row ?? null;
}

/** The category and topics a preview names by id, as the public page shows them (topics by name). */
export async function getPreviewTaxonomy(db: Executor, categoryId: number, topicIds: number[]) {
  const [category] = await db
    .select({ id: categories.id, slug: categories.slug, name: categories.name })
    .from(categories)
    .where(eq(categories.id, categoryId))
    .limit(1);
  const topicRows = topicIds.length
    ? await db.select({ id: topics.id, slug: topics.slug, name: topics.name }).from(topics).where(inArray(topics.id, topicIds)).orderBy(asc(topics.name))
    : [];
  return { category: category ?? null, topics: topicRows };
}

