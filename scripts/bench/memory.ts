// `npm run bench -- --memory`: one instance of the app with default settings (no Redis: entries in files;
// CACHE_MEMORY_MB unset) under mixed traffic for --minutes: 60% posts that exist, 20% invented URLs under /posts/, 20%
// list pages (home, categories, topics, authors, archive pages), and one signed webhook a second ('max' on a random
// post). Every 10 s it prints the server's resident memory, V8 heap, external memory and the cache's own gauge
// (from /api/metrics); the run fails if the last RSS is over --max-rss-mb.
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { encodeCursor } from '@/db/queries/blog';
import { tags } from '@/lib/cache/tags';
import type { Lab } from '../bench';
import { load, sendWebhook, serverMemory } from './harness';
import { writeJson } from './report';

const SAMPLE_MS = 10_000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

/** The URLs of the mix, from the seeded database. */
async function urlMix(sql: postgres.Sql) {
  const published = await sql<{ id: number; slug: string; at: Date }[]>`
    select id, slug, published_at as at from posts where status = 'published' order by published_at desc, id desc`;
  const lists = ['/', ...published.slice(1).map((p) => `/archive/${encodeCursor({ at: p.at, id: p.id })}`)];
  for (const table of ['categories', 'topics', 'authors'] as const) {
    lists.push(...(await sql<{ slug: string }[]>`select slug from ${sql(table)}`).map((r) => `/${table}/${r.slug}`));
  }
  const posts = published.map((p) => `/posts/${p.slug}`);
  return { ids: published.map((p) => p.id), nextPath: () => {
    const r = Math.random();
    return r < 0.6 ? pick(posts) : r < 0.8 ? `/posts/invented-${randomBytes(6).toString('hex')}` : pick(lists);
  } };
}

export async function measureMemory(
  lab: Lab,
  run: {
    posts: number;
    minutes: number;
    connections: number;
    maxRssMb: number;
    json?: string;
    build: (env: NodeJS.ProcessEnv) => Promise<number>;
    serve: (name: string, env: NodeJS.ProcessEnv) => Promise<{ origin: string }>;
    say: (line: string) => void;
  },
): Promise<number> {
  const mix = await urlMix(lab.sql);
  const env = lab.env('app');
  await run.build(env);
  await lab.restoreNextEnv.stop();
  const { origin } = await run.serve('next start', env);
  run.say(`Mixed traffic for ${run.minutes} min, ${run.connections} connections; memory every ${SAMPLE_MS / 1000} s`);
  console.log('   s   RSS MB  heap used  heap total  external  cache gauge');
  const started = performance.now();
  const samples: ({ seconds: number } & Awaited<ReturnType<typeof serverMemory>>)[] = [];
  const sample = async () => {
    const s = { seconds: Math.round((performance.now() - started) / 1000), ...(await serverMemory(origin)) };
    samples.push(s);
    const columns = [[s.seconds, 4], [mb(s.rss), 8], [mb(s.heapUsed), 10], [mb(s.heapTotal), 11], [mb(s.external), 9], [mb(s.cache), 12]] as const;
    console.log(columns.map(([value, width]) => String(value).padStart(width)).join(''));
  };
  await sample();
  const webhooks = setInterval(() => void sendWebhook(origin, lab.secret, [tags.post(pick(mix.ids))], 'max').catch((e) => console.log(`webhook: ${e.message}`)), 1_000);
  const sampler = setInterval(() => void sample().catch(() => {}), SAMPLE_MS);
  const { result } = await load(origin, run.connections, run.minutes * 60, { nextPath: mix.nextPath }).finally(() => {
    clearInterval(webhooks);
    clearInterval(sampler);
  });
  await sample();
  const [first, last] = [samples[0], samples.at(-1)!];
  const peak = Math.max(...samples.map((s) => s.rss));
  console.log(`\n${result.requests.total} requests (${Math.round(result.requests.average)}/s)`);
  console.log(`RSS ${mb(first.rss)} → ${mb(last.rss)} MB (peak ${mb(peak)} MB), heap used ${mb(last.heapUsed)} MB, cache gauge ${mb(last.cache)} MB`);
  const options = { minutes: run.minutes, connections: run.connections, maxRssMb: run.maxRssMb };
  if (run.json) writeJson(run.json, { posts: run.posts, options, requests: result.requests.total, samples });
  if (mb(last.rss) <= run.maxRssMb) return 0;
  console.log(`Over the bound: ${mb(last.rss)} MB > ${run.maxRssMb} MB`);
  return 1;
}
