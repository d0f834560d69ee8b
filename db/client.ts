import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import postgres from 'postgres';
import { getMetrics } from '../metrics/registry.mjs';
import * as schema from './schema';
import { DATABASE_UNAVAILABLE_DIGEST } from './unavailable';
import { boundQueueWait, DatabaseUnavailableError, watchedSocket, withoutParameters } from './watchdog';

export { DATABASE_UNAVAILABLE_DIGEST, DatabaseUnavailableError, withoutParameters };

export type Database = PostgresJsDatabase<typeof schema>;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set. Run the app through `npm run demo`, `npm start` or `npm run dev`, which start the ' +
        'embedded database for you, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  return url;
}

/** No custom types: postgres.js's built-in ones (drizzle maps the columns itself). */
type Options = postgres.Options<Record<string, never>>;

/** A pool, its every query counted in the metrics. */
function connect(url: string, options: Options) {
  // postgres.js calls `debug` once per query sent: the metrics count them (ntc_db_queries_total).
  const queries = getMetrics().dbQueries;
  return postgres(url, { max: 10, onnotice: () => {}, debug: () => queries.inc(), ...options });
}

export function createDatabase(url: string, options: Options = {}) {
  const sql = connect(url, options);
  return { sql, db: drizzle({ client: sql, schema }) };
}

/** A pool whose every wait for the database is bounded (see boundedOptions): what the app itself uses. */
export function createBoundedDatabase(url: string, options: Options = {}, timeoutMs = databaseTimeoutMs()) {
  const sql = boundQueueWait(connect(url, { ...options, ...boundedOptions(timeoutMs) }), replyTimeoutMs(timeoutMs));
  return { sql, db: drizzle({ client: sql, schema }) };
}

const replyTimeoutMs = (timeoutMs: number) => timeoutMs + 2000;

/**
 * Connections per process: `DATABASE_POOL_SIZE`, 10 by default. Anything but a positive integer falls back to 10:
 * postgres.js takes 0 (an empty variable) as a pool that never connects, and NaN as an error on every query.
 */
export function databasePoolSize(): number {
  const value = Number(process.env.DATABASE_POOL_SIZE || 10);
  return Number.isInteger(value) && value >= 1 ? value : 10;
}

/** How long the app waits for the database: `DATABASE_TIMEOUT_MS`, 5 s by default. */
export function databaseTimeoutMs(): number {
  const value = Number(process.env.DATABASE_TIMEOUT_MS ?? 5000);
  return Number.isFinite(value) && value >= 100 ? value : 5000;
}

/**
 * Bounds on every wait for the database, so a frozen or unreachable one is a quick, recognisable error (and the
 * error page says so) rather than a request that hangs. Without them postgres.js waits 30 s to connect and for
 * ever for a reply.
 * - statement_timeout: the server cancels a query that runs longer than `timeoutMs`.
 * - the watchdog socket (db/watchdog.ts): a server that sends nothing for `timeoutMs` + 2 s while a reply is owed
 *   (frozen: statement_timeout never fires) loses the connection, and its queries fail with DatabaseUnavailableError.
 * - connect_timeout: a new connection that is not ready in that time fails (the watchdog covers it first).
 * - the wait for a free connection: cancelled after the same time (createBoundedDatabase, db/watchdog.ts).
 * - backoff: reconnecting waits at most 1 s (postgres.js grows it to 20 s), so the app is back as soon as the
 *   database is.
 */
function boundedOptions(timeoutMs: number): Options {
  const replyTimeout = replyTimeoutMs(timeoutMs);
  return {
    connect_timeout: Math.ceil(replyTimeout / 1000) + 1,
    idle_timeout: 60,
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
    connection: { statement_timeout: timeoutMs, idle_in_transaction_session_timeout: timeoutMs * 2 },
    // Not in postgres.js's types, but a documented option: a function that returns the socket to use.
    ...({ socket: watchedSocket(replyTimeout) } as object),
  };
}

// postgres.js's own connection failures, Node's socket errors, and PostgreSQL's SQLSTATEs for "not now":
// query_canceled (statement_timeout), admin/crash shutdown, cannot_connect_now, too_many_connections, and the
// connection exception class 08.
const UNAVAILABLE_CODES = new Set([
  'DATABASE_UNAVAILABLE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** True when `error` (or any error in its `cause` chain, as drizzle wraps driver errors) means "the database is not answering". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  }
  return false;
}

/**
 * For code that calls a library which wraps database errors in its own (better-auth's APIError): rethrow a
 * "not answering" failure as DatabaseUnavailableError, so the error pages still recognise it.
 */
export function rethrowUnavailable(error: unknown): never {
  if (isDatabaseUnavailable(error) && !(error instanceof DatabaseUnavailableError)) {
    throw new DatabaseUnavailableError('The database is not answering', { cause: error });
  }
  throw error;
}

// Next.js sends a server error to the browser only as its `digest`: errors that mean "the database is not
// answering" get one the error pages recognise (db/unavailable.ts). Unique per error, so Next still logs each one.
function digestWhenUnavailable(prototype: object) {
  const own = new WeakMap<object, string>();
  Object.defineProperty(prototype, 'digest', {
    configurable: true,
    get(this: object) {
      if (!own.has(this) && isDatabaseUnavailable(this)) own.set(this, `${DATABASE_UNAVAILABLE_DIGEST}:${Math.random().toString(36).slice(2)}`);
      return own.get(this);
    },
    set(this: object, value: string) {
      own.set(this, value);
    },
  });
}
// Drizzle wraps every driver error in DrizzleQueryError; postgres.js rejects transactions with its own errors.
digestWhenUnavailable(DrizzleQueryError.prototype);
digestWhenUnavailable(DatabaseUnavailableError.prototype);

// No query parameter reaches a log: they hold session tokens, password hashes and whatever a form sent. Two
// libraries put them on the errors that every logger prints (console.error, Next's own error log, better-auth's):
// - drizzle's DrizzleQueryError writes them into its message ("params: …") and into an own `params` property;
// - postgres.js defines `parameters` and `args` on a failed query's error (and on its socket errors), enumerable
//   because `debug` is set (connect above), so util.inspect prints them. They are not configurable: they cannot
//   be removed from that error, only left out of a copy (withoutParameters, db/watchdog.ts).
// DrizzleQueryError's constructor assigns `query`, `params` and `cause` (this.x = …) after building its message:
// setters on its prototype see every instance as it is made, before anyone can log it.
function redactParameters(prototype: object) {
  const causes = new WeakMap<object, unknown>();
  Object.defineProperties(prototype, {
    params: {
      configurable: true,
      get: () => undefined,
      set(this: Error, params: unknown) {
        const count = Array.isArray(params) ? params.length : 0;
        this.message = `Failed query: ${(this as { query?: string }).query}\nparams: ${count} (not logged)`;
      },
    },
    cause: {
      configurable: true,
      get(this: object) {
        return causes.get(this);
      },
      set(this: object, cause: unknown) {
        causes.set(this, withoutParameters(cause));
      },
    },
  });
}
redactParameters(DrizzleQueryError.prototype);

// One pool per process. Kept on globalThis so `next dev` hot reloads reuse it instead of leaking pools.
const globalForDb = globalThis as unknown as { __ntcDb?: ReturnType<typeof createBoundedDatabase> };

/** The app's database, connected on first use (so importing this module never needs DATABASE_URL). */
export function getDb(): Database {
  globalForDb.__ntcDb ??= createBoundedDatabase(databaseUrl(), { max: databasePoolSize() });
  return globalForDb.__ntcDb.db;
}

/** A transaction handle; query functions that may run inside one accept `Executor`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;
