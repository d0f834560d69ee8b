import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { rateLimits } from '../schema';

export interface Consumed {
  key: string;
  /** Attempts counted in the current window, this one included. */
  count: number;
  /** When the current window ends. */
  expiresAt: Date;
}

/**
 * Counts one attempt for each key and returns the counts, in ONE statement: PostgreSQL locks each row for the
 * upsert, so concurrent attempts are numbered 1, 2, 3… and no two of them can both see room under a limit
 * (checking first and counting later let a burst through). A window whose end has passed starts again at 1.
 * Time is the database's `now()`, the same clock for every app instance.
 */
export async function consumeAttempts(db: Database, keys: string[], windowSeconds: number): Promise<Consumed[]> {
  const expired = sql`${rateLimits.expiresAt} <= now()`;
  const rows = await db
    .insert(rateLimits)
    .values(keys.map((key) => ({ key, count: 1, expiresAt: sql`now() + make_interval(secs => ${windowSeconds})` })))
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        expiresAt: sql`case when ${expired} then excluded.expires_at else ${rateLimits.expiresAt} end`,
      },
    })
    .returning({ key: rateLimits.key, count: rateLimits.count, expiresAt: rateLimits.expiresAt });
  return keys.map((key) => rows.find((r) => r.key === key)!);
}

/** Gives back one attempt in the current window (a sign-in that turned out right is not a failure). */
export async function refundAttempts(db: Database, keys: string[]): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(inArray(rateLimits.key, keys), gt(rateLimits.count, 0), gt(rateLimits.expiresAt, sql`now()`)));
}

/** Deletes windows that have ended (through the index on expires_at); returns how many. */
export async function deleteExpiredRateLimits(db: Database): Promise<number> {
  const result = await db.delete(rateLimits).where(lt(rateLimits.expiresAt, sql`now()`));
  return result.count;
}

/** The current count for `key` (0 when none or the window has ended); for tests and diagnostics. */
export async function currentCount(db: Database, key: string): Promise<number> {
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.expiresAt, sql`now()`)));
  return row?.count ?? 0;
}

/**
 * Sets a marker row that lasts `seconds` from now (a fresh expiry each time, count 1): "this client signed in to
 * this account", read back with currentCount. It lives in the same table so the same purge removes it when it ends.
 */
export async function setMarker(db: Database, key: string, seconds: number): Promise<void> {
  const expiresAt = sql`now() + make_interval(secs => ${seconds})`;
  await db
    .insert(rateLimits)
    .values({ key, count: 1, expiresAt })
    .onConflictDoUpdate({ target: rateLimits.key, set: { count: 1, expiresAt } });
}

/**
 * Takes the one turn a throttled key allows every `delaySeconds`, in ONE statement (concurrent callers are
 * serialised on the row, so only one of them gets a turn). The row remembers the last turn given as
 * `expires_at = turn + horizonSeconds` (horizon ≥ every delay used, so the row outlives the wait and the purge
 * removes it after). Because the delay is compared at each call, a longer delay applies at once, to the turn given
 * before. Returns whether this call got the turn and, if not, how many seconds until the next one.
 */
export async function takeTurn(
  db: Database,
  key: string,
  delaySeconds: number,
  horizonSeconds: number,
): Promise<{ granted: boolean; waitSeconds: number }> {
  const due = sql`${rateLimits.expiresAt} - make_interval(secs => ${horizonSeconds - delaySeconds}) <= now()`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, expiresAt: sql`now() + make_interval(secs => ${horizonSeconds})` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${due} then 1 else ${rateLimits.count} + 1 end`,
        expiresAt: sql`case when ${due} then excluded.expires_at else ${rateLimits.expiresAt} end`,
      },
    })
    .returning({
      count: rateLimits.count,
      wait: sql<number>`extract(epoch from ${rateLimits.expiresAt} - make_interval(secs => ${horizonSeconds - delaySeconds}) - now())::float8`,
    });
  return { granted: row.count === 1, waitSeconds: row.count === 1 ? 0 : Math.max(0, row.wait) };
}
