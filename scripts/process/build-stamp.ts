// What `npm run demo` built from, kept beside the build (<distDir>/ntc-build.json), so a restart reuses the build when
// nothing it depends on changed. Rebuilding on every start took 18–82 s and changed the Server Action ids, so an
// author with the editor open lost their text on Save after a restart.
// A build depends on: the sources (hashed file by file, so the message can name what changed), the settings baked
// into it (env below, the Server Actions key), Node and Next, and the database it prerendered from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

/** The files and folders whose content goes into the build (or decides what it prerenders: migrations, seed). */
export const BUILD_INPUTS = [
  'app', 'lib', 'db', 'packages/cache-handlers', 'metrics', 'public', 'proxy.ts', 'instrumentation.ts', 'next.config.ts',
  'package.json', 'package-lock.json', 'postcss.config.mjs', 'tailwind.config.ts', 'tailwind.config.js', 'tsconfig.json',
];

/**
 * Environment read while building or prerendering (absolute URLs, cache and edge wiring, the sign-in hint, an adapter
 * changing the config). Stored hashed: some hold credentials. NEXT_SERVER_ACTIONS_ENCRYPTION_KEY salts the Server
 * Action ids.
 */
export const BUILD_ENV = [
  'NEXT_SERVER_ACTIONS_ENCRYPTION_KEY', 'NEXT_DEPLOYMENT_ID', 'SITE_URL', 'PORT', 'NEXT_DIST_DIR', 'INVENTORY_API_URL',
  'CACHE_DIR', 'REDIS_URL', 'CACHE_KEY_PREFIX', 'EDGE_PURGE_URL', 'DEMO_ACCOUNTS', 'NODE_ENV', 'NEXT_ADAPTER_PATH',
];

const STAMP_FILE = 'ntc-build.json';
/** What `next start` needs from a finished build; `next build` writes BUILD_ID last among them. */
const BUILD_FILES = ['BUILD_ID', 'routes-manifest.json', 'prerender-manifest.json', 'required-server-files.json'];

export interface BuildInputs {
  /** path → sha256 of its content */
  files: Record<string, string>;
  env: Record<string, string>;
  runtime: { node: string; next: string };
  /** The database the build prerendered from: its identity, its schema version and its content generation. */
  database: string;
}
export interface BuildStamp extends BuildInputs {
  version: 1;
  buildId: string;
  builtAt: string;
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The input files present under `root`: git's view (tracked and new, not ignored) when it is a checkout. */
function inputFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...BUILD_INPUTS], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    });
    // A tracked file deleted from the work tree is still listed: it is not an input any more.
    return [...new Set(out.split('\0').filter(Boolean))].filter((file) => existsSync(path.join(root, file))).sort();
  } catch {
    // Not a git checkout (a tarball): every file under the inputs.
    const files = BUILD_INPUTS.filter((input) => existsSync(path.join(root, input))).flatMap((input) =>
      statSync(path.join(root, input)).isDirectory()
        ? readdirSync(path.join(root, input), { recursive: true, encoding: 'utf8' }).map((name) => path.join(input, name))
        : [input],
    );
    return files.filter((file) => statSync(path.join(root, file)).isFile()).map((file) => file.split(path.sep).join('/')).sort();
  }
}

function nextVersion(root: string): string {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules/next/package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The database as far as a build depends on it. TRUNCATE (the seed's) gives a table a new relfilenode, so a reseed
 * made while the demo was stopped is seen; edits made through the app are not in it (its invalidations, journaled in
 * CACHE_DIR, keep the build's pages fresh). The migrations applied say the schema.
 */
export async function databaseStamp(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const server = await sql`select system_identifier::text as id from pg_control_system()`
      .then((rows) => rows[0].id as string)
      // Not a superuser: the server's address stands in for its identity.
      .catch(() => new URL(url).host);
    const [row] = await sql`
      select current_database() as db,
        (select oid::text from pg_database where datname = current_database()) as oid,
        (select string_agg(relname || ':' || relfilenode, ',' order by relname) from pg_class
          where relkind = 'r' and relnamespace = 'public'::regnamespace) as tables,
        (select count(*)::int from drizzle.__drizzle_migrations) as migrations`;
    return sha(JSON.stringify({ server, ...row }));
  } finally {
    await sql.end();
  }
}

export function buildInputs(root: string, env: Record<string, string | undefined>, database: string): BuildInputs {
  return {
    files: Object.fromEntries(inputFiles(root).map((file) => [file, sha(readFileSync(path.join(root, file)))])),
    env: Object.fromEntries(BUILD_ENV.map((name) => [name, env[name] ? sha(`${name}=${env[name]}`).slice(0, 16) : ''])),
    runtime: { node: process.version, next: nextVersion(root) },
    database,
  };
}

/** The id of the finished build in `distDir`, or null if there is none (never built, or interrupted). */
export function completeBuildId(distDir: string): string | null {
  if (!BUILD_FILES.every((file) => existsSync(path.join(distDir, file)))) return null;
  return readFileSync(path.join(distDir, 'BUILD_ID'), 'utf8').trim() || null;
}

function readStamp(distDir: string): BuildStamp | null {
  try {
    const stamp = JSON.parse(readFileSync(path.join(distDir, STAMP_FILE), 'utf8')) as BuildStamp;
    return stamp.version === 1 ? stamp : null;
  } catch {
    return null;
  }
}

export function writeStamp(distDir: string, inputs: BuildInputs): BuildStamp {
  const buildId = completeBuildId(distDir);
  if (!buildId) throw new Error(`next build finished without a complete build in ${distDir}`);
  const stamp: BuildStamp = { version: 1, buildId, builtAt: new Date().toISOString(), ...inputs };
  writeFileSync(path.join(distDir, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
  return stamp;
}

/** Removed before building: an interrupted build must never look like the stamped one. */
export function clearStamp(distDir: string) {
  rmSync(path.join(distDir, STAMP_FILE), { force: true });
}

const some = (names: string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));

/** Why the build in `distDir` cannot be reused for `current`; an empty list when it can. */
export function rebuildReasons(distDir: string, current: BuildInputs): string[] {
  const buildId = completeBuildId(distDir);
  if (!buildId) return [`No complete build in ${distDir} yet`];
  const stamp = readStamp(distDir);
  if (!stamp || stamp.buildId !== buildId) return [`The build in ${distDir} was not made by \`npm run demo\` (or was replaced since)`];
  const reasons: string[] = [];
  const names = new Set([...Object.keys(stamp.files), ...Object.keys(current.files)]);
  const changed = [...names].filter((file) => stamp.files[file] !== current.files[file]).sort();
  if (changed.length) reasons.push(`Sources changed since the last build (${some(changed)})`);
  const settings = BUILD_ENV.filter((name) => (stamp.env[name] ?? '') !== current.env[name]);
  if (settings.length) reasons.push(`Build settings changed since the last build (${some(settings)})`);
  if (stamp.runtime.node !== current.runtime.node || stamp.runtime.next !== current.runtime.next) {
    reasons.push(
      `Node.js or Next.js changed since the last build (Node ${stamp.runtime.node} → ${current.runtime.node}, Next ${stamp.runtime.next} → ${current.runtime.next})`,
    );
  }
  if (stamp.database !== current.database) {
    reasons.push('The database changed since the last build (reseeded, migrated, or another database): its prerendered pages are out of date');
  }
  return reasons;
}
