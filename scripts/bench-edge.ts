// npm run bench:edge [-- --dist .next-x --duration 10 --connections 50 --invalidations 100]
// What the edge cache (Varnish, deploy/varnish/) buys, measured in one run on this machine, loopback only:
//   1. a cached post page: through the edge, straight from `next start`, and nginx serving the same bytes from a file
//      (requests/s, p50, p99);
//   2. invalidation → fresh at the edge: from sending a webhook (the post's title changed in the database) to the
//      first response through the edge that shows the new title, p50 / p99, for 'expire' and for 'max', and the old
//      title's responses on the way, with requests sent back to back (none allowed after 'expire'; after 'max' the
//      first is the one allowed, and any more are requests that arrived while the fresh render was under way).
// Uses DATABASE_URL (else a fresh embedded database, seeded) and builds into .next-bench-edge unless --dist names a
// finished build of this commit for that database.
import autocannon from 'autocannon';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { createDatabase } from '@/db/client';
import { tags } from '@/lib/cache/tags';
import { parseSecrets, signDelivery } from '@/lib/webhooks/secrets';
import { NEXT_BIN, NGINX_MISSING, findNginx, startProcess, waitForHttp } from './cluster-env';
import { VARNISH_MISSING, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets } from './local-secret';
import { embeddedTestDatabase, freePort, run } from './test-env';

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    invalidations: { type: 'string', default: '100' },
  },
});
// Bounded: a benchmark must stop by itself.
const duration = Math.min(Number(values.duration), 30);
const connections = Math.min(Number(values.connections), 200);
const invalidations = Math.min(Math.max(Number(values.invalidations), 1), 1_000);
if (!findVarnishd()) throw new Error(VARNISH_MISSING);
if (!findNginx()) throw new Error(NGINX_MISSING);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const quiet = () => {};

const database = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, drop: async () => {} } : await embeddedTestDatabase();
const secrets = appSecrets();
const [secret] = parseSecrets(secrets.REVALIDATE_SECRET);
const purgeSecret = newPurgeSecret();
const [appPort, edgePort, nginxPort] = [await freePort(), await freePort(), await freePort()];
const env = {
  ...process.env,
  ...secrets,
  DATABASE_URL: database.url,
  NEXT_TELEMETRY_DISABLED: '1',
  REDIS_URL: '',
  // The invalidation loop is the only client: the webhook's per-client limit would stop it.
  REVALIDATE_RATE_LIMIT: '100000',
  EDGE_PURGE_URL: `http://127.0.0.1:${edgePort}/`,
  EDGE_PURGE_SECRET: purgeSecret,
  SITE_URL: `http://127.0.0.1:${edgePort}`,
};
const distDir = values.dist ?? '.next-bench-edge';
const sql = postgres(database.url, { max: 2, onnotice: () => {} });
const stops: (() => Promise<unknown>)[] = [];
const nginxDir = mkdtempSync(path.join(os.tmpdir(), 'ntc-bench-nginx-'));

try {
  if (!process.env.DATABASE_URL) {
    await runMigrations(database.url);
    const { db, sql: seedSql } = createDatabase(database.url, { max: 1 });
    await seed(db).finally(() => seedSql.end());
  }
  if (!values.dist) {
    console.log(`Building into ${distDir}`);
    if ((await run(process.execPath, [NEXT_BIN, 'build'], { ...env, NEXT_DIST_DIR: distDir })) !== 0) throw new Error('next build failed');
  } else if (!existsSync(path.join(distDir, 'BUILD_ID'))) {
    throw new Error(`${distDir} holds no finished build`);
  }
  const app = startProcess('app', process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(appPort)], { ...env, NEXT_DIST_DIR: distDir }, quiet);
  stops.push(() => app.stop());
  await waitForHttp(`http://127.0.0.1:${appPort}/feed.xml`, app, 120_000);
  const edge = await startEdge({ port: edgePort, backends: [{ name: 'app', host: '127.0.0.1', port: appPort }], purgeSecret, distDir, log: quiet });
  stops.push(() => edge.stop());

  const [post] = await sql<{ id: number; slug: string; title: string }[]>`select id, slug, title from posts where status = 'published' order by published_at desc, id desc limit 1`;
  const pagePath = `/posts/${post.slug}`;
  const direct = `http://127.0.0.1:${appPort}${pagePath}`;
  const throughEdge = `${edge.url}${pagePath}`;

  // nginx serving the very bytes the app answers for that page, from a file.
  const body = await (await fetch(direct)).text();
  // Started as root, nginx's workers run as an unprivileged user, which must read the page.
  chmodSync(nginxDir, 0o755);
  mkdirSync(path.join(nginxDir, 'www'), { mode: 0o755 });
  writeFileSync(path.join(nginxDir, 'www', 'page.html'), body);
  const conf = path.join(nginxDir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;\nworker_processes 2;\npid ${nginxDir}/nginx.pid;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${nginxDir}/tmp;\n  proxy_temp_path ${nginxDir}/tmp;\n  fastcgi_temp_path ${nginxDir}/tmp;\n  uwsgi_temp_path ${nginxDir}/tmp;\n  scgi_temp_path ${nginxDir}/tmp;\n` +
      `  server {\n    listen 127.0.0.1:${nginxPort};\n    root ${nginxDir}/www;\n    location / { default_type text/html; try_files /page.html =404; }\n  }\n}\n`,
  );
  const nginx = startProcess('nginx', findNginx()!, ['-p', nginxDir, '-c', conf, '-e', 'stderr'], process.env, quiet, { stopSignal: 'SIGQUIT' });
  stops.push(() => nginx.stop());
  await waitForHttp(`http://127.0.0.1:${nginxPort}/`, nginx, 15_000);

  console.log(`\nA cached post page (${(body.length / 1024).toFixed(1)} KiB), ${connections} connections, ${duration} s each:`);
  const rows: string[][] = [];
  for (const [label, url] of [
    ['through the edge (Varnish)', throughEdge],
    ['straight from next start', direct],
    ['nginx, the same bytes from a file', `http://127.0.0.1:${nginxPort}/`],
  ] as const) {
    for (let i = 0; i < 5; i++) await fetch(url).then((r) => r.text());
    const result = await autocannon({ url, connections, duration });
    if (result.non2xx + result.errors > 0) throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors: the figures would mean nothing`);
    rows.push([label, result.requests.average.toFixed(0), `${result.latency.p50} ms`, `${result.latency.p99} ms`]);
    console.log(`  ${rows.at(-1)!.join('  ')}`);
  }
  const rate = (i: number) => Number(rows[i][1]);
  console.log(`  edge / nginx: ${((100 * rate(0)) / rate(2)).toFixed(0)} %; edge / next start: ${(rate(0) / rate(1)).toFixed(1)}×`);

  async function webhook(mode: 'max' | 'expire') {
    const payload = JSON.stringify({ tags: [tags.post(post.id)], mode });
    const response = await fetch(`${edge.url}/api/revalidate`, { method: 'POST', headers: signDelivery(secret, `msg_${crypto.randomUUID()}`, payload), body: payload });
    if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  }
  const shows = async (url: string, title: string) => (await (await fetch(url)).text()).includes(`>${title}<`);

  console.log(
    `\nInvalidation → fresh, ${invalidations} times each (webhook sent → first response with the new title, requests back to back),` +
      ' through the edge and, for comparison, straight from next start:',
  );
  try {
    for (const [target, url, cachedHeader] of [
      ['edge', throughEdge, 'x-edge-cache'],
      ['next', direct, 'x-nextjs-cache'],
    ] as const) {
      for (const mode of ['expire', 'max'] as const) {
        const times: number[] = [];
        const staleCounts: number[] = [];
        for (let i = 0; i < invalidations; i++) {
          // The cache being measured holds the current render before each change.
          for (let tries = 0; ; tries++) {
            const response = await fetch(url);
            await response.text();
            if (response.headers.get(cachedHeader) === 'HIT') break;
            if (tries > 50) throw new Error(`${target} does not keep the page`);
          }
          const title = `${post.title} (${mode} ${i})`;
          await sql`update posts set title = ${title} where id = ${post.id}`;
          const started = performance.now();
          await webhook(mode);
          let stale = 0;
          while (!(await shows(url, title))) {
            stale += 1;
            if (stale > 1_000) throw new Error('the new title never came');
          }
          times.push(performance.now() - started);
          staleCounts.push(stale);
        }
        times.sort((a, b) => a - b);
        const withStale = staleCounts.filter((n) => n > 0).length;
        console.log(
          `  ${target} ${mode.padEnd(6)}  p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))}  ` +
            `old title served: in ${withStale} of ${invalidations} runs, at most ${Math.max(...staleCounts)} times in one run`,
        );
      }
    }
  } finally {
    await sql`update posts set title = ${post.title} where id = ${post.id}`;
    await webhook('expire');
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  await sql.end();
  rmSync(nginxDir, { recursive: true, force: true });
  if (!values.dist) rmSync(distDir, { recursive: true, force: true });
  await database.drop();
}
