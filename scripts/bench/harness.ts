// The measuring pieces of `npm run bench`: bounded options, percentiles, a load run, a process tree's CPU and memory,
// nginx serving fixed bytes, signed webhooks, and the invalidation → fresh loop. Loopback only.
import autocannon from 'autocannon';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type postgres from 'postgres';
import { tags } from '@/lib/cache/tags';
import { signDelivery } from '@/lib/webhooks/secrets';
import { NGINX_MISSING, findNginx, startProcess, waitForHttp, type Proc } from '../cluster-env';
import { freePort } from '../test-env';

/** A numeric option, refused unless it is a number, then clamped: a benchmark must stop by itself. */
export function bounded(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return Math.min(Math.max(n, min), max);
}

/** p50 / p99 / max of a list of durations. */
export function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p99: at(99), max: sorted.at(-1)! };
}
export const ms = (n: number) => `${n.toFixed(1)} ms`;

/**
 * `next build` points next-env.d.ts at its distDir (.next-bench-…, removed at the end): the returned function puts
 * back what was there before, for editors and tsc, unless something else has rewritten the file since.
 */
export function keepNextEnv(): () => Promise<void> {
  const file = 'next-env.d.ts';
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return async () => {
    if (!existsSync(file) || !readFileSync(file, 'utf8').includes('.next-bench-')) return;
    if (before === undefined) rmSync(file);
    else writeFileSync(file, before);
  };
}

/**
 * CPU seconds (user + system, every thread) used so far by process `pid` and everything it started (the tether's
 * command, Varnish's and nginx's workers), from /proc; null where there is none. Ended children are not counted, so
 * read it around work done by processes that stay up.
 */
export function cpuSeconds(pid: number): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stats = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      // After the command name in parentheses (which may hold spaces): state, ppid, …, utime (14th), stime (15th).
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      stats.set(Number(entry), text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number));
    } catch {
      // ended meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [id, fields] of stats) if (fields[1] === tree[i]) tree.push(id);
  // USER_HZ: 100 on every Linux platform Node runs on.
  return tree.reduce((ticks, id) => ticks + (stats.has(id) ? stats.get(id)![11] + stats.get(id)![12] : 0), 0) / 100;
}

/** The server's own memory figures from its /api/metrics (prom-client's process metrics, the cache's gauge), in bytes. */
export async function serverMemory(origin: string) {
  const text = await (await fetch(`${origin}/api/metrics`)).text();
  const value = (name: string, labels = '') => Number(text.match(new RegExp(`^${name}${labels ? `\\{${labels}\\}` : ''} (\\S+)$`, 'm'))?.[1] ?? NaN);
  const cache = (handler: string) => value('ntc_cache_memory_bytes', `handler="${handler}",kind="used"`);
  return {
    rss: value('ntc_process_resident_memory_bytes'),
    heapUsed: value('ntc_nodejs_heap_size_used_bytes'),
    heapTotal: value('ntc_nodejs_heap_size_total_bytes'),
    external: value('ntc_nodejs_external_memory_bytes'),
    cache: cache('pages') + cache('use-cache'),
  };
}

/** Hands out each path once. */
export function supply(paths: string[]) {
  let i = 0;
  return { next: () => paths[i++], left: () => paths.length - i };
}
export type Supply = ReturnType<typeof supply>;

/**
 * autocannon against `url` for `duration` seconds, each request to `nextPath()` if given. With `amount`, that many
 * requests instead, all answered before it ends: a miss under load takes seconds, and a run cut off by time would
 * leave a connection's worth of them out of the rate. `firstError` says what went wrong, if anything did.
 */
export function load(url: string, connections: number, duration: number, { nextPath, amount }: { nextPath?: () => string; amount?: number } = {}) {
  const options: autocannon.Options = {
    url,
    ...(amount ? { connections: Math.min(connections, amount), amount } : { connections, duration }),
    ...(nextPath && { requests: [{ setupRequest: (request) => ({ ...request, path: nextPath() }) }] }),
  };
  return new Promise<{ result: autocannon.Result; firstError?: string }>((resolve, reject) => {
    let firstError: string | undefined;
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, firstError })));
    instance.on('reqError', (error) => (firstError ??= String(error?.code ?? error?.message ?? error)));
  });
}

/** nginx answering every request with `body` from a file: the most a server on this machine can do with those bytes. */
export async function serveBytes(body: string, log: (line: string) => void): Promise<{ url: string; proc: Proc; stop(): Promise<void> }> {
  const nginxBin = findNginx();
  if (!nginxBin) throw new Error(NGINX_MISSING);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-bench-nginx-'));
  // Started as root, nginx's workers run as an unprivileged user, which must read the page.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'www'), { mode: 0o755 });
  writeFileSync(path.join(dir, 'www', 'page.html'), body);
  const conf = path.join(dir, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/tmp;\n`).join('');
  writeFileSync(
    conf,
    `daemon off;\nworker_processes 2;\npid ${dir}/nginx.pid;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n${temp}` +
      `  server {\n    listen 127.0.0.1:${port};\n    root ${dir}/www;\n    location / { default_type text/html; try_files /page.html =404; }\n  }\n}\n`,
  );
  // -e stderr: nginx would first try the system's error log; SIGQUIT: it finishes what it serves, then exits.
  const proc = startProcess('nginx', nginxBin, ['-p', dir, '-c', conf, '-e', 'stderr'], process.env, log, { stopSignal: 'SIGQUIT' });
  const stop = () => proc.stop().finally(() => rmSync(dir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, proc, 15_000).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, proc, stop };
}

export type Mode = 'max' | 'expire';

/** Sends a signed delivery to `origin`'s /api/revalidate; throws unless it is accepted. */
export async function sendWebhook(origin: string, secret: string, tagList: string[], mode: Mode): Promise<void> {
  const body = JSON.stringify({ tags: tagList, mode });
  const response = await fetch(`${origin}/api/revalidate`, { method: 'POST', headers: signDelivery(secret, `msg_${crypto.randomUUID()}`, body), body });
  if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}

let titles = 0;

/**
 * `runs` times: `post`'s page is cached where `url` reads it (`cachedHeader` says HIT), its title changes in the
 * database, `send` delivers the invalidation (`post:<id>`, `mode`), and `url` is read back to back until it shows the
 * new title. Each run gives the time from sending to fresh, and how many answers had the old title after the webhook
 * returned. The title is restored (and expired) at the end, even on failure.
 */
export async function invalidationToFresh(args: {
  sql: postgres.Sql;
  post: { id: number; title: string };
  mode: Mode;
  runs: number;
  send: (tagList: string[], mode: Mode) => Promise<void>;
  url: string;
  cachedHeader: string;
}): Promise<{ sentToFreshMs: number; stale: number }[]> {
  const { sql, post, mode, url } = args;
  const done: { sentToFreshMs: number; stale: number }[] = [];
  try {
    for (let i = 0; i < args.runs; i++) {
      for (let tries = 0; (await fetch(url).then((r) => r.arrayBuffer().then(() => r.headers.get(args.cachedHeader)))) !== 'HIT'; tries++) {
        if (tries > 50) throw new Error(`${url} is not kept by the cache (${args.cachedHeader})`);
      }
      // Unique in the whole run, so an older change can never pass for this one.
      const title = `${post.title} (bench ${mode} ${++titles})`;
      await sql`update posts set title = ${title} where id = ${post.id}`;
      const sent = performance.now();
      await args.send([tags.post(post.id)], mode);
      const returned = performance.now();
      let stale = 0;
      while (!(await (await fetch(url)).text()).includes(`>${title}<`)) {
        stale += 1;
        if (performance.now() - returned > 10_000) throw new Error(`${url} never showed "${title}"`);
      }
      done.push({ sentToFreshMs: performance.now() - sent, stale });
    }
  } finally {
    await sql`update posts set title = ${post.title} where id = ${post.id}`;
    await args.send([tags.post(post.id)], 'expire');
  }
  return done;
}
