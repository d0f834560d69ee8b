// npm run bench [-- --posts 100000 --duration 5 --connections 50 --invalidations 20 --json FILE]
//               [-- --shared-cache --flood 10000] [-- --memory --minutes 3 --max-rss-mb 500]
// One run on this machine, loopback only, side by side: what a request costs on each path a page can take, and how
// long an invalidation takes to show (docs/benchmark.md: every row and figure). On a fresh embedded database
// (pg_stat_statements counts the queries each request costs) and a redis-server of its own, it builds the app and a
// variant whose caches store nothing (scripts/bench/variant.mjs), and starts: instances A and B of the app sharing
// that Redis (one deployment), the edge (Varnish) in front of A, C of the variant, and nginx serving the cached post
// page's bytes from a file. Rows (each: 20 requests one at a time, then under load): / from A · a cached post page
// from A · the same through the edge · from C · a never-seen post from A (a miss) · a never-seen list page · nginx.
// Then invalidation → fresh ('expire' and 'max'): one instance, across two instances, at the edge. Then the ratios.
// --shared-cache also builds the app with Next's own handlers: hit rows for it and for the app without Redis, what a
// flood of invented URLs leaves in memory, on disk and in Redis, and a restarted instance's first requests.
// --memory measures instead one instance's memory under mixed traffic (scripts/bench/memory.ts).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { decodeCursor, encodeCursor, PAGE_SIZE } from '@/db/queries/blog';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { bounded, cpuSeconds, invalidationToFresh, keepNextEnv, load, ms, sendWebhook, serveBytes, spread, supply, type Supply } from './bench/harness';
import { measureMemory } from './bench/memory';
import { fmt, printRatios, printTables, ratios, writeJson, type Invalidation, type Row } from './bench/report';
import { floodAndRestart } from './bench/shared-cache';
import { NEXT_BIN, NGINX_MISSING, deploymentEnv, findNginx, startCluster, startProcess, waitForHttp, type Cluster } from './cluster-env';
import { VARNISH_MISSING, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets } from './local-secret';
import { Shutdown } from './process/supervise';
import { withServerHeapBound } from './server-heap';
import { RedisServer } from '../packages/cache-handlers/test/redis-server';
import { embeddedTestDatabase, freePort } from './test-env';

const began = performance.now();
const { values } = parseArgs({
  options: {
    posts: { type: 'string' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string' },
    invalidations: { type: 'string', default: '20' },
    json: { type: 'string' },
    'shared-cache': { type: 'boolean', default: false },
    flood: { type: 'string', default: '10000' },
    memory: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '3' },
    'max-rss-mb': { type: 'string', default: '500' },
  },
});
// Bounded, so that a run always ends by itself (the defaults take a few minutes on 2 cores).
const options = {
  posts: bounded('posts', values.posts ?? (values.memory ? '2000' : '100000'), 1_000, 200_000),
  duration: bounded('duration', values.duration, 1, 30),
  connections: bounded('connections', values.connections ?? (values.memory ? '10' : '50'), 1, 200),
  invalidations: bounded('invalidations', values.invalidations, 1, 200),
  flood: values['shared-cache'] ? bounded('flood', values.flood, 100, 50_000) : 0,
  minutes: bounded('minutes', values.minutes, 0.5, 15),
  maxRssMb: bounded('max-rss-mb', values['max-rss-mb'], 50, 10_000),
};
if (!values.memory && !findVarnishd()) throw new Error(VARNISH_MISSING);
if (!values.memory && !findNginx()) throw new Error(NGINX_MISSING);

/** Requests sent one after the other for the "one request at a time" figure. */
const SINGLE = 20;
/** CACHE_MAX_ENTRIES under --shared-cache: a fifth of the flood, so that the flood shows the bound holding. */
const FLOOD_BOUND = Math.ceil(options.flood / 5);
/** Pages A caches before B restarts, under --shared-cache: B's first requests. Within the bound, or they are evicted. */
const RESTART_PAGES = Math.min(200, Math.floor(FLOOD_BOUND / 2));
type Variant = 'app' | 'no-cache' | 'next-handlers';
const distDir = (variant: Variant) => `.next-bench-${variant}`;
const say = (line: string) => console.log(`▸ ${line}`);
const since = (t: number) => (performance.now() - t) / 1000;

// The children's output is kept, not shown: the last lines are printed if the run fails.
const tail: string[] = [];
const keep = (line: string) => tail.push(line) > 60 && tail.shift();

const shutdown = new Shutdown();
shutdown.exitCode = 130;
shutdown.onSignals((signal) => say(`${signal}: stopping everything this bench started`));
const unlessStopping = () => shutdown.unlessStopping();
// A process that ends before the shutdown (a crash, or stopped from outside) makes every later figure meaningless.
const lost: string[] = [];
const watch = (name: string, proc: { exited: Promise<number> }) =>
  void proc.exited.then((code) => !shutdown.started && lost.push(`${name} exited (code ${code})`));
const checkAlive = () => {
  if (lost.length > 0) throw new Error(`${lost.join(', ')} during the run`);
};

/** The database seeded, a redis-server, and the environment of each variant of the app. */
async function setUp() {
  say('Starting an embedded PostgreSQL (with pg_stat_statements) and a redis-server of its own');
  const database = await embeddedTestDatabase(['shared_preload_libraries=pg_stat_statements']);
  shutdown.add('the database', { stop: () => database.drop() });
  shutdown.add('the builds', { stop: async () => (['app', 'no-cache', 'next-handlers'] as const).forEach((v) => rmSync(distDir(v), { recursive: true, force: true })) });
  const restoreNextEnv = shutdown.add('next-env.d.ts', { stop: keepNextEnv() });
  const redis = shutdown.add('redis-server', new RedisServer(await freePort()));
  await redis.start();
  watch('redis-server', redis);
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  shutdown.add('the database client', { stop: () => sql.end({ timeout: 1 }) });
  await unlessStopping();
  await runMigrations(database.url);
  const started = performance.now();
  say(`Seeding ${fmt(options.posts)} posts`);
  const seeding = createDatabase(database.url, { max: 1 });
  await seed(seeding.db, { posts: options.posts }).finally(() => seeding.sql.end());
  const seedSeconds = since(started);
  await sql`create extension if not exists pg_stat_statements`;
  const secrets = appSecrets();
  const deployment = deploymentEnv({});
  const env = (variant: Variant, more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    ...secrets,
    ...deployment,
    DATABASE_URL: database.url,
    NEXT_DIST_DIR: distDir(variant),
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_ADAPTER_PATH: variant === 'app' ? '' : path.resolve('scripts/bench/variant.mjs'),
    NTC_BENCH_VARIANT: variant,
    // The invalidation loop is the only client: the webhook's per-client limit would stop it.
    REVALIDATE_RATE_LIMIT: '100000',
    // Nothing from the caller's shell may change what is measured; the metrics are read without a token.
    ...Object.fromEntries(['REDIS_URL', 'CACHE_DIR', 'CACHE_MEMORY_MB', 'CACHE_MAX_ENTRIES', 'EDGE_PURGE_URL', 'METRICS_TOKEN'].map((name) => [name, ''])),
    ...more,
  });
  return { sql, redis, seedSeconds, secret: parseSecrets(secrets.REVALIDATE_SECRET)[0], env, restoreNextEnv };
}
export type Lab = Awaited<ReturnType<typeof setUp>>;

/** `next build` with its output kept back; how long it took, in seconds. */
async function build(env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  say(`Building into ${env.NEXT_DIST_DIR}`);
  const code = await shutdown.add(`next build (${env.NEXT_DIST_DIR})`, startProcess('build', process.execPath, [NEXT_BIN, 'build'], env, keep)).exited;
  await unlessStopping();
  if (code !== 0) throw new Error(`next build into ${env.NEXT_DIST_DIR} failed (exit code ${code})`);
  return since(started);
}

/** One `next start` on a free port, watched; its origin once it answers. */
async function serve(name: string, env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const proc = shutdown.add(name, startProcess(name, process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], withServerHeapBound(env), keep));
  await waitForHttp(`http://127.0.0.1:${port}/feed.xml`, proc, 120_000);
  watch(name, proc);
  return { origin: `http://127.0.0.1:${port}`, pid: proc.pid };
}

/** Statements the app has run in its database so far, and their execution time (the counting queries left out). */
async function statements(sql: postgres.Sql) {
  const [row] = await sql`select coalesce(sum(calls), 0)::bigint as n, coalesce(sum(total_exec_time), 0)::float8 as ms from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database()) and query not ilike '%pg_stat_statements%'`;
  return { count: Number(row.n), ms: Number(row.ms) };
}
/** The figures once they stop moving: renders still running when the load stopped finish their queries. */
async function settledStatements(sql: postgres.Sql) {
  let last = await statements(sql);
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await statements(sql);
    if (now.count === last.count) break;
    last = now;
  }
  return last;
}

interface RowSpec {
  id: string;
  label: string;
  servedBy: string;
  /** The process that answers, for its CPU time. */
  pid: number;
  origin: string;
  path?: string;
  /** Every request a URL never requested before. */
  misses?: Supply;
  /** The header that must say HIT on every request sent one at a time. */
  cached?: string;
  /** x-nextjs-cache must never say HIT (misses, the build without caches). */
  renders?: boolean;
}

/** One row: the page one request at a time (the median of SINGLE), then under load. */
async function measure(sql: postgres.Sql, spec: RowSpec): Promise<Row> {
  const { origin, misses } = spec;
  const { connections, duration } = options;
  const nextUrl = () => `${origin}${misses ? misses.next() : spec.path}`;
  // Warm-up: the page cached, or for misses the route's code loaded and optimised, as in a server that has been up a
  // while (the first misses of a fresh process took about a quarter longer here).
  for (let i = 0; i < (misses ? 20 : 5); i++) await fetch(nextUrl()).then((r) => r.arrayBuffer());
  const single: number[] = [];
  const beforeSingle = await statements(sql);
  for (let i = 0; i < SINGLE; i++) {
    const url = nextUrl();
    const t = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    single.push(performance.now() - t);
    const state = response.headers.get(spec.cached ?? 'x-nextjs-cache');
    if (response.status !== 200) throw new Error(`${spec.label}: ${url} answered ${response.status}`);
    if (spec.cached && state !== 'HIT') throw new Error(`${spec.label}: ${url} was not a cache hit (${spec.cached}: ${state})`);
    if (spec.renders && state === 'HIT') throw new Error(`${spec.label}: ${url} was a cache hit, not a render`);
  }
  const singleQueries = ((await statements(sql)).count - beforeSingle.count) / SINGLE;
  const oneAtATimeMs = spread(single).p50;
  // Misses: about as many as one at a time would answer in `duration` (at least one per connection), all answered.
  const amount = misses ? Math.min(misses.left(), Math.max(connections, Math.round((duration * 1000) / oneAtATimeMs))) : 0;
  const [before, cpuBefore] = [await statements(sql), cpuSeconds(spec.pid)];
  const { result, firstError } = await load(misses ? origin : `${origin}${spec.path}`, connections, duration, misses && { nextPath: misses.next, amount });
  const [cpuAfter, after] = [cpuSeconds(spec.pid), await settledStatements(sql)];
  checkAlive();
  const errors = result.non2xx + result.errors;
  if (errors > 0) {
    const codes = `status codes ${JSON.stringify(result.statusCodeStats)}${firstError ? `, first error ${firstError}` : ''}`;
    throw new Error(`${spec.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load (${codes}): the figures would mean nothing`);
  }
  // autocannon counts the requests it sent in `requests.sent` (not in its types).
  const sent = Math.max(1, (result.requests as { sent?: number }).sent ?? result.requests.total);
  const row: Row = {
    id: spec.id,
    label: spec.label,
    servedBy: spec.servedBy,
    // Misses: every request answered, over the time they took; the others: autocannon's per-second average.
    requestsPerSecond: misses ? result.requests.total / result.duration : result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    oneAtATimeMs,
    dbQueriesPerRequest: (after.count - before.count) / sent,
    dbQueriesPerRequestOneAtATime: singleQueries,
    dbMsPerRequest: (after.ms - before.ms) / sent,
    cpuMsPerRequest: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total),
    requests: result.requests.total,
    errors,
  };
  const cpu = row.cpuMsPerRequest === null ? '–' : ms(row.cpuMsPerRequest);
  say(`  ${row.label} (${row.servedBy}): ${fmt(row.requestsPerSecond)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, one at a time ${ms(oneAtATimeMs)}, CPU/request ${cpu}`);
  await unlessStopping();
  return row;
}

/** The cached post (the newest, which the build prerenders), and URLs no one has requested yet. */
async function targets(sql: postgres.Sql) {
  const [hit] = await sql<{ id: number; slug: string; title: string }[]>`
    select id, slug, title from posts where status = 'published' order by published_at desc, id desc limit 1`;
  // The oldest posts: never prerendered (generateStaticParams lists only the newest 20, lib/blog.ts); the newest 100
  // are left out to stay clear of them.
  const old = await sql<{ id: number; slug: string; at: Date }[]>`
    select id, slug, published_at as at from posts where status = 'published'
    and id not in (select id from posts where status = 'published' order by published_at desc, id desc limit 100)
    order by published_at asc, id asc`;
  // A list page's cursor is the time and id of the row before it (db/queries/blog.ts); the oldest PAGE_SIZE are left
  // out so that every page is a full one, deep in the list (past about 55,000 posts the seed dates them before 1970).
  const cursors = old.slice(PAGE_SIZE).map((p) => encodeCursor({ at: p.at, id: p.id }));
  if (cursors.some((c) => decodeCursor(c) === null)) throw new Error('the app refuses a cursor it made');
  // The newest of them stay unrequested for --shared-cache's restart.
  const posts = old.map((p) => `/posts/${p.slug}`);
  const split = posts.length - RESTART_PAGES;
  return { hit, postMisses: supply(posts.slice(0, split)), restartPaths: posts.slice(split), listMisses: supply(cursors.map((c) => `/archive/${c}`)) };
}

/** Builds every variant, then starts A and B, the edge in front of A, C, nginx, and with --shared-cache D and E. */
async function startAll(lab: Lab, hitPath: string) {
  const [edgePort, purgeSecret] = [await freePort(), newPurgeSecret()];
  const bound: Record<string, string> = options.flood ? { CACHE_MAX_ENTRIES: String(FLOOD_BOUND) } : {};
  // The instances purge the edge, which is the public origin.
  const edgeEnv = { EDGE_PURGE_URL: `http://127.0.0.1:${edgePort}/`, EDGE_PURGE_SECRET: purgeSecret, SITE_URL: `http://127.0.0.1:${edgePort}` };
  const appEnv = lab.env('app', { REDIS_URL: lab.redis.url, ...edgeEnv, ...bound });
  const envs = { app: appEnv, 'no-cache': lab.env('no-cache'), ...(options.flood ? { 'next-handlers': lab.env('next-handlers', bound) } : {}) };
  const buildSeconds: Record<string, number> = {};
  for (const [variant, env] of Object.entries(envs)) buildSeconds[variant] = await build(env);
  await lab.restoreNextEnv.stop();

  say('Starting A and B (one Redis), the edge in front of A, C (no caches) and nginx');
  const running: { cluster?: Cluster } = {};
  shutdown.add('instances A and B', { stop: async () => running.cluster?.stop() });
  const [cluster, C] = await Promise.all([startCluster({ env: appEnv, distDir: distDir('app'), log: keep }), serve('instance C', envs['no-cache'])]);
  running.cluster = cluster;
  for (const name of ['a', 'b'] as const) watch(`instance ${name.toUpperCase()}`, cluster.instances[name].proc()!);
  await unlessStopping();
  const backends = [{ name: 'a', host: '127.0.0.1', port: cluster.instances.a.port }];
  const edge = shutdown.add('the edge', await startEdge({ port: edgePort, backends, purgeSecret, distDir: distDir('app'), log: keep }));
  watch('the edge', edge.proc);
  // nginx serves exactly the bytes A answers for the cached post.
  const nginx = shutdown.add('nginx', await serveBytes(await (await fetch(`${cluster.urlA}${hitPath}`)).text(), keep));
  watch('nginx', nginx.proc);
  // D: Next's own handlers; E: the app's build without Redis (its entries in files, CACHE_DIR in its build directory).
  const D = options.flood ? await serve("instance D (Next's handlers)", envs['next-handlers']!) : undefined;
  const E = options.flood ? await serve('instance E (no Redis)', { ...appEnv, REDIS_URL: '', EDGE_PURGE_URL: '' }) : undefined;
  await unlessStopping();
  return { cluster, C, D, E, edge, nginx, buildSeconds };
}

async function measureAll(lab: Lab) {
  const { sql } = lab;
  const { hit, postMisses, listMisses, restartPaths } = await targets(sql);
  const hitPath = `/posts/${hit.slug}`;
  const { cluster, C, D, E, edge, nginx, buildSeconds } = await startAll(lab, hitPath);
  const A = { origin: cluster.urlA, pid: cluster.instances.a.proc()!.pid };

  say(`Measuring each row: ${SINGLE} requests one at a time, then ${options.connections} connections for ${options.duration} s`);
  const misses = `at ${fmt(options.posts)} posts`;
  const specs: (RowSpec | false)[] = [
    { id: 'static', label: 'static page (/)', servedBy: 'next start, A', ...A, path: '/', cached: 'x-nextjs-cache' },
    { id: 'hit', label: 'cached post page (hit)', servedBy: 'next start, A', ...A, path: hitPath, cached: 'x-nextjs-cache' },
    !!E && { id: 'hit-no-redis', label: 'cached post page (hit)', servedBy: 'next start, E (no Redis)', ...E, path: hitPath, cached: 'x-nextjs-cache' },
    !!D && { id: 'hit-next-handlers', label: 'cached post page (hit)', servedBy: "next start, D (Next's own handlers)", ...D, path: hitPath, cached: 'x-nextjs-cache' },
    { id: 'edge', label: 'cached post page (hit)', servedBy: 'the edge (Varnish) in front of A', origin: edge.url, pid: edge.proc.pid, path: hitPath, cached: 'x-edge-cache' },
    { id: 'uncached', label: 'the same post, rendered from the database', servedBy: 'next start, C (no caches)', ...C, path: hitPath, renders: true },
    { id: 'post-miss', label: `never-seen post (miss) ${misses}`, servedBy: 'next start, A', ...A, misses: postMisses, renders: true },
    { id: 'list-miss', label: `never-seen list page (miss) ${misses}`, servedBy: 'next start, A', ...A, misses: listMisses, renders: true },
    { id: 'nginx', label: "the cached post page's bytes from a file", servedBy: 'nginx', origin: nginx.url, pid: nginx.proc.pid, path: '/' },
  ];
  const rows: Row[] = [];
  for (const spec of specs) if (spec) rows.push(await measure(sql, spec));

  say(`Invalidation → fresh, ${options.invalidations} times per mode and target`);
  const invalidations: Invalidation[] = [];
  const where = [['one instance', A.origin, A.origin, 'x-nextjs-cache'], ['across two instances', A.origin, cluster.urlB, 'x-nextjs-cache'], ['the edge', edge.url, edge.url, 'x-edge-cache']];
  for (const [target, send, read, cachedHeader] of where) {
    for (const mode of ['expire', 'max'] as const) {
      const runs = await invalidationToFresh({ sql, post: hit, mode, runs: options.invalidations, send: (t, m) => sendWebhook(send, lab.secret, t, m), url: `${read}${hitPath}`, cachedHeader });
      const { p50, p99, max } = spread(runs.map((r) => r.sentToFreshMs));
      const stale = runs.map((r) => r.stale);
      invalidations.push({ target, mode, runs: runs.length, p50Ms: p50, p99Ms: p99, maxMs: max, oldTitleRuns: stale.filter((n) => n > 0).length, oldTitleMost: Math.max(...stale) });
      checkAlive();
      say(`  ${target}, ${mode}: p50 ${ms(p50)}, p99 ${ms(p99)}, old title served in ${invalidations.at(-1)!.oldTitleRuns} of ${runs.length} runs`);
      await unlessStopping();
    }
  }
  const shared =
    D && E
      ? await floodAndRestart({ flood: options.flood, bound: FLOOD_BOUND, redisUrl: lab.redis.url, cluster, restartPaths, say, checkAlive, servers: [
          { handlers: "Next's own handlers", origin: D.origin, distDir: distDir('next-handlers') },
          { handlers: 'ours, no Redis', origin: E.origin, distDir: distDir('app') },
          { handlers: 'ours, Redis', origin: A.origin, distDir: cluster.instances.a.distDir, redis: true },
        ] })
      : undefined;
  return { rows, invalidations, shared, phases: { seedSeconds: lab.seedSeconds, buildSeconds } };
}

let measured: Awaited<ReturnType<typeof measureAll>> | undefined;
let memoryCode: number | undefined;
let failure: unknown;
try {
  const lab = await setUp();
  if (values.memory) memoryCode = await measureMemory(lab, { ...options, build, serve, say, json: values.json });
  else measured = await measureAll(lab);
} catch (error) {
  failure = error;
} finally {
  say('Stopping everything this bench started');
  await shutdown.run();
}
if (failure !== undefined) {
  if (tail.length) console.error(`Last lines from the processes it ran:\n${tail.join('\n')}`);
  console.error(`\nbench failed: ${failure instanceof Error ? failure.message : failure}`);
  process.exit(1);
}
if (measured) {
  const { rows, invalidations, shared, phases } = measured;
  const seconds = since(began);
  console.log(`\n${fmt(options.posts)} posts, ${options.connections} connections, ${options.duration} s per row, 127.0.0.1, Node ${process.version}\n`);
  printTables(rows, invalidations, shared);
  const figures = ratios(rows);
  printRatios(rows, figures, options.posts, shared);
  const builds = Object.entries(phases.buildSeconds).map(([variant, s]) => `${variant} ${s.toFixed(1)} s`);
  console.log(`\nseeding ${phases.seedSeconds.toFixed(1)} s, builds: ${builds.join(', ')}; finished in ${seconds.toFixed(0)} s`);
  const json = { posts: options.posts, options: { ...options, oneAtATime: SINGLE }, rows, invalidations, sharedCache: shared, ratios: figures, phases, seconds };
  if (values.json) writeJson(values.json, json);
}
process.exit(memoryCode ?? 0);
