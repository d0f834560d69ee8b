import { desc, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { revalidations, type Revalidation } from '../schema';

export type NewRevalidation = Omit<typeof revalidations.$inferInsert, 'id' | 'at'>;

/**
 * Records an invalidation. With a delivery id, returns null if that delivery was recorded before
 * (the caller must then not act again).
 */
export async function recordRevalidation(db: Executor, entry: NewRevalidation): Promise<Revalidation | null> {
  const [row] = await db.insert(revalidations).values(entry).onConflictDoNothing({ target: revalidations.deliveryId }).returning();
  return row ?? null;
}

export async function listRecentRevalidations(db: Database, limit = 50): Promise<Revalidation[]> {
  return db.select().from(revalidations).orderBy(desc(revalidations.at), desc(revalidations.id)).limit(limit);
}

/** For each tag ever invalidated: when it last was, and how. */
export async function lastInvalidationPerTag(db: Database) {
  const rows = await db.execute<{ tag: string; at: string; mode: string }>(sql`
    select distinct on (tag) tag, at, mode
    from ${revalidations}, unnest(${revalidations.tags}) as tag
    where ${revalidations.outcome} = 'applied'
    order by tag, at desc`);
  return [...rows].map((r) => ({ tag: r.tag, at: new Date(r.at), mode: r.mode }));
}
