// A frozen database (its processes stopped with SIGSTOP) is a quick, recognisable error, and the pool recovers by
// itself once the database answers again (issue 10, item 10). Runs against its own embedded PostgreSQL, never the
// shared one: it freezes every process of that server.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql as q } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoundedDatabase, createDatabase, DATABASE_UNAVAILABLE_DIGEST, isDatabaseUnavailable } from '@/db/client';
import { embeddedTestDatabase, type TestDatabase } from '@/scripts/test-env';

const TIMEOUT_MS = 1000;
// statement_timeout + the watchdog's 2 s, plus room for a busy machine.
const BOUND_MS = TIMEOUT_MS + 2000 + 1500;

let server: TestDatabase;
let dataDir = '';
let frozen: number[] = [];

/** The postmaster and every process it started (backends, checkpointer, walwriter…). */
function serverProcesses(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  return [postmaster, ...children];
}
// Listed at the moment of freezing: backends forked for the pool's connections must stop too.
function freeze() {
  frozen = serverProcesses(dataDir);
  frozen.forEach((pid) => process.kill(pid, 'SIGSTOP'));
}
function thaw() {
  frozen.forEach((pid) => process.kill(pid, 'SIGCONT'));
  frozen = [];
}

async function timed<T>(work: () => Promise<T>) {
  const started = performance.now();
  try {
    return { value: await work(), error: undefined as unknown, ms: performance.now() - started };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - started };
  }
}

beforeAll(async () => {
  server = await embeddedTestDatabase();
  const admin = createDatabase(server.url, { max: 1 });
  const [{ data_directory }] = await admin.sql<{ data_directory: string }[]>`show data_directory`;
  await admin.sql.end();
  dataDir = data_directory;
}, 60_000);

afterAll(async () => {
  thaw();
  await server?.drop();
});

describe('a frozen database', () => {
  it('fails queries, transactions and new connections within the bound, then recovers by itself', async () => {
    const pool = createBoundedDatabase(server.url, { max: 3 }, TIMEOUT_MS);
    try {
      expect(await pool.db.execute(q`select 1 as one`)).toEqual([{ one: 1 }]);

      freeze();
      try {
        const [read, transaction, fresh] = await Promise.all([
          timed(() => pool.db.execute(q`select 1 as one`)),
          timed(() => pool.db.transaction((tx) => tx.execute(q`select 2 as two`))),
          // A pool that never connected: the connection attempt itself is bounded.
          timed(async () => {
            const other = createBoundedDatabase(server.url, { max: 1 }, TIMEOUT_MS);
            try {
              return await other.db.execute(q`select 3`);
            } finally {
              void other.sql.end({ timeout: 0 });
            }
          }),
        ]);
        for (const outcome of [read, transaction, fresh]) {
          expect(outcome.error, 'the query must fail while the database is frozen').toBeDefined();
          expect(isDatabaseUnavailable(outcome.error)).toBe(true);
          expect(outcome.ms).toBeLessThan(BOUND_MS);
        }
        // The error page recognises it by its digest (Next.js sends only that to the browser).
        expect(String((read.error as { digest?: string }).digest)).toMatch(new RegExp(`^${DATABASE_UNAVAILABLE_DIGEST}:`));
      } finally {
        thaw();
      }

      // Back: the same pool answers again, without a restart.
      await expect.poll(async () => (await timed(() => pool.db.execute(q`select 4 as four`))).value, { timeout: 15_000 }).toEqual([{ four: 4 }]);
      const again = await timed(() => pool.db.transaction((tx) => tx.execute(q`select 5 as five`)));
      expect(again.value).toEqual([{ five: 5 }]);
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  }, 60_000);

  // A page render, its prefetches and the requests beside it queue more queries than the pool has connections.
  // Each waits for a connection before its own bound starts: without a bound on the whole wait, the queue drained
  // in waves of one reply timeout each (20 queries on 2 connections: 10 waves, 30 s).
  it('fails queries queued behind a full pool within the bound too', async () => {
    const pool = createBoundedDatabase(server.url, { max: 2 }, TIMEOUT_MS);
    try {
      expect(await pool.db.execute(q`select 1 as one`)).toEqual([{ one: 1 }]);
      freeze();
      try {
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => timed(() => pool.db.execute(q`select ${i}::int as i`))));
        for (const outcome of outcomes) {
          expect(isDatabaseUnavailable(outcome.error)).toBe(true);
          expect(outcome.ms).toBeLessThan(BOUND_MS);
        }
      } finally {
        thaw();
      }
      await expect.poll(async () => (await timed(() => pool.db.execute(q`select 6 as six`))).value, { timeout: 15_000 }).toEqual([{ six: 6 }]);
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  }, 90_000);

  it('leaves slow but live queries alone, and the server cancels runaway ones', async () => {
    const pool = createBoundedDatabase(server.url, { max: 1 }, TIMEOUT_MS);
    try {
      expect(await pool.db.execute(q`select pg_sleep(0.8), 1 as one`)).toMatchObject([{ one: 1 }]);
      const runaway = await timed(() => pool.db.execute(q`select pg_sleep(30)`));
      expect(isDatabaseUnavailable(runaway.error)).toBe(true);
      expect(runaway.ms).toBeLessThan(TIMEOUT_MS + 1500);
      // An idle connection is not timed out by the watchdog.
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS + 2500));
      expect(await pool.db.execute(q`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  }, 60_000);

  it('does not call an ordinary query error "unavailable"', async () => {
    const pool = createBoundedDatabase(server.url, { max: 1 }, TIMEOUT_MS);
    try {
      const failed = await timed(() => pool.db.execute(q`select * from no_such_table`));
      expect(failed.error).toBeDefined();
      expect(isDatabaseUnavailable(failed.error)).toBe(false);
      expect((failed.error as { digest?: string }).digest).toBeUndefined();
    } finally {
      await pool.sql.end({ timeout: 1 });
    }
  });
});
