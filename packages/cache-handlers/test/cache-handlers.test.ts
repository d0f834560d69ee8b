// The cache handlers' parts against a real Redis (a private redis-server on a free port, started and stopped here, so
// the shared one is never touched) and real files: the invalidation rule, tag state shared between "instances",
// invalidations kept while Redis is away, and bounded entry storage.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EntryStore } from '../entry-store.mjs';
import { connectRedis, type CacheRedis } from '../redis.mjs';
import { staleClaims } from '../stale-once.mjs';
import { expiredSince, mergeTagState, staleSince, tagOp, type TagOp, type TagState } from '../tag-state.mjs';
import { TagStore } from '../tag-store.mjs';
import { freePort } from './redis-server';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external.js';
import { RedisServer } from './redis-server';

const YEAR = { expire: 31_536_000 };
/** Runs `fn` as Next runs a request's work (the handlers see one request in it). */
const serving = <T>(fn: () => Promise<T>) => workAsyncStorage.run({} as Parameters<typeof workAsyncStorage.run>[0], fn);
const fold = (ops: TagOp[]) => ops.reduce<TagState | undefined>((state, op) => mergeTagState(state, op), undefined);

describe('the invalidation rule', () => {
  it("updateTag expires at once; 'max' is stale now and expires a year later; expire: 0 is both", () => {
    const entryMadeAt = 1_000;
    const update = fold([tagOp(['t'], undefined, 2_000, 'a')]);
    expect(expiredSince(update, entryMadeAt, 2_001)).toBe(true);
    expect(expiredSince(update, 2_500, 2_501)).toBe(false); // made after the invalidation: fresh

    const max = fold([tagOp(['t'], YEAR, 2_000, 'b')]);
    expect(expiredSince(max, entryMadeAt, 2_001)).toBe(false);
    expect(staleSince(max, entryMadeAt)).toBe(true);
    expect(staleSince(max, 2_500)).toBe(false); // the refreshed entry is fresh: 'max' can be cached again

    const expireNow = fold([tagOp(['t'], { expire: 0 }, 2_000, 'c')]);
    expect(expiredSince(expireNow, entryMadeAt, 2_001)).toBe(true);
  });

  it("a later 'max' does not turn an entry that was already expired back into a stale one", () => {
    const state = fold([tagOp(['t'], { expire: 0 }, 2_000, 'a'), tagOp(['t'], YEAR, 3_000, 'b')]);
    expect(expiredSince(state, 1_000, 3_001)).toBe(true); // made before the hard expiry
    expect(expiredSince(state, 2_500, 3_001)).toBe(false); // made between: stale only
    expect(staleSince(state, 2_500)).toBe(true);
  });

  it('gives one result whatever order ops arrive in, and applying one twice changes nothing', () => {
    const ops = [tagOp(['t'], YEAR, 1_000, 'a'), tagOp(['t'], undefined, 2_000, 'b'), tagOp(['t'], { expire: 0 }, 3_000, 'c'), tagOp(['t'], YEAR, 4_000, 'd')];
    const expected = fold(ops);
    for (const order of [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) expect(fold(order.map((i) => ops[i]))).toEqual(expected);
    expect(fold([...ops, ...ops])).toEqual(expected);
  });
});

// ── against Redis ──────────────────────────────────────────────────────────────────────────────────────────────

let redis: RedisServer;
const clients: CacheRedis[] = [];
const dirs: string[] = [];

function client() {
  const c = connectRedis(redis.url);
  clients.push(c);
  return c;
}

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-cache-test-'));
  dirs.push(dir);
  return dir;
}

/** One "instance": its own connection and its own journal directory, as separate processes have. */
async function instance(prefix: string, dir = tempDir()) {
  const redis = client();
  await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready');
  return new TagStore({ redis, dir, prefix });
}

beforeAll(async () => {
  redis = new RedisServer(await freePort());
  await redis.start();
});
afterEach(async () => {
  await redis.start(); // a test that stopped it leaves the next one a running server
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('tag state shared through Redis', () => {
  it('applies the same rule in Redis (Lua) as in the instance (JS)', async () => {
    const conn = client();
    await expect.poll(() => conn.status).toBe('ready');
    const ops = [tagOp(['x', 'y'], YEAR, 1_000, 'a'), tagOp(['x'], { expire: 0 }, 3_000, 'c'), tagOp(['x'], undefined, 2_000, 'b'), tagOp(['y'], YEAR, 4_000, 'd')];
    for (const op of ops) await conn.applyTagOp('rule:tags', 'rule:events', JSON.stringify(op), '0');
    const stored = await conn.hgetall('rule:tags');
    expect(JSON.parse(stored.x)).toEqual(fold(ops.filter((op) => op.tags.includes('x'))));
    expect(JSON.parse(stored.y)).toEqual(fold(ops.filter((op) => op.tags.includes('y'))));
  });

  it('an invalidation on one instance is seen by another on its next sync', async () => {
    const [a, b] = [await instance('share'), await instance('share')];
    await b.sync();
    const madeAt = Date.now() - 10;
    expect(b.isExpired(['post:1'], madeAt)).toBe(false);
    expect(await a.update(['post:1'], undefined)).toMatchObject({ status: 'applied' });
    await b.sync();
    expect(b.isExpired(['post:1'], madeAt)).toBe(true);
    expect(await a.update(['posts'], YEAR)).toMatchObject({ status: 'applied' });
    await b.sync();
    expect(b.isStale(['posts'], madeAt)).toBe(true);
    expect(b.isExpired(['posts'], madeAt)).toBe(false);
    // A new instance loads everything at once.
    const c = await instance('share');
    await c.sync();
    expect(c.isExpired(['post:1'], madeAt)).toBe(true);
  });

  it("writes each invalidation of a request once: the app's own call, then Next's calls for the same request add nothing", async () => {
    const conn = client();
    await expect.poll(() => conn.status).toBe('ready');
    const store = new TagStore({ redis: conn, dir: tempDir(), prefix: 'once' });
    const tagsOf = async () => (await conn.xrange('once:tag-events', '-', '+')).map(([, fields]) => JSON.parse(fields[1]).tags);
    // What a Server Action does: the app records post:2, then Next hands post:2 and post:3 to both handler kinds,
    // before the re-render and again after it.
    await serving(async () => {
      await store.update(['post:2'], undefined);
      for (let call = 0; call < 4; call++) await store.updateFromNext(['post:2', 'post:3'], undefined);
      await store.updateFromNext(['post:3'], YEAR); // stale is another invalidation than expired
    });
    expect(await tagsOf()).toEqual([['post:2'], ['post:3'], ['post:3']]);
    // Another request's invalidation of the same tag is its own.
    await serving(() => store.updateFromNext(['post:2'], undefined));
    // Outside a request, one batch handed to both handler kinds is one invalidation; a new batch is another.
    const batch = ['post:4'];
    await store.updateFromNext(batch, undefined);
    await store.updateFromNext(batch, undefined);
    await store.updateFromNext(['post:4'], undefined);
    expect(await tagsOf()).toEqual([['post:2'], ['post:3'], ['post:3'], ['post:2'], ['post:4'], ['post:4']]);
  });

  it('keeps an invalidation made while Redis is away, applies it locally, and delivers it when Redis returns', async () => {
    const dir = tempDir();
    const a = await instance('outage', dir);
    const landed: string[] = [];
    a.onLanded((ids) => landed.push(...ids));
    await redis.stop();
    await expect.poll(() => clients.at(-1)!.status).not.toBe('ready');
    const madeAt = Date.now() - 10;
    const { id, status } = await a.update(['post:9'], { expire: 0 });
    expect(status).toBe('queued');
    expect(a.isExpired(['post:9'], madeAt)).toBe(true); // this instance is right at once
    expect(a.isOutstanding(id)).toBe(true);
    await a.sync(); // never throws, never waits for an absent Redis

    await redis.start();
    await expect.poll(() => landed, { timeout: 15_000 }).toContain(id);
    expect(a.isOutstanding(id), 'landed: no longer outstanding').toBe(false);
    const b = await instance('outage');
    await b.sync();
    expect(b.isExpired(['post:9'], madeAt)).toBe(true);
  });

  it('resends after a restart an invalidation that Redis never received', async () => {
    const dir = tempDir();
    const a = await instance('restart', dir);
    await redis.stop();
    await expect.poll(() => clients.at(-1)!.status).not.toBe('ready');
    const madeAt = Date.now() - 10;
    expect((await a.update(['post:5'], undefined)).status).toBe('queued');
    clients.at(-1)!.disconnect(); // the process dies with the invalidation only in its journal

    const restarted = new TagStore({ redis: client(), dir, prefix: 'restart' });
    expect(restarted.isExpired(['post:5'], madeAt)).toBe(true); // from the journal, before Redis is back
    await redis.start();
    const b = await instance('restart');
    await expect
      .poll(async () => {
        await b.sync();
        return b.isExpired(['post:5'], madeAt);
      }, { timeout: 15_000 })
      .toBe(true);
  });

  it('without Redis, tag state survives a restart through the journal', async () => {
    const dir = tempDir();
    const madeAt = Date.now() - 10;
    await new TagStore({ redis: null, dir, prefix: 'local' }).update(['post:7'], { expire: 0 });
    expect(new TagStore({ redis: null, dir, prefix: 'local' }).isExpired(['post:7'], madeAt)).toBe(true);
  });
});

describe("after 'max', one stale serve", () => {
  it('the first read of a stale entry, on any instance, is served stale; every later one is a miss', async () => {
    const conn = [client(), client()];
    for (const c of conn) await expect.poll(() => c.status).toBe('ready');
    // Two instances: each has its own process-local claims, and Redis between them.
    const [a, b] = conn.map((redis) => staleClaims({ redis, prefix: 'stale1' }));
    expect(await a('pages', '/posts/x', 1_000)).toBe(true);
    expect(await a('pages', '/posts/x', 1_000)).toBe(false);
    expect(await b('pages', '/posts/x', 1_000)).toBe(false);
    // A later 'max' of the same entry, another entry, or the other handler: each has its own one stale serve.
    expect(await b('pages', '/posts/x', 2_000)).toBe(true);
    expect(await b('pages', '/posts/y', 1_000)).toBe(true);
    expect(await a('use-cache', '/posts/x', 1_000)).toBe(true);
  });

  it('without Redis (or while it is away) the instance keeps its own claims', async () => {
    const claim = staleClaims({ redis: null, prefix: 'stale2' });
    expect(await claim('pages', 'k', 5)).toBe(true);
    expect(await claim('pages', 'k', 5)).toBe(false);
  });
});

describe('entry storage', () => {
  type Page = { timestamp: number; value: { kind: string; html: string; rscData: Buffer; segmentData: Map<string, Buffer> } };
  const page = (n: number): Page => ({
    timestamp: Date.now(),
    value: { kind: 'APP_PAGE', html: `<p>${n}</p>`, rscData: Buffer.from([0, 255, n % 256]), segmentData: new Map([['/a', Buffer.from(`seg ${n}`)]]) },
  });
  const always = () => true;

  it('keeps Buffer and Map intact through Redis, and shares entries between instances', async () => {
    const options = { layer: 'pages', dir: tempDir(), prefix: 'entries', memoryBytes: 1 << 20, maxEntries: 100 };
    const a = new EntryStore<Page>({ ...options, redis: client() });
    const b = new EntryStore<Page>({ ...options, redis: client() });
    await expect.poll(() => clients.at(-1)!.status).toBe('ready');
    await a.set('/posts/x', page(7), 60);
    const read = await b.get('/posts/x', always);
    expect(Buffer.isBuffer(read?.value.rscData)).toBe(true);
    expect(read?.value.rscData.equals(Buffer.from([0, 255, 7]))).toBe(true);
    expect(read?.value.segmentData).toBeInstanceOf(Map);
    expect(read?.value.segmentData.get('/a')?.toString()).toBe('seg 7');
  });

  it('bounds Redis to CACHE_MAX_ENTRIES, dropping the oldest written', async () => {
    const conn = client();
    await expect.poll(() => conn.status).toBe('ready');
    const store = new EntryStore<Page>({ layer: 'pages', redis: conn, dir: tempDir(), prefix: 'bounded', memoryBytes: 64 * 1024, maxEntries: 50 });
    for (let n = 0; n < 300; n++) await store.set(`/posts/invented-${n}`, page(n), 3600);
    expect(await conn.zcard('bounded:pages:index')).toBe(50);
    expect((await conn.keys('bounded:pages:*')).length).toBe(51); // 50 entries and the index
    const fresh = new EntryStore<Page>({ layer: 'pages', redis: conn, dir: tempDir(), prefix: 'bounded', memoryBytes: 64 * 1024, maxEntries: 50 });
    expect(await fresh.get('/posts/invented-299', always)).toBeDefined();
    expect(await fresh.get('/posts/invented-0', always)).toBeUndefined();
  });

  it('bounds the files of the local store, which survive a restart', async () => {
    const dir = tempDir();
    const store = new EntryStore<Page>({ layer: 'pages', redis: null, dir, prefix: 'files', memoryBytes: 64 * 1024, maxEntries: 40 });
    for (let n = 0; n < 200; n++) await store.set(`/posts/invented-${n}`, page(n), 3600);
    expect(readdirSync(path.join(dir, 'pages'))).toHaveLength(40);
    const restarted = new EntryStore<Page>({ layer: 'pages', redis: null, dir, prefix: 'files', memoryBytes: 64 * 1024, maxEntries: 40 });
    expect((await restarted.get('/posts/invented-199', always))?.value.html).toBe('<p>199</p>');
  });

  it('bounds memory by bytes, not by entry count', async () => {
    const store = new EntryStore<Page>({ layer: 'pages', redis: null, dir: tempDir(), prefix: 'memory', memoryBytes: 20_000, maxEntries: 10_000 });
    for (let n = 0; n < 500; n++) await store.set(`/k${n}`, page(n), 3600);
    expect(store.memoryUsage().bytes).toBeLessThanOrEqual(20_000);
    expect(store.memoryUsage().entries).toBeLessThan(500);
    // What memory dropped is still read from the store behind it.
    expect((await store.get('/k499', always))?.value.html).toBe('<p>499</p>');
    expect((await store.get('/k0', always))?.value.html).toBe('<p>0</p>');
  });
});
