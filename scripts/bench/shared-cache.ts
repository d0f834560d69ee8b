// `npm run bench -- --shared-cache`, after the rows: what a flood of invented URLs leaves behind with Next's own
// handlers and with ours (memory, the build directory on disk, Redis), then the first requests to a restarted
// instance, for pages the other instance cached.
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Cluster } from '../cluster-env';
import { serverMemory } from './harness';
import type { Flood, SharedCache } from './report';

const du = (dir: string) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);

/** `count` requests for posts that do not exist, 16 at a time; how long they took and how many answered 404. */
async function floodInvented(origin: string, count: number) {
  const started = performance.now();
  let next = 0;
  let notFound = 0;
  const worker = async () => {
    while (next < count) {
      const response = await fetch(`${origin}/posts/invented-${next++}-bench`);
      await response.arrayBuffer();
      if (response.status === 404) notFound += 1;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { seconds: (performance.now() - started) / 1000, notFound };
}

export async function floodAndRestart(args: {
  flood: number;
  bound: number;
  redisUrl: string;
  servers: { handlers: string; origin: string; distDir: string; redis?: boolean }[];
  cluster: Cluster;
  restartPaths: string[];
  say: (line: string) => void;
  checkAlive: () => void;
}): Promise<SharedCache> {
  const redis = new Redis(args.redisUrl);
  const redisBytes = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  const flood: Flood[] = [];
  try {
    for (const server of args.servers) {
      args.say(`Flooding ${server.handlers} with ${args.flood} invented URLs`);
      const before = { rss: (await serverMemory(server.origin)).rss, disk: du(server.distDir), redis: await redisBytes() };
      const { seconds, notFound } = await floodInvented(server.origin, args.flood);
      if (notFound !== args.flood) throw new Error(`${server.handlers}: ${args.flood - notFound} invented URLs were not answered 404`);
      flood.push({
        handlers: server.handlers,
        seconds,
        notFound,
        rssBefore: before.rss,
        rssAfter: (await serverMemory(server.origin)).rss,
        diskGrowth: du(server.distDir) - before.disk,
        redisKeys: server.redis ? await redis.dbsize() : null,
        redisGrowth: server.redis ? (await redisBytes()) - before.redis : null,
      });
      args.checkAlive();
    }
  } finally {
    redis.disconnect();
  }
  // Last: B's restart ends the process the run watches.
  const { urlA, urlB, instances } = args.cluster;
  args.say(`Restarting B after A cached ${args.restartPaths.length} pages`);
  for (const path of args.restartPaths) await fetch(`${urlA}${path}`).then((r) => r.arrayBuffer());
  await instances.b.stop();
  await instances.b.start();
  let hits = 0;
  for (const path of args.restartPaths) {
    const response = await fetch(`${urlB}${path}`);
    await response.arrayBuffer();
    if (response.headers.get('x-nextjs-cache') === 'HIT') hits += 1;
  }
  return { bound: args.bound, flood, restart: { hits, of: args.restartPaths.length } };
}
