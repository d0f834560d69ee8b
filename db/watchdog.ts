// A socket for postgres.js that gives up on a database that stopped answering.
//
// postgres.js bounds only the connection handshake (connect_timeout). Once a query is written it waits for the
// reply for ever: with the database frozen (its processes stopped, a VM paused, a network path gone quiet) the
// kernel still accepts the bytes, no error ever comes, and every request that reads the database hangs. The
// server's statement_timeout cannot help, since a frozen server does not run it.
//
// This socket counts the replies it is owed: one ReadyForQuery ('Z') for the startup message, and one for every
// Sync ('S') or simple Query ('Q') sent. While a reply is owed, the server must send *something* within
// `replyTimeoutMs`; otherwise the socket is destroyed with DatabaseUnavailableError. postgres.js then fails the
// queries on that connection with that error and opens a new connection for the next query, so the pool recovers
// by itself as soon as the database answers again. An idle connection owes nothing and is never timed out here.
import net from 'node:net';

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
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
    const received = messageCounter(new Set([READY_FOR_QUERY]), { untypedFirst: false });
    let owed = 0;
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
      if (replies > 0) {
        owed += replies;
        if (!timer) arm();
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;

    socket.on('data', (chunk: Buffer) => {
      owed = Math.max(0, owed - received(chunk));
      // Any bytes are progress (a long result arrives in many chunks); silence while a reply is owed is not.
      if (owed > 0) arm();
      else stop();
    });
    socket.on('close', stop);
    return socket;
  };
}
