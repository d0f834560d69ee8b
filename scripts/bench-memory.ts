// npm run bench:memory [-- --minutes 3 --posts 2000 --connections 10 --max-rss-mb 500]
// Memory of one instance with default settings (no Redis: entries in files, CACHE_MEMORY_MB unset) under mixed
// traffic: 60% posts that exist, 20% invented URLs under /posts/, 20% list pages (home, categories, topics, authors,
// archive pages), and one signed webhook a second ('max' on a random post). On a fresh embedded database it builds
// the app into .next-bench-memory, starts `next start`, and samples the server's resident memory, V8 heap and the
// cache's own gauge (/api/metrics) every 10 s. Prints the samples; exits 1 if the last RSS is over --max-rss-mb.
// Loopback only; every process it starts is stopped at the end or on Ctrl-C.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { encodeCursor } from '@/db/queries/blog';
import { seed } from '@/db/seed';
import { tags } from '@/lib/cache/tags';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { bounded, keepNextEnv, sendWebhook } from './bench/harness';
import { NEXT_BIN, deploymentEnv, startProcess, waitForHttp } from './cluster-env';
import { withServerHeapBound } from './server-heap';
import { appSecrets } from './local-secret';
import { Shutdown } from './process/supervise';
import { embeddedTestDatabase, freePort } from './test-env';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    posts: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '10' },
    'max-rss-mb': { type: 'string', default: '500' },
  },
});
const minutes = bounded('minutes', values.minutes, 0.5, 15);
const posts = bounded('posts', values.posts, 100, 50_000);
const connections = bounded('connections', values.connections, 1, 100);
const maxRssMb = bounded('max-rss-mb', values['max-rss-mb'], 50, 10_000);
const DIST = '.next-bench-memory';
const SAMPLE_MS = 10_000;
const say = (line: string) => console.log(`▸ ${line}`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

const shutdown = new Shutdown();
shutdown.onSignals(() => 130);
const quietLog = (line: string) => {
  if (/error|Error|\[cache\]/.test(line)) console.log(line);
};

type Sample = { seconds: number; rss: number; heapUsed: number; heapTotal: number; external: number; cache: number };

/** The server's own figures from /api/metrics (prom-client's process metrics and the cache's gauge). */
async function sample(origin: string, token: string, seconds: number): Promise<Sample> {
  const text = await (await fetch(`${origin}/api/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const value = (name: string, labels = '') => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}` : ' '}`) || (!labels && l.startsWith(`${name}{`)));
    return Number(line?.split(' ').pop() ?? NaN);
  };
  const cache = ['pages', 'use-cache'].reduce((sum, handler) => sum + value('ntc_cache_memory_bytes', `handler="${handler}",kind="used"`), 0);
  return {
    seconds,
    rss: value('ntc_process_resident_memory_bytes'),
    heapUsed: value('ntc_nodejs_heap_size_used_bytes'),
    heapTotal: value('ntc_nodejs_heap_size_total_bytes'),
    external: value('ntc_nodejs_external_memory_bytes'),
    cache,
  };
}

/** The URLs of the mix, from the seeded database. */
async function urlMix(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const published = await sql<{ id: number; slug: string; at: Date }[]>`
      select id, slug, published_at as at from posts where status = 'published' order by published_at desc, id desc`;
    const lists = ['/'];
    for (const table of ['categories', 'topics', 'authors'] as const) {
      const rows = await sql<{ slug: string }[]>`select slug from ${sql(table)}`;
      lists.push(...rows.map((r) => `/${table}/${r.slug}`));
    }
    lists.push(...published.slice(1).map((p) => `/archive/${encodeCursor({ at: p.at, id: p.id })}`));
    return { ids: published.map((p) => p.id), posts: published.map((p) => `/posts/${p.slug}`), lists };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function run(): Promise<{ samples: Sample[]; requests: number; perSecond: number }> {
  say('Starting an embedded PostgreSQL');
  const database = await embeddedTestDatabase();
  shutdown.add('the database', { stop: () => database.drop() });
  shutdown.add('the build', { stop: async () => rmSync(DIST, { recursive: true, force: true }) });
  await runMigrations(database.url);
  say(`Seeding ${posts} posts`);
  const seeding = createDatabase(database.url, { max: 1 });
  await seed(seeding.db, { posts }).finally(() => seeding.sql.end());
  const mix = await urlMix(database.url);

  const secrets = appSecrets();
  const token = randomBytes(24).toString('base64url');
  const env = {
    ...process.env,
    ...secrets,
    ...deploymentEnv({}),
    DATABASE_URL: database.url,
    NEXT_DIST_DIR: DIST,
    NEXT_TELEMETRY_DISABLED: '1',
    METRICS_TOKEN: token,
    // The one webhook client sends one a second, past the per-client limit.
    REVALIDATE_RATE_LIMIT: '100000',
    // Default settings: nothing from the caller's shell may change them.
    REDIS_URL: '',
    CACHE_DIR: '',
    CACHE_MEMORY_MB: '',
    CACHE_MAX_ENTRIES: '',
    EDGE_PURGE_URL: '',
  };
  say(`Building into ${DIST}`);
  const restoreNextEnv = keepNextEnv();
  const built = await shutdown.add('next build', startProcess('build', process.execPath, [NEXT_BIN, 'build'], env, quietLog)).exited;
  await restoreNextEnv();
  if (built !== 0) throw new Error(`next build exited with ${built}`);

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = shutdown.add('next start', startProcess('next', process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], withServerHeapBound(env), quietLog));
  await waitForHttp(`${origin}/robots.txt`, server);
  const samples = [await sample(origin, token, 0)];
  say(`Mixed traffic for ${minutes} min, ${connections} connections; RSS, heap and cache gauge every ${SAMPLE_MS / 1000} s`);
  console.log('   s   RSS MB  heap used  heap total  external  cache gauge');
  const print = (s: Sample) =>
    console.log(`${String(s.seconds).padStart(4)}  ${String(mb(s.rss)).padStart(7)}  ${String(mb(s.heapUsed)).padStart(9)}  ${String(mb(s.heapTotal)).padStart(10)}  ${String(mb(s.external)).padStart(8)}  ${String(mb(s.cache)).padStart(11)}`);
  print(samples[0]);

  const [secret] = parseSecrets(secrets.REVALIDATE_SECRET);
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 1000);
  const webhooks = setInterval(() => void sendWebhook(origin, secret, [tags.post(pick(mix.ids))], 'max').catch((e) => console.log(`webhook: ${e.message}`)), 1_000);
  const sampler = setInterval(() => void sample(origin, token, elapsed()).then((s) => (samples.push(s), print(s)), () => {}), SAMPLE_MS);
  const nextPath = () => {
    const r = Math.random();
    if (r < 0.6) return pick(mix.posts);
    if (r < 0.8) return `/posts/invented-${randomBytes(6).toString('hex')}`;
    return pick(mix.lists);
  };
  let result: autocannon.Result;
  try {
    result = await new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        { url: origin, connections, duration: minutes * 60, requests: [{ setupRequest: (request) => ({ ...request, path: nextPath() }) }] },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
  } finally {
    clearInterval(webhooks);
    clearInterval(sampler);
  }
  const last = await sample(origin, token, elapsed());
  print(last);
  return { samples: [...samples, last], requests: result.requests.total, perSecond: result.requests.average };
}

let code = 0;
try {
  const { samples, requests, perSecond } = await run();
  const last = samples[samples.length - 1];
  console.log(`\n${requests} requests (${Math.round(perSecond)}/s)`);
  const peak = Math.max(...samples.map((s) => s.rss));
  console.log(`RSS ${mb(samples[0].rss)} → ${mb(last.rss)} MB (peak ${mb(peak)} MB), heap used ${mb(last.heapUsed)} MB, cache gauge ${mb(last.cache)} MB`);
  if (mb(last.rss) > maxRssMb) {
    console.log(`Over the bound: ${mb(last.rss)} MB > ${maxRssMb} MB`);
    code = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
}
await shutdown.run();
process.exit(code);
