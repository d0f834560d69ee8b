import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { revalidations, type Revalidation } from '../schema';

export type NewRevalidation = Omit<typeof revalidations.$inferInsert, 'id' | 'at'>;
export type RevalidationOutcome = Revalidation['outcome'];

/** Records an invalidation (pending until the caller sets its outcome, unless given one). */
export async function recordRevalidation(db: Executor, entry: NewRevalidation): Promise<Revalidation> {
  const [row] = await db.insert(revalidations).values(entry).returning();
  return row;
}

/** How long a claimed delivery counts as being acted on: a copy arriving meanwhile is told to retry later. */
const IN_FLIGHT_SECONDS = 30;

/**
 * Claims a webhook delivery: a new delivery id gets a pending row. A delivery id seen before is a duplicate if its
 * invalidation was applied. A failed one, or one still pending after IN_FLIGHT_SECONDS (its process is gone, or
 * Redis was away), is handed back to be acted on again: the sender retried because we did not confirm it, and acting
 * twice is harmless where not acting is a lost invalidation. A copy that arrives while another is being acted on
 * is 'in-flight': acting on both would apply it twice.
 */
export async function claimDelivery(
  db: Database,
  entry: NewRevalidation & { deliveryId: string },
): Promise<{ duplicate: true } | { duplicate: false; inFlight: true } | { duplicate: false; inFlight: false; id: number }> {
  const [created] = await db
    .insert(revalidations)
    .values({ ...entry, outcome: 'pending' })
    .onConflictDoNothing({ target: revalidations.deliveryId })
    .returning({ id: revalidations.id });
  if (created) return { duplicate: false, inFlight: false, id: created.id };
  // One statement decides, so of concurrent copies exactly one re-claims (the row lock orders them).
  const [reclaimed] = await db
    .update(revalidations)
    .set({ outcome: 'pending', at: sql`now()` })
    .where(
      and(
        eq(revalidations.deliveryId, entry.deliveryId),
        or(
          eq(revalidations.outcome, 'failed'),
          and(eq(revalidations.outcome, 'pending'), lt(revalidations.at, sql`now() - make_interval(secs => ${IN_FLIGHT_SECONDS})`)),
        ),
      ),
    )
    .returning({ id: revalidations.id });
  if (reclaimed) return { duplicate: false, inFlight: false, id: reclaimed.id };
  const [existing] = await db.select({ outcome: revalidations.outcome }).from(revalidations).where(eq(revalidations.deliveryId, entry.deliveryId));
  if (!existing) throw new Error(`delivery ${entry.deliveryId} vanished while being claimed`);
  return existing.outcome === 'applied' ? { duplicate: true } : { duplicate: false, inFlight: true };
}

export async function setOutcome(db: Executor, id: number, outcome: RevalidationOutcome): Promise<void> {
  await db.update(revalidations).set({ outcome }).where(eq(revalidations.id, id));
}

/** Rows whose invalidation was queued (Redis away) and has now landed. */
export async function markLanded(db: Executor, ids: number[]): Promise<void> {
  await db
    .update(revalidations)
    .set({ outcome: 'applied' })
    .where(and(inArray(revalidations.id, ids), eq(revalidations.outcome, 'pending')));
}

export async function listRecentRevalidations(db: Database, limit = 50): Promise<Revalidation[]> {
  return db.select().from(revalidations).orderBy(desc(revalidations.at), desc(revalidations.id)).limit(limit);
}

/** For each tag invalidated within the retained log: when it last was, how, and by what (source, change, actor). */
export async function lastInvalidationPerTag(db: Database) {
  const rows = await db.execute<{ tag: string; at: string; mode: string; source: string; change: string | null; actor: string }>(sql`
    select distinct on (tag) tag, at, mode, source, change, actor
    from ${revalidations}, unnest(${revalidations.tags}) as tag
    where ${revalidations.outcome} = 'applied'
    order by tag, at desc`);
  return [...rows].map((r) => ({ tag: r.tag, at: new Date(r.at), mode: r.mode, source: r.source, change: r.change, actor: r.actor }));
}

/** How much of the log is kept: enough to read recent history, bounded so /cache's queries stay cheap. */
export const RETENTION = { days: 30, rows: 10_000 };
let lastPruned = 0;

/**
 * Deletes rows older than RETENTION.days, and the oldest beyond RETENTION.rows. Runs at most once a minute per
 * process. A pending row is kept whatever its age: it is the record of an invalidation still on its way.
 */
export async function pruneRevalidations(db: Database, { force = false } = {}): Promise<number> {
  if (!force && Date.now() - lastPruned < 60_000) return 0;
  lastPruned = Date.now();
  const [cutoff] = await db
    .select({ id: revalidations.id })
    .from(revalidations)
    .orderBy(desc(revalidations.id))
    .offset(RETENTION.rows - 1)
    .limit(1);
  const deleted = await db
    .delete(revalidations)
    .where(
      and(
        sql`${revalidations.outcome} <> 'pending'`,
        or(lt(revalidations.at, sql`now() - make_interval(days => ${RETENTION.days})`), cutoff ? lt(revalidations.id, cutoff.id) : sql`false`),
      ),
    )
    .returning({ id: revalidations.id });
  return deleted.length;
}
