import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '@/db/queries/blog';
import { createRateLimiter } from '@/lib/rate-limit';

describe('rate limiter', () => {
  it('allows `limit` requests per window and per key, then says when to retry', () => {
    const take = createRateLimiter({ limit: 2, windowMs: 10_000 });
    expect(take('a', 0).ok).toBe(true);
    expect(take('a', 1).ok).toBe(true);
    expect(take('a', 2)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(take('b', 2).ok).toBe(true);
    expect(take('a', 10_000).ok).toBe(true);
  });
});

describe('pagination cursors', () => {
  it('round-trips', () => {
    const cursor = { at: new Date('2026-11-01T12:00:00.123Z'), id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    // Before 1970 the time is negative: the cursor of a page deep in an old archive.
    const old = { at: new Date('1969-07-20T20:17:40Z'), id: 7 };
    expect(encodeCursor(old)).toBe('-14182940000-7');
    expect(decodeCursor(encodeCursor(old))).toEqual(old);
  });

  it('rejects anything else, so a bad URL is a 404 and not a query error', () => {
    for (const bad of ['', 'abc', '1-2-3', '--1-2', '1--2', '1.5-2', '1-99999999999', `${'9'.repeat(16)}-1`]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});
