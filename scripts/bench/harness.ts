// What the benchmarks (scripts/bench.ts, scripts/bench-shared-cache.ts) share: bounded options, percentiles, a load
// run, CPU accounting, nginx serving fixed bytes, signed webhooks, and the invalidation → fresh loop. (Their private
// redis-server is the tests' own, packages/cache-handlers/test/redis-server.ts.)
// Everything here listens on and talks to 127.0.0.1 only.
import autocannon from 'autocannon';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type postgres from 'postgres';
import { tags } from '@/lib/cache/tags';
import { signDelivery } from '@/lib/webhooks/secrets';
import { NGINX_MISSING, findNginx, startProcess, waitForHttp } from '../cluster-env';
import { freePort } from '../test-env';

const quiet = () => {};

/** A numeric option, refused unless it is a number, then clamped: a benchmark must stop by itself. */
export function bounded(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return Math.min(Math.max(n, min), max);
}

/** The value at percentile `p` of an ascending list. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const sortedCopy = (values: number[]) => [...values].sort((a, b) => a - b);
export const median = (values: number[]) => percentile(sortedCopy(values), 50);
export const ms = (n: number) => `${n.toFixed(1)} ms`;

/**
 * `next build` points next-env.d.ts at its distDir (.next-bench-…, removed at the end): the returned function puts
 * back what was there before, for editors and tsc. It does nothing if something else has rewritten the file since.
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
 * child, Varnish's and nginx's workers), from /proc; null where there is none. Ended children are not counted, so
 * read it around work done by processes that stay up.
 */
export function cpuSeconds(pid: number): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux platform Node runs on
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After the command name in parentheses (which may hold spaces): state, ppid, …, utime (14th), stime (15th).
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // ended meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, { parent }] of stats) {
      if (tree.has(parent) && !tree.has(id)) {
        tree.add(id);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const id of tree) ticks += stats.get(id)?.ticks ?? 0;
  return ticks / ticksPerSecond;
}

export interface Load {
  result: autocannon.Result;
  /** The first request error (a refused or reset connection, a timeout), to say what went wrong. */
  firstError?: string;
}

function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    let firstError: string | undefined;
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, firstError })));
    instance.on('reqError', (error) => (firstError ??= String(error?.code ?? error?.message ?? error)));
  });
}

/**
 * autocannon against `url` for `duration` seconds. With `paths` (misses: every request takes the next one, a URL
 * never requested before), a fixed number of requests instead, `amount`, all of them answered before it ends: a miss
 * under load takes seconds, and a run cut off by time would leave a connection's worth of them out of the rate.
 */
export async function load({
  url,
  connections,
  duration,
  paths,
  amount = 0,
}: {
  url: string;
  connections: number;
  duration: number;
  paths?: { next(): string | undefined; left(): number };
  amount?: number;
}): Promise<Load> {
  if (!paths) return cannon({ url, connections, duration });
  const available = paths.left();
  if (available < amount) throw new Error(`only ${available} unused paths left for ${amount} requests`);
  return cannon({
    url,
    connections: Math.min(connections, amount),
    amount,
    // autocannon builds each request just before it sends it: each takes a path of its own.
    requests: [{ setupRequest: (request) => ({ ...request, path: paths.next()! }) }],
  });
}

export interface Service {
  url: string;
  pid: number;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

/** nginx answering every request with `body` from a file: the most a server on this machine can do with those bytes. */
export async function serveBytes(body: string, log: (line: string) => void = quiet): Promise<Service> {
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
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, proc, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: proc.pid, exited: proc.exited, stop };
}

export type Mode = 'max' | 'expire';

/** Sends a signed delivery to `origin`'s /api/revalidate; throws unless it is accepted. */
export async function sendWebhook(origin: string, secret: string, tagList: string[], mode: Mode): Promise<void> {
  const body = JSON.stringify({ tags: tagList, mode });
  const response = await fetch(`${origin}/api/revalidate`, { method: 'POST', headers: signDelivery(secret, `msg_${crypto.randomUUID()}`, body), body });
  if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}

/** Fetches `url` until `header` says HIT (the cache being measured holds the page); throws if it never does. */
export async function untilCached(url: string, header: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.headers.get(header) === 'HIT') return;
    if (tries > 50) throw new Error(`${url} is not kept by the cache (${header}: ${response.headers.get(header)})`);
  }
}

export interface InvalidationRun {
  /** Webhook sent → first response showing the new title. */
  sentToFreshMs: number;
  /** Webhook returned → first response showing the new title. */
  returnedToFreshMs: number;
  /** Webhook returned → first response that acts on it: the new title, or a stale answer (`x-nextjs-cache: STALE`). */
  returnedToHeardMs: number;
  /** Responses with the old title after the webhook returned. */
  stale: number;
}

let titles = 0;

/**
 * `runs` times: the page of a post (`posts` in turn) is cached where `url` reads it (`cachedHeader` says HIT), its
 * title changes in the database, `send` delivers the invalidation (`post:<id>`, `mode`), and `url` is read back to
 * back until it shows the new title. The titles are restored (and expired) at the end, even on failure.
 */
export async function invalidationToFresh({
  sql,
  posts,
  mode,
  runs,
  send,
  url,
  cachedHeader,
}: {
  sql: postgres.Sql;
  posts: { id: number; slug: string; title: string }[];
  mode: Mode;
  runs: number;
  send: (tagList: string[], mode: Mode) => Promise<void>;
  url: (post: { slug: string }) => string;
  cachedHeader: string;
}): Promise<InvalidationRun[]> {
  const done: InvalidationRun[] = [];
  const changed = new Map<number, string>();
  try {
    for (let i = 0; i < runs; i++) {
      const post = posts[i % posts.length];
      const target = url(post);
      await untilCached(target, cachedHeader);
      // Unique in the whole run, so an older change can never pass for this one.
      const title = `${post.title} (bench ${mode} ${++titles})`;
      changed.set(post.id, post.title);
      await sql`update posts set title = ${title} where id = ${post.id}`;
      const sent = performance.now();
      await send([tags.post(post.id)], mode);
      const returned = performance.now();
      let heard: number | undefined;
      let stale = 0;
      for (;;) {
        const response = await fetch(target);
        const fresh = (await response.text()).includes(`>${title}<`);
        heard ??= fresh || response.headers.get('x-nextjs-cache') === 'STALE' ? performance.now() : undefined;
        if (fresh) break;
        stale += 1;
        if (performance.now() - returned > 10_000) throw new Error(`${target} never showed "${title}"`);
      }
      const now = performance.now();
      done.push({ sentToFreshMs: now - sent, returnedToFreshMs: now - returned, returnedToHeardMs: heard! - returned, stale });
    }
  } finally {
    for (const [id, title] of changed) await sql`update posts set title = ${title} where id = ${id}`;
    if (changed.size > 0) await send([...changed.keys()].map((id) => tags.post(id)), 'expire');
  }
  return done;
}

/** p50 / p99 / max of one list of durations. */
export function spread(values: number[]) {
  const sorted = sortedCopy(values);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! };
}
