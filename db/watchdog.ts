// A socket for postgres.js that gives up on a database that stopped answering.
//
// postgres.js bounds only the connection handshake (connect_timeout). Once a query is written it waits for the
// reply for ever: with the database frozen (its processes stopped, a VM paused, a network path gone quiet) the
// kernel still accepts the bytes, no error ever comes, and every request that reads the database hangs. The
// server's statement_timeout cannot help, since a frozen server does not run it.
//
// This socket counts the replies it is owed: one ReadyForQuery ('Z') for the startup message, and one for every
// Sync ('S') or simple Query ('Q') sent; a Flush ('H', which postgres.js sends to describe a new statement before
// running it) is owed whatever the server sends next. While a reply is owed, the server must send *something*
// within `replyTimeoutMs`; otherwise the socket is destroyed with DatabaseUnavailableError. postgres.js then fails
// the queries on that connection with that error and opens a new connection for the next query, so the pool
// recovers by itself as soon as the database answers again. An idle connection owes nothing and is never timed out.
//
// A query that waits for a free connection is not on any socket yet: `boundQueueWait` bounds that wait.
import net from 'node:net';
import type postgres from 'postgres';

// What postgres.js (`parameters`, `args`, `types`) and drizzle (`params`) attach to a failed query's error, and
// PostgreSQL's `detail`, which can quote a value ("Key (token)=(…) already exists"). Never logged: see db/client.ts.
const PARAMETER_KEYS = new Set(['params', 'parameters', 'args', 'types', 'detail']);

/**
 * A copy of `error` and its `cause` chain without query parameters. postgres.js defines them non-configurable, so
 * they cannot be deleted from the error itself; the copy keeps its prototype (instanceof), code, message and stack.
 */
export function withoutParameters(error: unknown, depth = 0): unknown {
  if (!error || typeof error !== 'object' || depth > 10) return error;
  const descriptors = Object.getOwnPropertyDescriptors(error);
  if (!Object.keys(descriptors).some((key) => PARAMETER_KEYS.has(key) || key === 'cause')) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as object;
  for (const [key, descriptor] of Object.entries(descriptors)) {
    if (PARAMETER_KEYS.has(key)) continue;
    if (key === 'cause' && 'value' in descriptor) descriptor.value = withoutParameters(descriptor.value, depth + 1);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    // Its cause is a failed query's error (boundQueueWait below): kept without that query's parameters.
    super(message, options?.cause === undefined ? options : { cause: withoutParameters(options.cause) });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Counts complete backend/frontend protocol messages of the given types in a byte stream split anyhow. */
function messageCounter(types: Set<number>, { untypedFirst }: { untypedFirst: boolean }) {
  let pending: Buffer = Buffer.alloc(0);
  let first = untypedFirst;
  return (chunk: Buffer): number => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let counted = 0;
    for (;;) {
      if (first) {
        // The startup (or cancel) message has no type byte: Int32 length, then the body.
        if (pending.length < 4) break;
        const length = pending.readUInt32BE(0);
        if (pending.length < length) break;
        pending = pending.subarray(length);
        first = false;
        counted += 1; // answered by ReadyForQuery once authenticated
        continue;
      }
      if (pending.length < 5) break;
      const length = pending.readUInt32BE(1);
      if (pending.length < length + 1) break;
      if (types.has(pending[0])) counted += 1;
      pending = pending.subarray(length + 1);
    }
    return counted;
  };
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FLUSH = 0x48; // 'H'
const READY_FOR_QUERY = 0x5a; // 'Z'

interface SocketOptions {
  host?: string[];
  port?: number[];
  path?: string;
  ssl?: unknown;
}

/**
 * `socket` option for postgres.js: a plain TCP (or Unix) socket with the watchdog described above.
 * With TLS the bytes it sees are encrypted, so it is not used then (only connect_timeout and statement_timeout
 * bound such connections).
 */
export function watchedSocket(replyTimeoutMs: number) {
  return (options: SocketOptions): net.Socket => {
    const socket = options.path
      ? net.connect(options.path)
      : net.connect({ host: options.host?.[0] ?? 'localhost', port: options.port?.[0] ?? 5432 });
    if (options.ssl) return socket;

    const sent = messageCounter(new Set([SYNC, QUERY]), { untypedFirst: true });
    const flushes = messageCounter(new Set([FLUSH]), { untypedFirst: true });
    const received = messageCounter(new Set([READY_FOR_QUERY]), { untypedFirst: false });
    let owed = 0;
    let flushed = false; // a Flush sent and nothing received since
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      timer = undefined;
    };
    const arm = () => {
      stop();
      timer = setTimeout(() => {
        socket.destroy(new DatabaseUnavailableError(`The database did not answer within ${replyTimeoutMs} ms`));
      }, replyTimeoutMs);
      timer.unref();
    };

    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      const replies = sent(bytes);
      if (flushes(bytes) > 0) flushed = true;
      owed += replies;
      if ((replies > 0 || flushed) && !timer) arm();
      return write(chunk, ...rest);
    }) as typeof socket.write;

    socket.on('data', (chunk: Buffer) => {
      owed = Math.max(0, owed - received(chunk));
      flushed = false;
      // Any bytes are progress (a long result arrives in many chunks); silence while a reply is owed is not.
      if (owed > 0) arm();
      else stop();
    });
    socket.on('close', stop);
    return socket;
  };
}

/**
 * Bounds the wait for a free connection. postgres.js queues a query while every connection is busy or still
 * connecting, and the watchdog above can only time a query once it is on a socket: with the database frozen, a
 * queue deeper than the pool drained in waves of one reply timeout each (20 queries on 2 connections: 30 s), and a
 * page render with its prefetches easily queues that many. A query still waiting after `waitMs` is cancelled:
 * postgres.js removes it from the queue and rejects it with SQLSTATE 57014 (which isDatabaseUnavailable knows).
 * A query already sent is left to the watchdog. Transactions (`begin`) are not bounded here: cancelling one that
 * then got a connection would race with its own writes; they fail as their connection attempt does.
 */
export function boundQueueWait<T extends postgres.Sql<{ [x: string]: unknown }>>(sql: T, waitMs: number): T {
  const bounded = <Q extends { cancel(): unknown }>(query: Q): Q => {
    // Not awaited here: postgres.js runs a query only when it is awaited, after the caller chose its format.
    setTimeout(() => {
      // postgres.js internals, stable across its 3.x releases: `state` is set once the query is on a connection,
      // and `reject` is how the pool fails it (a settled query ignores both).
      const internals = query as unknown as { state: unknown; reject: (error: unknown) => void };
      if (internals.state) return;
      const reject = internals.reject;
      internals.reject = (cause) =>
        reject(new DatabaseUnavailableError(`No database connection became free within ${waitMs} ms`, { cause }));
      void query.cancel();
    }, waitMs).unref();
    return query;
  };
  return new Proxy(sql, {
    apply: (target, self, args) => bounded(Reflect.apply(target, self, args)),
    get(target, property, receiver) {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver);
      const unsafe: T['unsafe'] = (...args) => bounded(target.unsafe(...args));
      return unsafe;
    },
  });
}
