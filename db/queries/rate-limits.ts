import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { rateLimits } from '../schema';

export interface Limit {
  limit: number;
  windowSeconds: number;
}

const windowOpen = (windowSeconds: number) => sql`now() - make_interval(secs => ${windowSeconds})`;

/** Whether `key` has used up its attempts in the current window. */
export async function isRateLimited(db: Database, key: string, { limit, windowSeconds }: Limit): Promise<boolean> {
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.windowStart, windowOpen(windowSeconds))));
  return (row?.count ?? 0) >= limit;
}

/**
 * Counts one attempt for `key` in a fixed window, atomically, in the database: the limit holds across
 * restarts and instances.
 */
export async function countAttempt(db: Database, key: string, { windowSeconds }: Limit): Promise<void> {
  const expired = sql`${rateLimits.windowStart} <= ${windowOpen(windowSeconds)}`;
  await db
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${expired} then now() else ${rateLimits.windowStart} end`,
      },
    });
}
