import type { Database } from '@/db/client';
import { consumeAttempts, deleteExpiredRateLimits, refundAttempts } from '@/db/queries/rate-limits';

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A fixed-window counter per key, in this process's memory: for traffic that must not cost a database write
 * (unsigned webhook requests). Counting is synchronous, so it is atomic within the process; several instances
 * behind a load balancer each keep their own count.
 */
export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return function take(key: string, now = Date.now()): LimitResult {
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      // Drop expired windows now and then so the map cannot grow without bound.
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return w.count <= limit ? { ok: true } : { ok: false, retryAfterSeconds: Math.ceil((w.start + windowMs - now) / 1000) };
  };
}

export interface DatabaseLimit {
  key: string;
  limit: number;
}

// Ended windows are deleted at most once a minute per process, by whichever request comes along: no timer to
// keep alive, and a quiet app has nothing to purge.
const PURGE_EVERY_MS = 60_000;
const purge = globalThis as unknown as { __ntcRateLimitPurgedAt?: number };

/**
 * Counts one attempt against every limit at once, in the database, and says whether all of them still allow it.
 * The count comes back from the same statement that made it (db/queries/rate-limits.ts), so a burst of concurrent
 * attempts cannot all pass: exactly `limit` of them are allowed per window, across restarts and instances.
 * An attempt refused by one limit still counts against the others (it was made).
 */
export async function consumeLimits(db: Database, limits: DatabaseLimit[], windowSeconds: number): Promise<LimitResult> {
  const now = Date.now();
  if (now - (purge.__ntcRateLimitPurgedAt ?? 0) >= PURGE_EVERY_MS) {
    purge.__ntcRateLimitPurgedAt = now;
    await deleteExpiredRateLimits(db);
  }
  const counted = await consumeAttempts(db, limits.map((l) => l.key), windowSeconds);
  const over = counted.filter((c, i) => c.count > limits[i].limit);
  if (over.length === 0) return { ok: true };
  const until = Math.max(...over.map((c) => c.expiresAt.getTime()));
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

/** Gives the attempt back to every limit (it turned out not to be one that should count). */
export async function refundLimits(db: Database, limits: DatabaseLimit[]): Promise<void> {
  await refundAttempts(db, limits.map((l) => l.key));
}
