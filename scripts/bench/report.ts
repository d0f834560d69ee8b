// What `npm run bench` prints at the end (Markdown tables, then the ratios) and writes with --json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { ms, type Mode } from './harness';

export interface Row {
  id: string;
  label: string;
  servedBy: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  oneAtATimeMs: number;
  /** Statements per request under load (counted once they have all finished) and one at a time, and PostgreSQL's time. */
  dbQueriesPerRequest: number;
  dbQueriesPerRequestOneAtATime: number;
  dbMsPerRequest: number;
  /** CPU time per request under load of the answering process and its children; null where /proc is missing. */
  cpuMsPerRequest: number | null;
  requests: number;
  errors: number;
}
export interface Invalidation {
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
export interface Flood {
  handlers: string;
  seconds: number;
  notFound: number;
  rssBefore: number;
  rssAfter: number;
  diskGrowth: number;
  redisKeys: number | null;
  redisGrowth: number | null;
}
export interface SharedCache {
  bound: number;
  flood: Flood[];
  restart: { hits: number; of: number };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MiB`;
const growth = (bytes: number) => `${bytes < 0 ? '−' : '+'}${mib(Math.abs(bytes))}`;
export const table = (header: string[], lines: string[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');

// The "cheap misses" goal: a miss at ≥ 1/10 of the hit rate, and a single miss in ≤ 15 ms (set at --posts 20000).
const GOAL = { missPerHit: 0.1, singleMissMs: 15, atPosts: 20_000 };

export function ratios(rows: Row[]) {
  const row = (id: string) => rows.find((r) => r.id === id);
  const rate = (id: string) => row(id)?.requestsPerSecond ?? NaN;
  return {
    postMissPerHit: rate('post-miss') / rate('hit'),
    listMissPerHit: rate('list-miss') / rate('hit'),
    postMissCpuPerHitCpu: (row('post-miss')!.cpuMsPerRequest ?? NaN) / (row('hit')!.cpuMsPerRequest ?? NaN),
    edgePerNext: rate('edge') / rate('hit'),
    edgePerNginx: rate('edge') / rate('nginx'),
    cachedPerUncached: rate('hit') / rate('uncached'),
    // With --shared-cache: ours (with Redis, and without) against Next's own handlers.
    oursPerNextHandlers: rate('hit') / rate('hit-next-handlers'),
    oursWithoutRedisPerNextHandlers: rate('hit-no-redis') / rate('hit-next-handlers'),
    goals: {
      ...GOAL,
      postMissRateMet: rate('post-miss') / rate('hit') >= GOAL.missPerHit,
      listMissRateMet: rate('list-miss') / rate('hit') >= GOAL.missPerHit,
      singlePostMissMet: row('post-miss')!.oneAtATimeMs <= GOAL.singleMissMs,
      singleListMissMet: row('list-miss')!.oneAtATimeMs <= GOAL.singleMissMs,
    },
  };
}

export function printTables(rows: Row[], invalidations: Invalidation[], shared?: SharedCache) {
  const cpu = (r: Row) => (r.cpuMsPerRequest === null ? '–' : ms(r.cpuMsPerRequest));
  const header = ['page', 'served by', 'req/s', 'p50', 'p99', 'one at a time', 'CPU/request', 'DB queries/request (one at a time / under load)', 'errors'];
  const queries = (r: Row) => `${fmt(r.dbQueriesPerRequestOneAtATime, 2)} / ${fmt(r.dbQueriesPerRequest, 2)}`;
  console.log(table(header, rows.map((r) => [r.label, r.servedBy, fmt(r.requestsPerSecond), `${r.p50Ms} ms`, `${r.p99Ms} ms`, ms(r.oneAtATimeMs), cpu(r), queries(r), String(r.errors)])));
  console.log(`\nInvalidation → fresh: webhook sent → first response with the new title, requests back to back, ${invalidations[0].runs} runs each\n`);
  const old = (r: Invalidation) => (r.oldTitleRuns === 0 ? 'never' : `in ${r.oldTitleRuns} of ${r.runs} runs, at most ${r.oldTitleMost} in one`);
  console.log(table(['target', 'mode', 'p50', 'p99', 'old title served'], invalidations.map((r) => [r.target, r.mode === 'max' ? "'max'" : r.mode, ms(r.p50Ms), ms(r.p99Ms), old(r)])));
  if (!shared) return;
  console.log(`\n${fmt(shared.flood[0].notFound)} invented URLs against each (CACHE_MAX_ENTRIES=${fmt(shared.bound)}, CACHE_MEMORY_MB default)\n`);
  const flood = shared.flood.map((f) => [
    f.handlers,
    `${fmt(f.seconds)} s`,
    `${mib(f.rssBefore)} → ${mib(f.rssAfter)}`,
    growth(f.diskGrowth),
    f.redisKeys === null ? '—' : `${fmt(f.redisKeys)} keys, ${growth(f.redisGrowth!)}`,
  ]);
  console.log(table(['handlers', 'flood took', 'memory (RSS)', 'build directory on disk', 'Redis'], flood));
}

export function printRatios(rows: Row[], r: ReturnType<typeof ratios>, posts: number, shared?: SharedCache) {
  const row = (id: string) => rows.find((x) => x.id === id)!;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const misses = [['post-miss', 'post miss', r.postMissPerHit, r.goals.postMissRateMet, r.goals.singlePostMissMet], ['list-miss', 'list page miss', r.listMissPerHit, r.goals.listMissRateMet, r.goals.singleListMissMet]] as const;
  console.log('');
  for (const [id, name, perHit, rateMet, singleMet] of misses) {
    console.log(`${name} / hit: ${perHit.toFixed(2)} (goal ≥ ${GOAL.missPerHit}: ${met(rateMet)}); one at a time ${ms(row(id).oneAtATimeMs)} (goal ≤ ${GOAL.singleMissMs} ms: ${met(singleMet)})`);
  }
  // Where a miss's time goes: the app process's CPU against a hit's, and PostgreSQL's share of it.
  const hitCpu = row('hit').cpuMsPerRequest;
  for (const [id, name] of misses) {
    const miss = row(id);
    if (miss.cpuMsPerRequest === null || hitCpu === null) continue;
    console.log(
      `${name}: ${ms(miss.cpuMsPerRequest)} of CPU in the app (a hit: ${ms(hitCpu)}, ${(miss.cpuMsPerRequest / hitCpu).toFixed(0)}×); ` +
        `PostgreSQL ${ms(miss.dbMsPerRequest)} over ${miss.dbQueriesPerRequest.toFixed(1)} queries`,
    );
  }
  console.log(`edge / next start: ${r.edgePerNext.toFixed(1)}×\nedge / nginx: ${(100 * r.edgePerNginx).toFixed(0)} %\ncached / uncached: ${r.cachedPerUncached.toFixed(1)}×`);
  if (shared) {
    console.log(`ours with Redis / Next's handlers: ${r.oursPerNextHandlers.toFixed(2)}×; ours without Redis / Next's handlers: ${r.oursWithoutRedisPerNextHandlers.toFixed(2)}×`);
    console.log(`restarted instance: ${shared.restart.hits} of its first ${shared.restart.of} requests were hits (pages the other instance cached)`);
  }
  if (posts !== GOAL.atPosts) console.log(`(the miss goals are set at --posts ${fmt(GOAL.atPosts)}; this run had ${fmt(posts)})`);
}

/** The figures as JSON, with what ran where: to compare runs. */
export function writeJson(file: string, figures: object) {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  // Uncommitted changes in the work tree: the commit alone does not say what ran.
  const dirty = (git('status', '--porcelain') ?? '') !== '';
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null };
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), commit: git('rev-parse', 'HEAD'), dirty, ...machine, ...figures }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
