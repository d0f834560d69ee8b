// npm run bench [-- --posts 60 --duration 10 --connections 50]
// Side by side, in one run, on a fresh embedded database: the same post page (and the home page) served by
// the normal build (cached) and by a build whose caches store nothing (NTC_BENCH_NO_CACHE=1), with database
// queries per request counted from PostgreSQL's own statistics. Traffic goes to 127.0.0.1 only.
import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { appSecrets } from './local-secret';
import { embeddedTestDatabase, freePort, run, startServer } from './test-env';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '60' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Math.min(Number(values.duration), 60); // bounded: a benchmark must stop by itself
const connections = Math.min(Number(values.connections), 200);
const posts = Number(values.posts);

// pg_stat_statements counts every statement as it finishes: the queries each request costs.
const database = await embeddedTestDatabase(['shared_preload_libraries=pg_stat_statements']);
const sql = postgres(database.url, { max: 1, onnotice: () => {} });
const rows: string[][] = [];
try {
  await runMigrations(database.url);
  const seeding = createDatabase(database.url);
  let started = performance.now();
  await seed(seeding.db, { posts });
  console.log(`seeded ${posts} posts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await seeding.sql.end();
  const [post] = await sql`select slug from posts where status = 'published' order by published_at desc limit 1`;

  await sql`create extension if not exists pg_stat_statements`;
  /** Statements the app has run in its database so far (our own counting queries excluded). */
  const statements = async () => {
    const [row] = await sql`select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and query not ilike '%pg_stat_statements%'`;
    return Number(row.n);
  };

  for (const variant of ['cached', 'uncached'] as const) {
    const env = {
      ...process.env,
      ...appSecrets(),
      DATABASE_URL: database.url,
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: `.next-bench-${variant}`,
      NTC_BENCH_NO_CACHE: variant === 'uncached' ? '1' : '',
    };
    started = performance.now();
    if ((await run(process.execPath, ['node_modules/next/dist/bin/next', 'build'], env)) !== 0) {
      throw new Error(`next build (${variant}) failed`);
    }
    const buildSeconds = ((performance.now() - started) / 1000).toFixed(1);
    const port = await freePort();
    const server = await startServer(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], env, `http://127.0.0.1:${port}/feed.xml`, 'next start');
    try {
      for (const [label, path] of [['post page', `/posts/${post.slug}`], ['home page', '/']]) {
        const url = `http://127.0.0.1:${port}${path}`;
        for (let i = 0; i < 5; i++) await fetch(url).then((r) => r.text()); // warm up
        // One request at a time: how long a single render takes.
        const single: number[] = [];
        const beforeSingle = await statements();
        for (let i = 0; i < 20; i++) {
          const t = performance.now();
          await fetch(url).then((r) => r.text());
          single.push(performance.now() - t);
        }
        const perSingle = ((await statements()) - beforeSingle) / single.length;
        single.sort((a, b) => a - b);
        const before = await statements();
        const result = await autocannon({ url, connections, duration });
        const queries = (await statements()) - before;
        const perRequest = queries / Math.max(1, result.requests.total);
        rows.push([
          variant,
          label,
          result.requests.average.toFixed(0),
          `${result.latency.p50} ms`,
          `${result.latency.p99} ms`,
          `${single[10].toFixed(1)} ms`,
          perSingle.toFixed(2),
          perRequest.toFixed(2),
          String(result.non2xx + result.errors),
          `${buildSeconds} s`,
        ]);
        console.log(rows.at(-1)!.join('  '));
      }
    } finally {
      await server.stop();
      rmSync(env.NEXT_DIST_DIR, { recursive: true, force: true });
    }
  }
} finally {
  await sql.end();
  await database.drop();
}

const header = [
  'build', 'page', 'req/s', 'p50', 'p99', 'one request at a time (median)',
  'DB queries/request, one at a time', 'DB queries/request, under load', 'errors', 'build time',
];
console.log(`\n${posts} posts, ${connections} connections, ${duration} s each, 127.0.0.1\n`);
console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- |').join('')}`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
for (const page of ['post page', 'home page']) {
  const [cached, uncached] = ['cached', 'uncached'].map((v) => Number(rows.find((r) => r[0] === v && r[1] === page)?.[2]));
  console.log(`${page}: cached serves ${(cached / uncached).toFixed(1)}× the requests per second of uncached`);
}
console.log('Under load, Next.js runs one computation for identical cache keys that are being filled at the same time,');
console.log('so even the uncached build queries less than once per request there; one at a time shows the real cost.');
