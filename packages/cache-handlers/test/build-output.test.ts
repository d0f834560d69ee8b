// The page handler serves what `next build` prerendered from the build's output files (build-output.mjs),
// only for the key they were rendered for and not once an invalidation has expired them; and during the build it
// stores nothing, since no server could read it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalPageHandler } from './local-handlers';

type Entry = { lastModified: number; value: { rscData?: Buffer; segmentData?: Map<string, Buffer>; body?: Buffer } };
type Handler = { get(key: string, ctx: object): Promise<Entry | null>; set(key: string, data: unknown, ctx: object): Promise<void> };

const dist = mkdtempSync(path.join(os.tmpdir(), 'ntc-build-output-'));
const cacheDir = path.join(dist, 'cache', 'tagged');
const appDir = path.join(dist, 'server', 'app');
const builtAt = Math.floor(Date.now() / 1000 - 600) * 1000; // whole seconds: file times keep no finer
const keyOf = (kind: string, route: string, pathname: string) => `/route-cache/${kind}/${route.repeat(64).slice(0, 64)}/$${pathname}`;
let handler: Handler;
let update: (tags: string[]) => Promise<unknown>;

/** Writes a build's files for `pathname` the way `next build` does, dated ten minutes ago. */
function built(pathname: string, key: string, files: Record<string, string>, meta: object) {
  const base = path.join(appDir, pathname);
  mkdirSync(path.dirname(base), { recursive: true });
  writeFileSync(`${base}.meta`, JSON.stringify({ status: 200, ...meta, routeCache: { key, owner: {}, isFallback: false } }));
  for (const [suffix, body] of Object.entries(files)) {
    mkdirSync(path.dirname(`${base}${suffix}`), { recursive: true });
    writeFileSync(`${base}${suffix}`, body);
    utimesSync(`${base}${suffix}`, builtAt / 1000, builtAt / 1000);
  }
}
const stored = () => readdirSync(path.join(cacheDir, 'pages')).length;

const post = keyOf('APP_PAGE', 'a', '/posts/hello');
const feed = keyOf('APP_ROUTE', 'b', '/feed.xml');
const renamed = keyOf('APP_PAGE', 'c', '/posts/renamed');

beforeAll(async () => {
  // Read once per process by the handlers: set before they load.
  process.env.NEXT_DIST_DIR = dist;
  writeFileSync(
    path.join(dist, 'prerender-manifest.json'),
    JSON.stringify({ routes: { '/posts/hello': { initialRevalidateSeconds: 3600, initialExpireSeconds: 86_400 }, '/feed.xml': { initialRevalidateSeconds: 900, initialExpireSeconds: 86_400 } }, dynamicRoutes: {} }),
  );
  const pageHeaders = (tag: string) => ({ 'x-next-cache-tags': `_N_T_/layout,${tag}` });
  built('/posts/hello', post, { '.html': '<h1>Hello</h1>', '.rsc': 'rsc', '.segments/_tree.segment.rsc': 'tree' }, { headers: pageHeaders('post:1'), segmentPaths: ['/_tree'] });
  built('/feed.xml', feed, { '.body': '<rss/>' }, { headers: { 'content-type': 'application/rss+xml', ...pageHeaders('posts') } });
  built('/posts/renamed', renamed, { '.html': '<h1>Old title</h1>', '.rsc': 'rsc' }, { headers: pageHeaders('post:2') });
  handler = (await loadLocalPageHandler(cacheDir)) as unknown as Handler;
  const { getTagStore } = await import('../tag-store.mjs');
  update = (tags) => getTagStore().update(tags, undefined);
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("the build's prerendered output", () => {
  it('is served from its files on the first read, dated by the build, with its lifetime from the manifest, and stored', async () => {
    const page = await handler.get(post, { kind: 'APP_PAGE', isRoutePPREnabled: true });
    expect(page).toMatchObject({ lastModified: builtAt, value: { kind: 'APP_PAGE', html: '<h1>Hello</h1>', status: 200 }, cacheControl: { revalidate: 3600, expire: 86_400 } });
    expect(String(page!.value.rscData)).toBe('rsc');
    expect(String(page!.value.segmentData?.get('/_tree'))).toBe('tree');
    expect(stored(), 'kept in the store, so the next read needs no files').toBe(1);

    const route = await handler.get(feed, { kind: 'APP_ROUTE' });
    expect(route).toMatchObject({ value: { kind: 'APP_ROUTE', headers: { 'content-type': 'application/rss+xml' } }, cacheControl: { revalidate: 900 } });
    expect(String(route!.value.body)).toBe('<rss/>');
  });

  it('answers only the key it was rendered for', async () => {
    expect(await handler.get(keyOf('APP_PAGE', 'd', '/posts/hello'), { kind: 'APP_PAGE' }), 'another route at the same path').toBeNull();
    expect(await handler.get(keyOf('APP_PAGE', 'a', '/../../../etc/passwd'), { kind: 'APP_PAGE' })).toBeNull();
  });

  it('is not served once an invalidation after the build has expired it', async () => {
    await update(['post:2']);
    expect(await handler.get(renamed, { kind: 'APP_PAGE' })).toBeNull();
  });

  it('is the only thing the build leaves: during `next build` the handler neither stores nor reads entries', async () => {
    const before = stored();
    process.env.NEXT_PHASE = 'phase-production-build';
    try {
      await handler.set('/fetch-key', { kind: 'FETCH', data: { body: 'x' }, revalidate: 60 }, { fetchCache: true });
      expect(stored()).toBe(before);
      expect(await handler.get(post, { kind: 'APP_PAGE' })).toBeNull();
    } finally {
      delete process.env.NEXT_PHASE;
    }
  });
});
