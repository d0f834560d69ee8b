// npm run bench [-- --posts 100000 --duration 5 --connections 50 --invalidations 20 --json FILE]
// One run on this machine, loopback only, side by side: what a request costs on each path a page can take, and how
// long an invalidation takes to show. On a fresh embedded database (pg_stat_statements counts the queries each
// request costs) and a redis-server of its own, it builds the app twice, normally and with caches that store nothing
// (NTC_BENCH_NO_CACHE=1, scripts/bench/*.cjs), and starts: instances A and B of the normal build sharing that Redis
// (one deployment), the edge (Varnish, deploy/varnish/) in front of A, instance C of the no-cache build, and nginx
// serving the cached post page's bytes from a file. Rows (each: 20 requests one at a time, then autocannon):
//   static page (/) from A · a cached post page from A · the same through the edge · the same from C (rendered from
//   the database on every request) · a never-seen post from A (a miss) · a never-seen list page from A · nginx.
// Then invalidation → fresh ('expire' and 'max'): one instance, across two instances, at the edge.
// Prints a Markdown table, the invalidation latencies and the ratios; `--json FILE` writes them for comparing runs.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { decodeCursor, encodeCursor, PAGE_SIZE } from '@/db/queries/blog';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { NEXT_BIN, NGINX_MISSING, deploymentEnv, findNginx, startCluster, startProcess, waitForHttp, type Cluster } from './cluster-env';
import { VARNISH_MISSING, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets } from './local-secret';
import { Shutdown } from './process/supervise';
import { RedisServer } from '../packages/cache-handlers/test/redis-server';
import { embeddedTestDatabase, freePort } from './test-env';
import {
  bounded,
  cpuSeconds,
  invalidationToFresh,
  keepNextEnv,
  load,
  median,
  ms,
  sendWebhook,
  serveBytes,
  spread,
  type Mode,
} from './bench/harness';

const began = performance.now();
const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    invalidations: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
// Bounded, so that a run always ends by itself (the defaults take under 5 minutes on 2 cores).
const posts = bounded('posts', values.posts, 1_000, 200_000);
const duration = bounded('duration', values.duration, 1, 30);
const connections = bounded('connections', values.connections, 1, 200);
const invalidations = bounded('invalidations', values.invalidations, 1, 200);
if (!findVarnishd()) throw new Error(VARNISH_MISSING);
if (!findNginx()) throw new Error(NGINX_MISSING);

/** Requests sent one after the other for the "one request at a time" figure. */
const SINGLE = 20;
const DIRS = { cached: '.next-bench-cached', uncached: '.next-bench-uncached' };
const say = (line: string) => console.log(`▸ ${line}`);
const since = (t: number) => (performance.now() - t) / 1000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// The children's output is kept, not shown: the last lines are printed if the run fails.
const tail: string[] = [];
const keep = (line: string) => {
  tail.push(line);
  if (tail.length > 60) tail.shift();
};

const shutdown = new Shutdown();
shutdown.onSignals(
  () => 130,
  (signal) => say(`${signal}: stopping everything this bench started`),
);
/** After a signal, start nothing more: the shutdown under way exits the process. */
const unlessStopping = () => (shutdown.started ? new Promise<never>(() => {}) : Promise.resolve());
// A process that ends before the shutdown (a crash, or stopped from outside) makes every later figure meaningless.
const lost: string[] = [];
const watch = (name: string, exited: Promise<number>) =>
  void exited.then((code) => {
    if (!shutdown.started) lost.push(`${name} exited (code ${code})`);
  });
const checkAlive = () => {
  if (lost.length > 0) throw new Error(`${lost.join(', ')} during the run`);
};

interface Row {
  id: string;
  label: string;
  servedBy: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Median of SINGLE requests sent one after the other. */
  oneAtATimeMs: number;
  /** Database statements per request sent under load (counted once they have all finished), and one at a time. */
  dbQueriesPerRequest: number;
  dbQueriesPerRequestOneAtATime: number;
  /** Time PostgreSQL spent executing those statements, per request under load. */
  dbMsPerRequest: number;
  /**
   * CPU time per request under load of the process that answers (every thread, and its children): on 2 cores shared
   * with the load generator and the database, the cost that req/s hides. Null where /proc is missing.
   */
  cpuMsPerRequest: number | null;
  /** Answered under load (misses: a fixed number, all answered; the others: as many as fit in the time). */
  requests: number;
  errors: number;
}
interface Invalidation {
  target: string;
  mode: Mode;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Runs in which the old title was served at least once, and the most times in one run. */
  oldTitleRuns: number;
  oldTitleMost: number;
}
/** Hands out each path once. */
const supply = (paths: string[]) => {
  let i = 0;
  return { next: () => (i < paths.length ? paths[i++] : undefined), left: () => paths.length - i };
};
type Supply = ReturnType<typeof supply>;

/** `next build` with its output kept back; how long it took, in seconds. */
async function build(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  say(`Building the ${label} app into ${env.NEXT_DIST_DIR}`);
  const proc = shutdown.add(`next build (${label})`, startProcess(`build ${label}`, process.execPath, [NEXT_BIN, 'build'], env, keep));
  const code = await proc.exited;
  await unlessStopping();
  if (code !== 0) throw new Error(`next build (${label}) failed (exit code ${code})`);
  say(`  built in ${since(started).toFixed(1)} s`);
  return since(started);
}

async function run() {
  say('Starting an embedded PostgreSQL (with pg_stat_statements) and a redis-server of its own');
  const database = await embeddedTestDatabase(['shared_preload_libraries=pg_stat_statements']);
  shutdown.add('the database', { stop: () => database.drop() });
  const restoreNextEnv = keepNextEnv();
  shutdown.add('next-env.d.ts', { stop: restoreNextEnv });
  shutdown.add('the builds', { stop: async () => Object.values(DIRS).forEach((dir) => rmSync(dir, { recursive: true, force: true })) });
  const redis = shutdown.add('redis-server', new RedisServer(await freePort()));
  await redis.start();
  watch('redis-server', redis.exited);
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  shutdown.add('the database client', { stop: () => sql.end({ timeout: 1 }) });
  await unlessStopping();

  await runMigrations(database.url);
  const started = performance.now();
  say(`Seeding ${fmt(posts)} posts`);
  const seeding = createDatabase(database.url, { max: 1 });
  await seed(seeding.db, { posts }).finally(() => seeding.sql.end());
  const seedSeconds = since(started);
  say(`  seeded in ${seedSeconds.toFixed(1)} s`);
  await sql`create extension if not exists pg_stat_statements`;
  /** Statements the app has run in its database so far, and their execution time (our own counting queries excluded). */
  const statements = async () => {
    const [row] = await sql`select coalesce(sum(calls), 0)::bigint as n, coalesce(sum(total_exec_time), 0)::float8 as ms from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and query not ilike '%pg_stat_statements%'`;
    return { count: Number(row.n), ms: Number(row.ms) };
  };
  /** The figures once they stop moving: renders still running when autocannon stopped finish their queries. */
  const settledStatements = async () => {
    let last = await statements();
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await statements();
      if (now.count === last.count) break;
      last = now;
    }
    return last;
  };

  // The cached post: the newest, which the build prerenders. The misses: the oldest posts, never prerendered
  // (generateStaticParams lists only the newest 20: lib/blog.ts); the newest 100 are left out to stay clear of them.
  const [hit] = await sql<{ id: number; slug: string; title: string }[]>`
    select id, slug, title from posts where status = 'published' order by published_at desc, id desc limit 1`;
  const old = await sql<{ id: number; slug: string; at: Date }[]>`
    select id, slug, published_at as at from posts where status = 'published'
    and id not in (select id from posts where status = 'published' order by published_at desc, id desc limit 100)
    order by published_at asc, id asc`;
  const postMisses = supply(old.map((p) => `/posts/${p.slug}`));
  // A list page's cursor is the time and id of the row before it (db/queries/blog.ts); the oldest PAGE_SIZE are left
  // out so that every page is a full one, deep in the list (past about 55,000 posts the seed dates them before 1970).
  const cursors = old.slice(PAGE_SIZE).map((p) => encodeCursor({ at: p.at, id: p.id }));
  if (cursors.some((c) => decodeCursor(c) === null)) throw new Error('the app refuses a cursor it made');
  const listMisses = supply(cursors.map((c) => `/archive/${c}`));

  const secrets = appSecrets();
  const [secret] = parseSecrets(secrets.REVALIDATE_SECRET);
  const purgeSecret = newPurgeSecret();
  const edgePort = await freePort();
  const common = {
    ...process.env,
    ...secrets,
    DATABASE_URL: database.url,
    NEXT_TELEMETRY_DISABLED: '1',
    // The invalidation loop is the only client: the webhook's per-client limit would stop it.
    REVALIDATE_RATE_LIMIT: '100000',
    // Nothing from the caller's shell may point the bench at a shared store.
    CACHE_DIR: '',
    NTC_BENCH_NEXT_HANDLERS: '',
  };
  // One deployment (Server Actions key, deployment id) for the build and both instances, which share the Redis;
  // they purge the edge, which is the public origin.
  const cachedEnv = {
    ...common,
    ...deploymentEnv({}),
    NEXT_DIST_DIR: DIRS.cached,
    NTC_BENCH_NO_CACHE: '',
    REDIS_URL: redis.url,
    EDGE_PURGE_URL: `http://127.0.0.1:${edgePort}/`,
    EDGE_PURGE_SECRET: purgeSecret,
    SITE_URL: `http://127.0.0.1:${edgePort}`,
  };
  const buildCachedSeconds = await build('cached', cachedEnv);
  const uncachedEnv = { ...common, ...deploymentEnv({}), NEXT_DIST_DIR: DIRS.uncached, NTC_BENCH_NO_CACHE: '1', REDIS_URL: '', EDGE_PURGE_URL: '' };
  const buildUncachedSeconds = await build('uncached', uncachedEnv);
  await restoreNextEnv();

  say('Starting A and B (cached build, one Redis), the edge in front of A, C (uncached build) and nginx');
  const running: { cluster?: Cluster } = {};
  shutdown.add('instances A and B', { stop: async () => running.cluster?.stop() });
  const portC = await freePort();
  const procC = shutdown.add('instance C', startProcess('c', process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(portC)], uncachedEnv, keep));
  const [cluster] = await Promise.all([
    startCluster({ env: cachedEnv, distDir: DIRS.cached, log: keep }),
    waitForHttp(`http://127.0.0.1:${portC}/feed.xml`, procC, 120_000),
  ]);
  running.cluster = cluster;
  watch('instance C', procC.exited);
  for (const name of ['a', 'b'] as const) watch(`instance ${name.toUpperCase()}`, cluster.instances[name].proc()!.exited);
  await unlessStopping();
  const edge = shutdown.add(
    'the edge',
    await startEdge({ port: edgePort, backends: [{ name: 'a', host: '127.0.0.1', port: cluster.instances.a.port }], purgeSecret, distDir: DIRS.cached, log: keep }),
  );
  watch('the edge', edge.proc.exited);
  const C = `http://127.0.0.1:${portC}`;
  const hitPath = `/posts/${hit.slug}`;
  // nginx serves exactly the bytes A answers for the cached post.
  const body = await (await fetch(`${cluster.urlA}${hitPath}`)).text();
  const nginx = shutdown.add('nginx', await serveBytes(body, keep));
  watch('nginx', nginx.exited);
  await unlessStopping();

  /**
   * One row: the page one request at a time (median of SINGLE), then under load. `misses`: every request a URL never
   * requested before. Checked on the requests sent one at a time: `cached` names the header that must say HIT;
   * with `renders` (misses, the build without caches) x-nextjs-cache must never say it.
   */
  async function measure(spec: {
    id: string;
    label: string;
    servedBy: string;
    /** The process that answers, for its CPU time. */
    pid: number;
    origin: string;
    path?: string;
    misses?: Supply;
    cached?: string;
    renders?: boolean;
  }): Promise<Row> {
    const { origin, misses } = spec;
    const nextUrl = () => `${origin}${misses ? misses.next()! : spec.path!}`;
    // Warm-up: the page cached (or, for misses, the route's code loaded and optimised, as in a server that has been up
    // for a while: the first misses of a fresh process took about a quarter longer here) before anything is timed.
    for (let i = 0; i < (misses ? 20 : 5); i++) await fetch(nextUrl()).then((r) => r.arrayBuffer());
    const single: number[] = [];
    const beforeSingle = await statements();
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
    const singleQueries = ((await statements()).count - beforeSingle.count) / SINGLE;
    const single50 = median(single);
    // Misses: about as many as one at a time would answer in `duration` (at least one per connection), all answered.
    const amount = misses ? Math.min(misses.left(), Math.max(connections, Math.round((duration * 1000) / single50))) : 0;
    const before = await statements();
    const cpuBefore = cpuSeconds(spec.pid);
    const { result, firstError } = await load({ url: misses ? origin : `${origin}${spec.path}`, connections, duration, paths: misses, amount });
    const cpuAfter = cpuSeconds(spec.pid);
    const after = await settledStatements();
    checkAlive();
    // autocannon counts requests sent in `requests.sent` (not in its types).
    const sent = (result.requests as { sent?: number }).sent ?? result.requests.total;
    const errors = result.non2xx + result.errors;
    if (errors > 0) {
      throw new Error(
        `${spec.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load ` +
          `(status codes ${JSON.stringify(result.statusCodeStats)}${firstError ? `, first error ${firstError}` : ''}): the figures would mean nothing`,
      );
    }
    const row: Row = {
      id: spec.id,
      label: spec.label,
      servedBy: spec.servedBy,
      // Misses: every request answered, over the time they took; the others: autocannon's per-second average.
      requestsPerSecond: misses ? result.requests.total / result.duration : result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      oneAtATimeMs: single50,
      dbQueriesPerRequest: (after.count - before.count) / Math.max(1, sent),
      dbQueriesPerRequestOneAtATime: singleQueries,
      dbMsPerRequest: (after.ms - before.ms) / Math.max(1, sent),
      cpuMsPerRequest: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.requests.total),
      requests: result.requests.total,
      errors,
    };
    say(
      `  ${row.label} (${row.servedBy}): ${fmt(row.requestsPerSecond)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `one at a time ${ms(row.oneAtATimeMs)}, DB queries/request ${row.dbQueriesPerRequestOneAtATime.toFixed(2)} / ${row.dbQueriesPerRequest.toFixed(2)}, ` +
        `CPU/request ${row.cpuMsPerRequest === null ? '–' : ms(row.cpuMsPerRequest)}`,
    );
    await unlessStopping();
    return row;
  }

  say(`Measuring each row: ${SINGLE} requests one at a time, then ${connections} connections for ${duration} s`);
  const A = cluster.urlA;
  const pidA = cluster.instances.a.proc()!.pid;
  const rows: Row[] = [];
  rows.push(await measure({ id: 'static', label: 'static page (/)', servedBy: 'next start, A', pid: pidA, origin: A, path: '/', cached: 'x-nextjs-cache' }));
  rows.push(await measure({ id: 'hit', label: 'cached post page (hit)', servedBy: 'next start, A', pid: pidA, origin: A, path: hitPath, cached: 'x-nextjs-cache' }));
  rows.push(await measure({ id: 'edge', label: 'cached post page (hit)', servedBy: 'the edge (Varnish) in front of A', pid: edge.proc.pid, origin: edge.url, path: hitPath, cached: 'x-edge-cache' }));
  rows.push(await measure({ id: 'uncached', label: 'the same post, rendered from the database', servedBy: 'next start, C (no caches)', pid: procC.pid, origin: C, path: hitPath, renders: true }));
  rows.push(await measure({ id: 'post-miss', label: `never-seen post (miss) at ${fmt(posts)} posts`, servedBy: 'next start, A', pid: pidA, origin: A, misses: postMisses, renders: true }));
  rows.push(await measure({ id: 'list-miss', label: `never-seen list page (miss) at ${fmt(posts)} posts`, servedBy: 'next start, A', pid: pidA, origin: A, misses: listMisses, renders: true }));
  rows.push(await measure({ id: 'nginx', label: 'the cached post page\'s bytes from a file', servedBy: 'nginx', pid: nginx.pid, origin: nginx.url.replace(/\/$/, ''), path: '/' }));

  say(`Invalidation → fresh, ${invalidations} times per mode and target`);
  const targets = [
    { target: 'one instance', send: A, read: A, header: 'x-nextjs-cache' },
    { target: 'across two instances', send: A, read: cluster.urlB, header: 'x-nextjs-cache' },
    { target: 'the edge', send: edge.url, read: edge.url, header: 'x-edge-cache' },
  ];
  const invalidationRows: Invalidation[] = [];
  for (const { target, send, read, header } of targets) {
    for (const mode of ['expire', 'max'] as const) {
      const done = await invalidationToFresh({
        sql,
        posts: [hit],
        mode,
        runs: invalidations,
        send: (tagList, m) => sendWebhook(send, secret, tagList, m),
        url: (p) => `${read}/posts/${p.slug}`,
        cachedHeader: header,
      });
      const { p50, p99, max } = spread(done.map((r) => r.sentToFreshMs));
      const stale = done.map((r) => r.stale);
      invalidationRows.push({ target, mode, runs: done.length, p50Ms: p50, p99Ms: p99, maxMs: max, oldTitleRuns: stale.filter((n) => n > 0).length, oldTitleMost: Math.max(...stale) });
      checkAlive();
      say(`  ${target}, ${mode}: p50 ${ms(p50)}, p99 ${ms(p99)}, old title served in ${invalidationRows.at(-1)!.oldTitleRuns} of ${done.length} runs`);
      await unlessStopping();
    }
  }
  return { rows, invalidations: invalidationRows, phases: { seedSeconds, buildCachedSeconds, buildUncachedSeconds } };
}

let measured: Awaited<ReturnType<typeof run>> | undefined;
let failure: unknown;
try {
  measured = await run();
} catch (error) {
  failure = error;
} finally {
  say('Stopping everything this bench started');
  await shutdown.run();
}
if (!measured) {
  if (tail.length) console.error(`Last lines from the processes it ran:\n${tail.join('\n')}`);
  console.error(`\nbench failed: ${failure instanceof Error ? failure.message : failure}`);
  process.exit(1);
}

const { rows, invalidations: invalidationRows, phases } = measured;
const row = (id: string) => rows.find((r) => r.id === id)!;
const rate = (id: string) => row(id).requestsPerSecond;
// The "cheap misses" goal: a miss at ≥ 1/10 of the hit rate, and a single miss in ≤ 15 ms (set at --posts 20000).
const GOAL = { missPerHit: 0.1, singleMissMs: 15, atPosts: 20_000 };
const ratios = {
  postMissPerHit: rate('post-miss') / rate('hit'),
  listMissPerHit: rate('list-miss') / rate('hit'),
  postMissCpuPerHitCpu: (row('post-miss').cpuMsPerRequest ?? NaN) / (row('hit').cpuMsPerRequest ?? NaN),
  edgePerNext: rate('edge') / rate('hit'),
  edgePerNginx: rate('edge') / rate('nginx'),
  cachedPerUncached: rate('hit') / rate('uncached'),
  goals: {
    ...GOAL,
    postMissRateMet: rate('post-miss') / rate('hit') >= GOAL.missPerHit,
    listMissRateMet: rate('list-miss') / rate('hit') >= GOAL.missPerHit,
    singlePostMissMet: row('post-miss').oneAtATimeMs <= GOAL.singleMissMs,
    singleListMissMet: row('list-miss').oneAtATimeMs <= GOAL.singleMissMs,
  },
};
const seconds = since(began);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

const table = (header: string[], lines: string[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
console.log(`\n${fmt(posts)} posts, ${connections} connections, ${duration} s per row, 127.0.0.1, ${os.cpus().length} CPUs, Node ${process.version}\n`);
console.log(
  table(
    ['page', 'served by', 'req/s', 'p50', 'p99', 'one at a time', 'CPU/request', 'DB queries/request (one at a time / under load)', 'errors'],
    rows.map((r) => [
      r.label,
      r.servedBy,
      fmt(r.requestsPerSecond),
      `${r.p50Ms} ms`,
      `${r.p99Ms} ms`,
      ms(r.oneAtATimeMs),
      r.cpuMsPerRequest === null ? '–' : ms(r.cpuMsPerRequest),
      `${fmt(r.dbQueriesPerRequestOneAtATime, 2)} / ${fmt(r.dbQueriesPerRequest, 2)}`,
      String(r.errors),
    ]),
  ),
);
console.log(`\nInvalidation → fresh: webhook sent → first response with the new title, requests back to back, ${invalidations} runs each\n`);
console.log(
  table(
    ['target', 'mode', 'p50', 'p99', 'old title served'],
    invalidationRows.map((r) => [
      r.target,
      r.mode === 'max' ? "'max'" : r.mode,
      ms(r.p50Ms),
      ms(r.p99Ms),
      r.oldTitleRuns === 0 ? 'never' : `in ${r.oldTitleRuns} of ${r.runs} runs, at most ${r.oldTitleMost} in one`,
    ]),
  ),
);
console.log('');
for (const [id, name, rateMet, singleMet] of [
  ['post-miss', 'post miss', ratios.goals.postMissRateMet, ratios.goals.singlePostMissMet],
  ['list-miss', 'list page miss', ratios.goals.listMissRateMet, ratios.goals.singleListMissMet],
] as const) {
  console.log(
    `${name} / hit: ${(rate(id) / rate('hit')).toFixed(2)} (goal ≥ ${GOAL.missPerHit}: ${met(rateMet)}); ` +
      `one at a time ${ms(row(id).oneAtATimeMs)} (goal ≤ ${GOAL.singleMissMs} ms: ${met(singleMet)})`,
  );
}
// Where a miss's time goes: the app process's CPU against a hit's, and PostgreSQL's share of it.
const cpuHit = row('hit').cpuMsPerRequest;
for (const [id, name] of [['post-miss', 'post miss'], ['list-miss', 'list page miss']] as const) {
  const r = row(id);
  if (r.cpuMsPerRequest === null || cpuHit === null) continue;
  console.log(
    `${name}: ${ms(r.cpuMsPerRequest)} of CPU in the app (a hit: ${ms(cpuHit)}, ${(r.cpuMsPerRequest / cpuHit).toFixed(0)}×); ` +
      `PostgreSQL ${ms(r.dbMsPerRequest)} over ${r.dbQueriesPerRequest.toFixed(1)} queries`,
  );
}
console.log(`edge / next start: ${ratios.edgePerNext.toFixed(1)}×`);
console.log(`edge / nginx: ${(100 * ratios.edgePerNginx).toFixed(0)} %`);
console.log(`cached / uncached: ${ratios.cachedPerUncached.toFixed(1)}×`);
if (posts !== GOAL.atPosts) console.log(`(the miss goals are set at --posts ${fmt(GOAL.atPosts)}; this run had ${fmt(posts)})`);
console.log(
  `\nseeding ${phases.seedSeconds.toFixed(1)} s, builds ${phases.buildCachedSeconds.toFixed(1)} s + ${phases.buildUncachedSeconds.toFixed(1)} s; ` +
    `finished in ${seconds.toFixed(0)} s`,
);

if (values.json) {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const report = {
    date: new Date().toISOString(),
    commit: git('rev-parse', 'HEAD'),
    // Uncommitted changes in the work tree: the commit alone does not say what ran.
    dirty: (git('status', '--porcelain') ?? '') !== '',
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    posts,
    options: { posts, duration, connections, invalidations, oneAtATime: SINGLE },
    rows,
    invalidations: invalidationRows,
    ratios,
    phases,
    seconds,
  };
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${values.json}`);
}
