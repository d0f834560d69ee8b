// A failed query's parameters never reach a log (a timed-out session lookup was logged with its live session
// token). Whatever logs a database error — console.error, Next's error log, better-auth's logger — prints it with
// util.inspect/format, so that output is what is checked here. tests/integration/query-parameters-log.test.ts
// checks a real statement timeout.
import { format, inspect } from 'node:util';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '@/db/client';
import { isDatabaseUnavailableDigest } from '@/db/unavailable';

const TOKEN = 'sess_tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const HASH = 'scrypt$16384$8$1$c2FsdA$aGFzaA';

/** What postgres.js rejects a query with: its parameters defined on the error, enumerable when `debug` is set. */
function postgresError(message: string, code: string, parameters: unknown[]) {
  const error = Object.assign(new Error(message), { name: 'PostgresError', code, severity: 'ERROR', detail: `Key (token)=(${TOKEN}) already exists.` });
  Object.defineProperties(error, {
    query: { value: 'select * from "session" where "session"."token" = $1', enumerable: true },
    parameters: { value: parameters, enumerable: true },
    args: { value: parameters, enumerable: true },
  });
  return error;
}

/** Everything a logger could print for `error`: console.error's formatting, deep inspection, JSON, the stack. */
function printed(error: unknown): string {
  const e = error as { stack?: string; message?: string };
  return [format('%s', error), format(error), inspect(error, { depth: 10, showHidden: false }), JSON.stringify(error), e.stack, e.message].join('\n');
}

describe('a failed query in a log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a timed-out session lookup (drizzle around postgres.js) is printed without its parameters', () => {
    const cause = postgresError('canceling statement due to statement timeout', '57014', [TOKEN, HASH]);
    const error = new DrizzleQueryError('select "id", "token" from "session" where "session"."token" = $1', [TOKEN, HASH], cause);
    const out = printed(error);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(HASH);
    // What it is still says what failed and why.
    expect(out).toContain('where "session"."token" = $1');
    expect(out).toContain('statement timeout');
    expect((error.cause as { code?: string }).code).toBe('57014');
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailableDigest((error as unknown as { digest?: string }).digest)).toBe(true);
  });

  it('console.error of it writes no parameter', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    const error = new DrizzleQueryError('update "session" set "expires_at" = $1 where "token" = $2', [new Date(0), TOKEN], postgresError('deadlock detected', '40P01', [TOKEN]));
    console.error('[revalidate] delivery failed:', error);
    console.error(error);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('a query cancelled while waiting for a connection (DatabaseUnavailableError) is printed without them', () => {
    const error = new DatabaseUnavailableError('No database connection became free within 5000 ms', {
      cause: postgresError('canceling statement due to user request', '57014', [TOKEN]),
    });
    expect(printed(error)).not.toContain(TOKEN);
    expect(printed(new DrizzleQueryError('select $1', [TOKEN], error))).not.toContain(TOKEN);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('a unique violation keeps its code, for the callers that look for 23505', () => {
    const error = new DrizzleQueryError('insert into "session" ("token") values ($1)', [TOKEN], postgresError('duplicate key value', '23505', [TOKEN]));
    expect((error.cause as { code?: string }).code).toBe('23505');
    expect(printed(error)).not.toContain(TOKEN);
  });
});
