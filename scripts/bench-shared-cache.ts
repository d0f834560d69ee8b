// npm run bench:shared-cache [-- --posts 1000 --duration 10 --connections 50 --invalidations 200 --flood 10000]
// What the shared cache (cache-handlers/) costs and buys, measured side by side in one run on this machine, on a fresh
// embedded database and a private redis-server, traffic to 127.0.0.1 only:
//   1. cache-hit requests/s of one instance: Next's default handlers, ours without Redis, ours with Redis;
//   2. propagation: from an invalidating webhook on A returning to B serving fresh, p50 / p99 ('expire' and 'max');
//   3. hit ratio of the first requests to a restarted instance (pages the other instance already cached);
//   4. storage and memory after a flood of invented URLs, with our bounds and with Next's default handlers.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { bounded, invalidationToFresh, keepNextEnv, load, ms, sendWebhook, spread } from './bench/harness';
import { deploymentEnv, NEXT_BIN, startCluster } from './cluster-env';
import { appSecrets } from './local-secret';
import { RedisServer } from '../packages/cache-handlers/test/redis-server';
import { embeddedTestDatabase, freePort, run, startServer } from './test-env';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    invalidations: { type: 'string', default: '200' },
    flood: { type: 'string', default: '10000' },
  },
});
// Bounded: a benchmark must stop by itself.
const duration = bounded('duration', values.duration, 1, 30);
const connections = bounded('connections', values.connections, 1, 200);
const invalidations = bounded('invalidations', values.invalidations, 1, 2_000);
const flood = bounded('flood', values.flood, 0, 50_000);
const posts = bounded('posts', values.posts, 250, 1_000_000);
const MAX_ENTRIES = 2_000;

const results: { section: string; rows: string[][]; header: string[] }[] = [];
const report = (section: string, header: string[], rows: string[][]) => {
  results.push({ section, header, rows });
  console.log(`\n${section}`);
  for (const row of rows) console.log(`  ${row.join('  ')}`);
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const rss = (pid: number | undefined) => {
  if (!pid) return 0;
  // next start runs the server in a child process: count the whole tree.
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  const pids = [pid, ...children];
  return pids.reduce((sum, p) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return sum;
    }
  }, 0);
};
const du = (dir: string) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);

const database = await embeddedTestDatabase();
const redis = new RedisServer(await freePort());
await redis.start();
const sql = postgres(database.url, { max: 2, onnotice: () => {} });
const secrets = appSecrets();
const [secret] = parseSecrets(secrets.REVALIDATE_SECRET);
const deployment = deploymentEnv({});
// The webhook's per-client limit would stop the propagation loop; this run is the only client.
const baseEnv = { ...process.env, ...secrets, ...deployment, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: '1', REDIS_URL: '', REVALIDATE_RATE_LIMIT: '100000' };
const builds = { ours: '.next-bench-ours', next: '.next-bench-next' };
const restoreNextEnv = keepNextEnv();

async function hitThroughput(origin: string, path: string) {
  for (let i = 0; i < 5; i++) await fetch(`${origin}${path}`).then((r) => r.text());
  const { result } = await load({ url: `${origin}${path}`, connections, duration });
  return [result.requests.average.toFixed(0), `${result.latency.p50} ms`, `${result.latency.p99} ms`, String(result.non2xx + result.errors)];
}

async function floodInvented(origin: string) {
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < flood) {
        const response = await fetch(`${origin}/posts/invented-${next++}-bench`);
        if (response.status !== 404) errors += 1;
        await response.arrayBuffer();
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, errors };
}

try {
  await runMigrations(database.url);
  const seeding = createDatabase(database.url);
  await seed(seeding.db, { posts });
  await seeding.sql.end();
  const published = await sql<{ id: number; slug: string; title: string }[]>`select id, slug, title from posts where status = 'published' order by id`;
  const hitPath = `/posts/${published[0].slug}`;

  for (const [name, dir] of Object.entries(builds)) {
    const env = { ...baseEnv, NEXT_DIST_DIR: dir, NTC_BENCH_NEXT_HANDLERS: name === 'next' ? '1' : '' };
    if ((await run(process.execPath, [NEXT_BIN, 'build'], env)) !== 0) throw new Error(`next build (${name}) failed`);
  }

  // 1 and 4: one instance at a time.
  const throughput: string[][] = [];
  const storage: string[][] = [];
  for (const [label, dir, redisUrl] of [
    ["Next's default handlers", builds.next, ''],
    ['ours, no Redis', builds.ours, ''],
    ['ours, Redis', builds.ours, redis.url],
  ] as const) {
    const port = await freePort();
    const env = {
      ...baseEnv,
      NEXT_DIST_DIR: dir,
      // next.config.ts is read again by next start: the handlers chosen there must match the build's.
      NTC_BENCH_NEXT_HANDLERS: dir === builds.next ? '1' : '',
      REDIS_URL: redisUrl,
      CACHE_MAX_ENTRIES: String(MAX_ENTRIES),
      CACHE_KEY_PREFIX: `bench${port}`,
    };
    const server = await startServer(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], env, `http://127.0.0.1:${port}/feed.xml`, label);
    try {
      const origin = `http://127.0.0.1:${port}`;
      throughput.push([label, ...(await hitThroughput(origin, hitPath))]);
      const before = { rss: rss(server.child.pid), disk: du(dir) };
      const conn = new Redis(redis.url);
      const redisBefore = Number(/used_memory:(\d+)/.exec(await conn.info('memory'))?.[1]);
      const { seconds, errors } = await floodInvented(origin);
      const redisAfter = Number(/used_memory:(\d+)/.exec(await conn.info('memory'))?.[1]);
      const keys = (await conn.keys(`bench${port}:*`)).length;
      conn.disconnect();
      storage.push([
        label,
        `${flood} in ${seconds.toFixed(0)} s${errors ? ` (${errors} not 404)` : ''}`,
        `${mib(before.rss)} → ${mib(rss(server.child.pid))}`,
        `+${mib(du(dir) - before.disk)}`,
        redisUrl ? `${keys} keys, +${mib(redisAfter - redisBefore)}` : '—',
      ]);
    } finally {
      await server.stop();
    }
  }
  report(`Cache hit, one instance (${hitPath.slice(0, 40)}…; ${connections} connections, ${duration} s)`, ['handlers', 'req/s', 'p50', 'p99', 'errors'], throughput);
  report(`After ${flood} invented URLs (CACHE_MAX_ENTRIES=${MAX_ENTRIES}, CACHE_MEMORY_MB default)`, ['handlers', 'flood', 'memory (RSS)', 'build dir on disk', 'Redis'], storage);

  // 2 and 3: two instances sharing the private Redis.
  const cluster = await startCluster({ env: { ...baseEnv, REDIS_URL: redis.url, CACHE_KEY_PREFIX: 'bench-cluster' }, distDir: builds.ours, log: () => {} });
  try {
    // Two clocks per invalidation, from the webhook on A returning: when B first acts on it (for 'max': its one stale
    // answer, x-nextjs-cache STALE; for expire: the fresh page), and when B serves the new title (for 'max' that
    // includes the background render).
    const propagation = async (mode: 'expire' | 'max') =>
      invalidationToFresh({
        sql,
        posts: published.slice(0, invalidations),
        mode,
        runs: invalidations,
        send: (tagList, m) => sendWebhook(cluster.urlA, secret, tagList, m),
        url: (p) => `${cluster.urlB}/posts/${p.slug}`,
        cachedHeader: 'x-nextjs-cache',
      });
    const expire = await propagation('expire');
    const max = await propagation('max');
    const row = (label: string, list: number[]) => {
      const { p50, p99, max: most } = spread(list);
      return [label, ms(p50), ms(p99), ms(most)];
    };
    report(
      `Propagation: webhook on A returned → B acts on it / serves the new title (${invalidations} invalidations each)`,
      ['mode', 'p50', 'p99', 'max'],
      [
        row('expire: B serves the new title', expire.map((r) => r.returnedToFreshMs)),
        row("'max': B acts on it (its one stale answer)", max.map((r) => r.returnedToHeardMs)),
        row("'max': B serves the new title (after the background render)", max.map((r) => r.returnedToFreshMs)),
      ],
    );

    const paths = published.slice(0, 200).map((p) => `/posts/${p.slug}`);
    for (const path of paths) await fetch(`${cluster.urlA}${path}`).then((r) => r.text());
    await cluster.instances.b.stop();
    await cluster.instances.b.start();
    let hits = 0;
    for (const path of paths) if ((await fetch(`${cluster.urlB}${path}`)).headers.get('x-nextjs-cache') === 'HIT') hits += 1;
    report('Restart: the first 200 requests to a restarted instance (pages instance A had cached)', ['hits', 'ratio'], [[`${hits} / ${paths.length}`, `${((100 * hits) / paths.length).toFixed(1)} %`]]);
  } finally {
    await cluster.stop();
  }
} finally {
  await sql.end();
  await redis.stop();
  await database.drop();
  for (const dir of Object.values(builds)) rmSync(dir, { recursive: true, force: true });
  await restoreNextEnv();
}

console.log(`\n${posts} posts, one run on this machine, 127.0.0.1 only\n`);
for (const { section, header, rows } of results) {
  console.log(`${section}\n\n| ${header.join(' | ')} |\n|${header.map(() => ' --- |').join('')}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}
