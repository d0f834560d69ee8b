// Deterministic seed. Replaces the blog's content; with `ifEmpty` it only fills an empty database.
import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { hashPassword } from 'better-auth/crypto';
import { account, authors, categories, posts, postTopics, products, topics, user } from './schema';
import { DEMO_PASSWORD, makePost, seedAuthors, seedCategories, seedProducts, seedTopics, seedUsers } from './seed-data';

export const DEFAULT_POST_COUNT = 60;
const BATCH = 1000;
const BASE_DATE = new Date('2026-11-01T12:00:00Z');

export interface SeedOptions {
  posts?: number;
  ifEmpty?: boolean;
  log?: (line: string) => void;
}

/** Returns the number of posts written (0 when `ifEmpty` found content). */
export async function seed(db: Database, { posts: count = DEFAULT_POST_COUNT, ifEmpty = false, log = () => {} }: SeedOptions = {}) {
  if (!Number.isInteger(count) || count < 0) throw new Error(`--posts must be a whole number ≥ 0, got ${count}`);
  const written = await db.transaction(async (tx) => {
    // Serialise concurrent seeders; the lock ends with the transaction.
    await tx.execute(sql`select pg_advisory_xact_lock(726352)`);
    if (ifEmpty) {
      const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(authors);
      if (n > 0) return 0;
    }
    await tx.execute(sql`truncate post_topics, posts, topics, categories, authors, products, "user", revalidations, rate_limits restart identity cascade`);
    await tx.insert(products).values(seedProducts);
    await tx.insert(user).values(seedUsers.map((u) => ({ ...u, emailVerified: true })));
    const password = await hashPassword(DEMO_PASSWORD);
    await tx.insert(account).values(
      seedUsers.map((u) => ({ id: `account-${u.id}`, accountId: u.id, providerId: 'credential', userId: u.id, password })),
    );
    const authorRows = await tx
      .insert(authors)
      .values(seedAuthors.map((a, i) => ({ ...a, userId: seedUsers[i].id })))
      .returning({ id: authors.id });
    const categoryRows = await tx.insert(categories).values(seedCategories).returning({ id: categories.id });
    const topicRows = await tx.insert(topics).values(seedTopics).returning({ id: topics.id });

    for (let start = 0; start < count; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => makePost(start + k, BASE_DATE));
      const inserted = await tx
        .insert(posts)
        .values(
          batch.map((p) => ({
            slug: p.slug,
            title: p.title,
            excerpt: p.excerpt,
            body: p.body,
            status: p.draft ? ('draft' as const) : ('published' as const),
            authorId: authorRows[p.authorIndex].id,
            categoryId: categoryRows[p.categoryIndex].id,
            publishedAt: p.draft ? null : p.publishedAt,
            updatedAt: p.publishedAt,
          })),
        )
        .returning({ id: posts.id });
      await tx
        .insert(postTopics)
        .values(batch.flatMap((p, k) => p.topicIndexes.map((t) => ({ postId: inserted[k].id, topicId: topicRows[t].id }))));
      if (count >= 10 * BATCH) log(`  ${start + batch.length} / ${count} posts`);
    }
    return count;
  });
  // Fresh statistics, so the planner knows the table is large and uses the list indexes right away
  // (without them it estimated a few hundred posts and sorted all 100,000 on every home page).
  if (written > 0) await db.execute(sql`analyze`);
  return written;
}
