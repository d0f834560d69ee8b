// The database-backed rate limits against a real database (both, via npm test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { consumeAttempts, currentCount, deleteExpiredRateLimits, refundAttempts } from '@/db/queries/rate-limits';
import { consumeLimits } from '@/lib/rate-limit';

// A pool as large as the app's, so concurrent attempts really run in parallel on separate connections.
const { db, sql } = createDatabase(databaseUrl(), { max: 10 });
beforeAll(() => runMigrations(databaseUrl()));
afterAll(() => sql.end());

const unique = (name: string) => `test:${name}:${Date.now()}:${Math.random().toString(36).slice(2)}`;

describe('database rate limits', () => {
  it('lets exactly `limit` of a concurrent burst through, across connections', async () => {
    const limit = { key: unique('burst'), limit: 5 };
    const results = await Promise.all(Array.from({ length: 30 }, () => consumeLimits(db, [limit], 60)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await currentCount(db, limit.key)).toBe(30);
  });

  it('refuses when any of several limits is used up, and counts the attempt against all of them', async () => {
    const account = { key: unique('account'), limit: 2 };
    const client = { key: unique('client'), limit: 10 };
    expect((await consumeLimits(db, [account, client], 60)).ok).toBe(true);
    expect((await consumeLimits(db, [account, client], 60)).ok).toBe(true);
    expect((await consumeLimits(db, [account, client], 60)).ok).toBe(false);
    expect(await currentCount(db, client.key)).toBe(3);
  });

  it('gives refunded attempts back, never below zero', async () => {
    const limit = { key: unique('refund'), limit: 1 };
    expect((await consumeLimits(db, [limit], 60)).ok).toBe(true);
    await refundAttempts(db, [limit.key]);
    await refundAttempts(db, [limit.key]);
    expect(await currentCount(db, limit.key)).toBe(0);
    expect((await consumeLimits(db, [limit], 60)).ok).toBe(true);
    expect((await consumeLimits(db, [limit], 60)).ok).toBe(false);
  });

  it('starts a new window when the old one has ended', async () => {
    const limit = { key: unique('window'), limit: 1 };
    await consumeLimits(db, [limit], 60);
    expect((await consumeLimits(db, [limit], 60)).ok).toBe(false);
    await sql`update rate_limits set expires_at = now() - interval '1 second' where key = ${limit.key}`;
    expect((await consumeLimits(db, [limit], 60)).ok).toBe(true);
    expect(await currentCount(db, limit.key)).toBe(1);
  });

  it('deletes ended windows and keeps running ones, through the index on expires_at', async () => {
    const [ended, running] = [unique('ended'), unique('running')];
    await consumeAttempts(db, [ended, running], 60);
    await sql`update rate_limits set expires_at = now() - interval '1 minute' where key = ${ended}`;
    expect(await deleteExpiredRateLimits(db)).toBeGreaterThanOrEqual(1);
    const keys = (await sql`select key from rate_limits where key in (${ended}, ${running})`).map((r) => r.key);
    expect(keys).toEqual([running]);

    // With a handful of rows the planner would scan the table anyway: forbid that to see the index is usable.
    const plan = await sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return (await tx`explain delete from rate_limits where expires_at < now()`).map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('rate_limits_expires_at_idx');
  });
});
