// Two real `next start` instances of one build sharing a real Redis (a private redis-server, so it can be stopped)
// and the database. Run by `npm test` after the single-instance suite, with CLUSTER_DIST_DIR pointing at the build.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { tags } from '../../lib/cache/tags';
import { freePort } from '../../db/embedded';
import { NEXT_BIN, startCluster, startProcess, waitForHttp, type Cluster } from '../../scripts/cluster-env';
import { RedisServer } from '../../packages/cache-handlers/test/redis-server';
import { firstAnswer, prerenderedUrls } from '../support/build';
import { db } from '../support/db';
import { expectFreshAtOnce, expectFreshSoon, expectStaleThenFresh } from '../support/freshness';
import { scrape, valueOf } from '../support/metrics';
import { LENA, signIn } from '../support/studio';
import { sendWebhook } from '../support/webhook';

// The flood tests set CACHE_MAX_ENTRIES and CACHE_MEMORY_MB low enough to reach the bounds quickly.
const MAX_ENTRIES = 200;
const MEMORY_MB = 4;
const distDir = process.env.CLUSTER_DIST_DIR ?? '';
let redis: RedisServer;
let cluster: Cluster;
let a: APIRequestContext;
let b: APIRequestContext;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  if (!distDir) throw new Error('CLUSTER_DIST_DIR is not set: run the cluster tests through `npm test`');
  // The single-instance suite before this one used up 127.0.0.1's sign-in failures on purpose (rate limit tests).
  await db()`delete from rate_limits`;
  redis = new RedisServer(await freePort());
  await redis.start();
  cluster = await startCluster({
    env: { ...process.env, REDIS_URL: redis.url, CACHE_MAX_ENTRIES: String(MAX_ENTRIES), CACHE_MEMORY_MB: String(MEMORY_MB) },
    distDir,
    // Not a URL the first test checks: its first request on each instance must be the test's own.
    readyPath: '/robots.txt',
    log: (line) => {
      if (/\[cache\]|error|Error/.test(line)) console.log(line);
    },
  });
  a = await playwrightRequest.newContext({ baseURL: cluster.urlA });
  b = await playwrightRequest.newContext({ baseURL: cluster.urlB });
});

test.afterAll(async () => {
  await cluster?.stop();
  await redis?.stop();
});

const title = async (context: APIRequestContext, url: string) => {
  const response = await context.get(url);
  expect(response.status(), `${url} answered ${response.status()}`).toBe(200);
  return (await response.text()).match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1] ?? '';
};
const rename = async (id: number, to: string) => db()`update posts set title = ${to}, updated_at = now() where id = ${id}`;
const unique = () => Math.random().toString(36).slice(2, 8);
/** Loads `url` on `context` until it is a cache hit, so the next request is served from the shared cache. */
async function warm(context: APIRequestContext, url: string) {
  await expect.poll(async () => (await context.get(url)).headers()['x-nextjs-cache'], { timeout: 15_000 }).toBe('HIT');
}

/** Sends a request the browser made to another instance, keeping its headers (Host included), and returns B's answer. */
function forward(target: string, url: string, method: string, headers: Record<string, string>, body: Buffer | null) {
  const { pathname, search } = new URL(url);
  const { hostname, port } = new URL(target);
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    const outgoing = http.request({ hostname, port, method, path: pathname + search, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) flat[name] = String(value);
        resolve({ status: incoming.statusCode ?? 502, headers: flat, body: Buffer.concat(chunks) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body ?? undefined);
  });
}

async function post(offset: number) {
  const [row] = await db()`select id, slug, title from posts where status = 'published'
    order by published_at desc, id desc offset ${offset} limit 1`;
  return row as { id: number; slug: string; title: string };
}

// First: no request has reached these URLs yet. A reads its own copy of the build's output; B finds the entry A
// stored in Redis, or reads its own copy.
test('each instance serves the pages the build prerendered as cache hits from its first request', async () => {
  for (const url of prerenderedUrls(distDir)) {
    for (const name of ['a', 'b'] as const) {
      const instanceDir = cluster.instances[name].distDir;
      const expected = [firstAnswer(instanceDir, url)];
      const response = await (name === 'a' ? a : b).get(url);
      expected.push(firstAnswer(instanceDir, url));
      expect(response.status(), `${url} on ${name}`).toBe(200);
      expect(response.headers()['x-nextjs-cache'], `${url} on ${name}'s first request`).toMatch(new RegExp(`^(${expected.join('|')})$`));
    }
  }
});

test('a prerendered post: expire on A, and B serves the new title on its first request', async () => {
  const p = await post(0); // the newest posts are prerendered by next build
  const url = `/posts/${p.slug}`;
  await warm(b, url);
  const renamed = `Cluster expire ${unique()}`;
  await rename(p.id, renamed);
  expect(await title(b, url)).toBe(p.title); // behind the app's back: still cached

  const response = await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'expire' });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'applied' });
  await expectFreshAtOnce(async () => (await title(b, url)) === renamed, 'instance B after expire on A');
});

test("an on-demand post: 'max' on A, and B serves the old title once, then the new one", async () => {
  const p = await post(45); // far down the list: rendered on demand, not at build time
  const url = `/posts/${p.slug}`;
  await warm(b, url);
  const renamed = `Cluster max ${unique()}`;
  await rename(p.id, renamed);
  expect((await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'max' })).status()).toBe(200);
  await expectStaleThenFresh(async () => (await title(b, url)) === renamed, "instance B after 'max' on A");
});

// After 'max' the cluster serves the old content once in all: the first reader (on B) gets it, and the next request,
// on the other instance, is already fresh: B's first read claimed the one stale serve (packages/cache-handlers/stale-once.mjs).
for (const kind of ['a prerendered post', 'an on-demand post', 'feed.xml'] as const) {
  test(`${kind}: 'max' on A, one stale response in the whole cluster, then fresh on both`, async () => {
    const p = await post(kind === 'an on-demand post' ? 46 : 0);
    const url = kind === 'feed.xml' ? '/feed.xml' : `/posts/${p.slug}`;
    const renamed = `Cluster once ${unique()}`;
    const fresh = async (context: APIRequestContext) => {
      const response = await context.get(url);
      expect(response.status()).toBe(200);
      return (await response.text()).includes(renamed);
    };
    await warm(b, url);
    await warm(a, url);
    await rename(p.id, renamed);
    expect((await sendWebhook(a, { tags: [kind === 'feed.xml' ? tags.posts : tags.post(p.id)], mode: 'max' })).status()).toBe(200);
    expect(await fresh(b), "B's first request after 'max' gets the old content").toBe(false);
    expect(await fresh(a), 'the next request, on A, is fresh').toBe(true);
    await expect.poll(() => fresh(b), { timeout: 15_000, message: 'B never served the fresh content' }).toBe(true);
  });
}

test('an on-demand post: expire on A, fresh on B at once', async () => {
  const p = await post(47);
  const url = `/posts/${p.slug}`;
  await warm(b, url);
  const renamed = `Cluster on-demand expire ${unique()}`;
  await rename(p.id, renamed);
  expect((await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'expire' })).status()).toBe(200);
  await expectFreshAtOnce(async () => (await title(b, url)) === renamed, 'on-demand post on B after expire on A');
});

test('feed.xml (a route handler): expire on A, fresh on B at once', async () => {
  const p = await post(0);
  await warm(b, '/feed.xml');
  const renamed = `Cluster feed ${unique()}`;
  await rename(p.id, renamed);
  expect((await sendWebhook(a, { tags: [tags.posts], mode: 'expire' })).status()).toBe(200);
  await expectFreshAtOnce(async () => (await (await b.get('/feed.xml')).text()).includes(renamed), 'feed.xml on B');
});

test("a catalog product (our description and the inventory service's stock): invalidated on A, fresh on B", async () => {
  const sku = 'MUG-001';
  const url = `/catalog/${sku}`;
  await b.get(url);
  const description = `Cluster description ${unique()}`;
  await db()`update products set description = ${description} where sku = ${sku}`;
  expect((await sendWebhook(a, { tags: [tags.product(sku)], mode: 'expire' })).status()).toBe(200);
  await expectFreshAtOnce(async () => (await (await b.get(url)).text()).includes(description), 'product description on B');

  const inventory = process.env.INVENTORY_URL;
  test.skip(!inventory, 'no inventory service in this run');
  const stock = 100 + Math.floor(Math.random() * 800);
  // The service's own webhook goes to the single-instance app of the previous phase; we send ours to A.
  await fetch(`${inventory}/products/${sku}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stock }) });
  expect((await sendWebhook(a, { tags: [tags.product(sku), tags.inventory], mode: 'max' })).status()).toBe(200);
  await expectStaleThenFresh(async () => (await (await b.get(url)).text()).includes(`${stock} in stock`), 'inventory stock on B');
});

test('a Server Action on A (updateTag and max): B serves the edit at once, the home page and feed.xml once refreshed', async ({ browser }) => {
  const p = await post(1);
  await warm(b, `/posts/${p.slug}`);
  await warm(b, '/');
  await warm(b, '/feed.xml');
  const context = await browser.newContext({ baseURL: cluster.urlA });
  const page = await context.newPage();
  await signIn(page, LENA);
  const renamed = `Cluster action ${unique()}`;
  await page.goto(`/studio/posts/${p.id}`);
  await page.getByLabel('Title').fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Saved.');

  await expectFreshAtOnce(async () => (await title(b, `/posts/${p.slug}`)) === renamed, 'post page on B after updateTag on A');
  // 'max': the one stale serve may go to the browser's prefetch on A (its page links to both); then fresh for good.
  await expectFreshSoon(async () => (await (await b.get('/')).text()).includes(renamed), "home page on B after 'max' on A");
  await expectFreshSoon(async () => (await (await b.get('/feed.xml')).text()).includes(renamed), "feed.xml on B after 'max' on A");
  await context.close();
});

test('a Server Action on A on an on-demand post (updateTag): B serves the edit at once', async ({ browser }) => {
  const p = await post(48);
  await warm(b, `/posts/${p.slug}`);
  const context = await browser.newContext({ baseURL: cluster.urlA });
  const page = await context.newPage();
  await signIn(page, LENA);
  const renamed = `Cluster on-demand action ${unique()}`;
  await page.goto(`/studio/posts/${p.id}`);
  await page.getByLabel('Title').fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Saved.');
  await expectFreshAtOnce(async () => (await title(b, `/posts/${p.slug}`)) === renamed, 'on-demand post on B after updateTag on A');
  await context.close();
});

test('a Server Action posted to B from a page served by A works', async ({ browser }) => {
  const p = await post(2);
  const context = await browser.newContext({ baseURL: cluster.urlA });
  const page = await context.newPage();
  await signIn(page, LENA);
  await page.goto(`/studio/posts/${p.id}`);
  // The form was rendered by A; its POST (the Server Action) goes to B, as a load balancer may send it. The Host
  // stays the one the browser used, as behind a balancer both instances see the same public host.
  const servedBy: string[] = [];
  await page.route(`${cluster.urlA}/studio/**`, async (route) => {
    const sent = route.request();
    if (sent.method() !== 'POST') return route.continue();
    const headers = { ...(await sent.allHeaders()), host: new URL(cluster.urlA).host };
    const answer = await forward(cluster.urlB, sent.url(), sent.method(), headers, sent.postDataBuffer());
    servedBy.push(cluster.urlB);
    await route.fulfill(answer);
  });
  const renamed = `Cluster cross ${unique()}`;
  await page.getByLabel('Title').fill(renamed);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('form-message')).toHaveText('Saved.');
  expect(servedBy).toContain(cluster.urlB);
  const [row] = await db()`select title from posts where id = ${p.id}`;
  expect(row.title).toBe(renamed);
  await context.close();
});

test('an instance restarted after an invalidation, before any request, never serves the old content', async () => {
  const p = await post(3);
  const url = `/posts/${p.slug}`;
  await warm(b, url);
  const renamed = `Cluster restart ${unique()}`;
  await rename(p.id, renamed);
  await cluster.instances.b.stop();
  expect((await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'expire' })).status()).toBe(200);
  await cluster.instances.b.start();
  expect(await title(b, url)).toBe(renamed);
});

test('a restarted instance serves what the shared cache holds: no re-render storm', async () => {
  const paths = ['/', '/feed.xml', ...(await db()`select slug from posts where status = 'published' order by id limit 20`).map((r) => `/posts/${r.slug}`)];
  for (const url of paths) await warm(a, url);
  await cluster.instances.b.stop();
  await cluster.instances.b.start();
  const states = [];
  for (const url of paths) states.push((await b.get(url)).headers()['x-nextjs-cache']);
  const hits = states.filter((s) => s === 'HIT').length;
  expect(hits, `first requests after restart: ${states.join(' ')}`).toBe(paths.length);
});

test('Redis stops mid-run: no errors, and an invalidation made meanwhile reaches B when Redis returns', async () => {
  const p = await post(4);
  const url = `/posts/${p.slug}`;
  await warm(a, url);
  await warm(b, url);
  await redis.stop();
  try {
    for (const context of [a, b]) {
      for (const path of [url, '/', '/feed.xml', '/catalog', `/posts/does-not-exist-${unique()}`]) {
        expect((await context.get(path)).status(), `${path} while Redis is down`).toBeLessThan(500);
      }
    }
    const renamed = `Cluster outage ${unique()}`;
    await rename(p.id, renamed);
    const response = await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'expire' });
    // Accepted and applied here, not yet everywhere: 202 and "pending", in the response and in the log.
    expect(response.status()).toBe(202);
    const { id, status } = await response.json();
    expect(status).toBe('pending');
    expect((await db()`select outcome from revalidations where delivery_id = ${id}`)[0].outcome).toBe('pending');
    expect(await title(a, url)).toBe(renamed);

    await redis.start();
    await expect.poll(() => title(b, url), { timeout: 20_000, message: 'B never got the invalidation made while Redis was down' }).toBe(renamed);
    await expect.poll(async () => (await db()`select outcome from revalidations where delivery_id = ${id}`)[0].outcome, { timeout: 10_000 }).toBe('applied');
  } finally {
    await redis.start();
  }
});

test('a flood of invented URLs (ten times the bound): shared storage stays within CACHE_MAX_ENTRIES', async () => {
  // `npm run bench -- --shared-cache` floods 10,000 and reports memory and storage; ten times the bound proves the bound.
  test.setTimeout(300_000);
  const total = 10 * MAX_ENTRIES;
  let next = 0;
  const worker = async (context: APIRequestContext) => {
    while (next < total) {
      const n = next++;
      const response = await context.get(`/posts/invented-${n}-${unique()}`);
      expect(response.status()).toBe(404);
      await response.dispose();
    }
  };
  const diskBefore = [cluster.instances.a, cluster.instances.b].map((i) => bytesUnder(i.distDir));
  await Promise.all(Array.from({ length: 16 }, (_, i) => worker(i % 2 ? a : b)));
  // Memory: each instance's in-process layer held at its bound (CACHE_MEMORY_MB), which the flood reached.
  for (const [name, context] of [['A', a], ['B', b]] as const) {
    const values = await scrape(context);
    const used = valueOf(values, 'ntc_cache_memory_bytes{handler="pages",kind="used"}');
    expect(valueOf(values, 'ntc_cache_memory_bytes{handler="pages",kind="max"}'), name).toBe(MEMORY_MB * 1024 * 1024);
    expect(used, `${name}: page layer in memory`).toBeLessThanOrEqual(MEMORY_MB * 1024 * 1024);
    expect(used, `${name}: the flood filled the page layer (so the bound is what held it)`).toBeGreaterThan((MEMORY_MB * 1024 * 1024) / 2);
  }
  // Disk: with Redis, no entry is written beside the build.
  [cluster.instances.a, cluster.instances.b].forEach((instance, i) => {
    expect(bytesUnder(instance.distDir) - diskBefore[i], `${instance.name}: bytes written to its build directory`).toBeLessThan(1024 * 1024);
  });
  const { default: Redis } = await import('ioredis');
  const conn = new Redis(redis.url);
  try {
    for (const layer of ['pages', 'use-cache']) {
      const keys = await conn.keys(`ntc:${layer}:*`);
      expect(keys.length, `${layer} entries in Redis`).toBeLessThanOrEqual(MAX_ENTRIES + 1);
    }
  } finally {
    conn.disconnect();
  }
});

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * One more instance from a copy of the build (Next wants its build directory inside the project), with no cache
 * state of its own yet, started and restarted by the test.
 */
async function extraInstance(name: string, env: Record<string, string>) {
  const copy = `${distDir.replace(/\/+$/, '')}-${name}`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(distDir, copy, { recursive: true });
  rmSync(path.join(copy, 'cache', 'tagged'), { recursive: true, force: true });
  const port = await freePort();
  let proc: ReturnType<typeof startProcess> | undefined;
  const start = async () => {
    proc = startProcess(name, process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], { ...process.env, ...env, NEXT_DIST_DIR: copy }, (line) => {
      if (/error|Error|\[cache\]/.test(line)) console.log(line);
    });
    await waitForHttp(`http://127.0.0.1:${port}/feed.xml`, proc);
  };
  await start();
  return {
    distDir: copy,
    context: await playwrightRequest.newContext({ baseURL: `http://127.0.0.1:${port}` }),
    /** Stops it (`kill`: with SIGKILL, as a crash would) and starts it again on the same copy and port. */
    restart: async ({ kill = false } = {}) => {
      if (kill && proc) {
        // The whole process group: the tether (scripts/process/tether.mjs) and the next start it runs.
        process.kill(-proc.pid, 'SIGKILL');
        await proc.exited;
        const group = -proc.pid;
        const left = () => {
          try {
            process.kill(group, 0);
            return true;
          } catch {
            return false;
          }
        };
        await expect.poll(left, { message: 'nothing of the killed instance is left' }).toBe(false);
      } else await proc?.stop();
      await start();
    },
    remove: async () => {
      await proc?.stop();
      rmSync(copy, { recursive: true, force: true });
    },
  };
}

test('without Redis, one instance restarted after an invalidation never serves the old content', async () => {
  // The single-instance default: tag state in a journal beside the build.
  const local = await extraInstance('local', { REDIS_URL: '', CACHE_MAX_ENTRIES: String(MAX_ENTRIES) });
  try {
    const p = await post(5);
    const url = `/posts/${p.slug}`;
    await warm(local.context, url);
    const renamed = `Local restart ${unique()}`;
    await rename(p.id, renamed);
    expect((await sendWebhook(local.context, { tags: [tags.post(p.id)], mode: 'expire' })).status()).toBe(200);
    await local.restart();
    expect(await title(local.context, url)).toBe(renamed);

    // Without Redis the page layer is files beside the build: a flood of invented URLs (three times the bound)
    // leaves at most CACHE_MAX_ENTRIES of them.
    for (let n = 0; n < 3 * MAX_ENTRIES; n++) {
      const response = await local.context.get(`/posts/invented-local-${n}-${unique()}`);
      expect(response.status()).toBe(404);
      await response.dispose();
    }
    const files = readdirSync(path.join(local.distDir, 'cache', 'tagged', 'pages')).filter((f) => !f.endsWith('.tmp'));
    expect(files.length, 'page entries on disk').toBeGreaterThan(MAX_ENTRIES / 2);
    expect(files.length, 'page entries on disk').toBeLessThanOrEqual(MAX_ENTRIES);
  } finally {
    await local.remove();
  }
});

test("without Redis, killed right after a 'max' webhook: the restarted instance serves the old page while it renders, then the new", async () => {
  const local = await extraInstance('killed', { REDIS_URL: '' });
  try {
    const p = await post(7);
    const url = `/posts/${p.slug}`;
    await warm(local.context, url);
    const renamed = `Killed after max ${unique()}`;
    await rename(p.id, renamed);
    expect((await sendWebhook(local.context, { tags: [tags.post(p.id)], mode: 'max' })).status()).toBe(200);
    await local.restart({ kill: true });
    // The 'max' survived the crash: stale, not forgotten (fresh at once would be expire) nor lost (old for good).
    await expectStaleThenFresh(async () => (await title(local.context, url)) === renamed, "the instance killed after 'max'");
  } finally {
    await local.remove();
  }
});

test('an instance started while Redis is unreachable serves pages, and joins the others when Redis is back', async () => {
  await redis.stop();
  const late = await extraInstance('late', { REDIS_URL: redis.url });
  try {
    const p = await post(6);
    const url = `/posts/${p.slug}`;
    for (const path of [url, '/', '/feed.xml', '/catalog']) expect((await late.context.get(path)).status(), path).toBe(200);
    await redis.start();
    // It reconnects by itself; then an invalidation on A reaches it like any other instance.
    await warm(late.context, url);
    const renamed = `Late joiner ${unique()}`;
    await rename(p.id, renamed);
    await expect
      .poll(async () => (await sendWebhook(a, { tags: [tags.post(p.id)], mode: 'expire' })).status(), { timeout: 15_000 })
      .toBe(200);
    await expect.poll(() => title(late.context, url), { timeout: 15_000 }).toBe(renamed);
  } finally {
    await redis.start();
    await late.remove();
  }
});
