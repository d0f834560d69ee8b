// DATABASE_POOL_SIZE set but empty or not a number (a deployment template's blank) still gives the app a working
// pool: postgres.js would take '' as 0 connections (every query waits, then fails) and 'ten' as NaN (it throws).
import { sql as q } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databasePoolSize, getDb } from '@/db/client';

const holder = globalThis as unknown as { __ntcDb?: { sql: { end: (o?: object) => Promise<void> } } };

afterEach(async () => {
  await holder.__ntcDb?.sql.end({ timeout: 1 });
  delete holder.__ntcDb;
  vi.unstubAllEnvs();
});

describe('DATABASE_POOL_SIZE', () => {
  it.each(['', 'ten', '0', '-3', '2.5'])('%j: the app pool answers, with the default size', async (value) => {
    delete holder.__ntcDb;
    vi.stubEnv('DATABASE_POOL_SIZE', value);
    vi.stubEnv('DATABASE_TIMEOUT_MS', '300');
    expect(await getDb().execute(q`select 1 as one`)).toEqual([{ one: 1 }]);
    expect(databasePoolSize()).toBe(10);
  });

  it('a positive integer is taken as is', () => {
    vi.stubEnv('DATABASE_POOL_SIZE', '25');
    expect(databasePoolSize()).toBe(25);
  });
});
