// A query the server cancels (statement_timeout) and one that waits too long for a connection, through the app's
// own pool (drizzle over postgres.js, its `debug` hook on): what a logger prints of either holds no parameter.
import { format, inspect } from 'node:util';
import { eq, sql as q } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createBoundedDatabase, databaseUrl, isDatabaseUnavailable } from '@/db/client';
import { session } from '@/db/schema';

const TOKEN = `sess_tok_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const pool = createBoundedDatabase(databaseUrl(), { max: 1 }, 300);
afterAll(() => pool.sql.end({ timeout: 1 }));

const printed = (error: unknown) => [format(error), format('%s', error), inspect(error, { depth: 10 }), JSON.stringify(error)].join('\n');

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail');
}

describe('a failed query in a log, against a real database', () => {
  it('a statement timeout of a session lookup is printed without the token', async () => {
    const error = await failure(() => pool.db.execute(q`select pg_sleep(5), ${TOKEN}::text as token`));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(printed(error)).toContain('statement timeout');
    expect(printed(error)).not.toContain(TOKEN);
  });

  it('a query still waiting for the connection when the wait ends is printed without the token', async () => {
    // The pool's one connection held past the queue's bound (300 ms + 2 s) by statements each under the timeout.
    const busy = pool.db
      .transaction(async (tx) => {
        for (let i = 0; i < 12; i++) await tx.execute(q`select pg_sleep(0.25)`);
      })
      .catch(() => null);
    const error = await failure(() => pool.db.select().from(session).where(eq(session.token, TOKEN)));
    await busy;
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(printed(error)).not.toContain(TOKEN);
  });
});
