// @ts-check
// The responses `next build` prerendered, read from its output. The build writes them as files and never through the
// page handler; with a custom cacheHandler Next does not read those files either, it only asks the handler for the
// route-scoped key (docs: incrementalCacheHandlerPath.md). Without this every prerendered page and route would be
// rendered again on its first request. The layout is the one Next's own file-system cache reads as "build seeds"
// (next/dist/server/lib/incremental-cache/file-system-cache.js): server/app/<path>.meta names the scoped key the files
// were rendered for; .html, .rsc and .segments/ hold a page, .body a route handler's response.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { distDir } from './config.mjs';

/**
 * @typedef {import('./pages.mjs').CachedValue} CachedValue
 * @typedef {import('./pages.mjs').CacheControl} CacheControl
 * @typedef {{ kind?: string, isFallback?: boolean, isRoutePPREnabled?: boolean }} Context
 * @typedef {{ status?: number, headers?: Record<string, unknown>, postponed?: string, segmentPaths?: string[],
 *   routeCache?: { key?: string, isFallback?: boolean } }} Meta
 */

const appDir = path.join(distDir, 'server', 'app');

/**
 * The build's response for `key`, dated by when the build wrote it, or undefined when the build made none.
 * @param {string} key the route-scoped key Next asks the handler for
 * @param {Context} ctx
 * @returns {Promise<{ timestamp: number, value: CachedValue, cacheControl?: CacheControl } | undefined>}
 */
export async function readBuildOutput(key, ctx) {
  if (ctx.kind !== 'APP_PAGE' && ctx.kind !== 'APP_ROUTE') return undefined;
  // The build names its files by the pathname after the key's route namespace, and records the full key in .meta.
  const marker = key.indexOf('/$/');
  if (marker === -1) return undefined;
  const file = key.slice(marker + 2);
  const base = path.join(appDir, file);
  if (!base.startsWith(appDir + path.sep)) return undefined;
  try {
    /** @type {Meta} */
    const meta = JSON.parse(await readFile(`${base}.meta`, 'utf8'));
    if (!isFor(meta, key, ctx)) return undefined;
    const primary = ctx.kind === 'APP_ROUTE' ? `${base}.body` : `${base}.html`;
    const value = ctx.kind === 'APP_ROUTE' ? { kind: 'APP_ROUTE', body: await readFile(primary), headers: meta.headers, status: meta.status } : await pageValue(base, meta, ctx);
    const { mtimeMs } = await stat(primary);
    return { timestamp: Math.floor(mtimeMs), value, cacheControl: await lifetimeOf(file) };
  } catch {
    return undefined; // no such file (a page the build did not prerender), or unreadable: a miss
  }
}

/**
 * Files at the same path may belong to another route or variant. A partially prerendered fallback shell is also read
 * by ordinary lookups (isFallback false), as Next's own cache allows.
 * @param {Meta} meta
 * @param {string} key
 * @param {Context} ctx
 */
function isFor(meta, key, ctx) {
  if (meta.routeCache?.key !== key) return false;
  return Boolean(meta.routeCache.isFallback) === Boolean(ctx.isFallback) || (ctx.kind === 'APP_PAGE' && Boolean(ctx.isRoutePPREnabled) && meta.postponed != null);
}

/**
 * @param {string} base
 * @param {Meta} meta
 * @param {Context} ctx
 * @returns {Promise<CachedValue>}
 */
async function pageValue(base, meta, ctx) {
  /** @type {Map<string, Buffer> | undefined} */
  let segmentData;
  if (meta.segmentPaths) {
    const segments = new Map();
    // A segment that cannot be read is left out: Next treats it as one without a prefetch.
    await Promise.all(meta.segmentPaths.map((segment) => readFile(`${base}.segments${segment}.segment.rsc`).then((bytes) => segments.set(segment, bytes), () => {})));
    segmentData = segments;
  }
  // A page with postponed parts has no complete RSC payload of its own; neither has a fallback shell.
  const rscData = !ctx.isFallback && (!ctx.isRoutePPREnabled || meta.postponed == null) ? await readFile(`${base}.rsc`) : undefined;
  return { kind: 'APP_PAGE', html: await readFile(`${base}.html`, 'utf8'), rscData, postponed: meta.postponed, headers: meta.headers, status: meta.status, segmentData };
}

/** @type {Promise<Map<string, CacheControl>> | undefined} */
let lifetimes;

/**
 * A prerendered route's revalidate and expire times, from the build's prerender manifest (.meta files do not hold
 * them), keyed by the route's file path.
 * @param {string} file
 */
async function lifetimeOf(file) {
  lifetimes ??= readFile(path.join(distDir, 'prerender-manifest.json'), 'utf8').then(
    (json) => {
      const { routes = {}, dynamicRoutes = {} } = JSON.parse(json);
      /** @type {Map<string, CacheControl>} */
      const byFile = new Map();
      for (const [pathname, route] of Object.entries(dynamicRoutes)) {
        if (route.fallbackRevalidate !== undefined) byFile.set(fileOf(pathname), { revalidate: route.fallbackRevalidate, expire: route.fallbackExpire });
      }
      for (const [pathname, route] of Object.entries(routes)) {
        if (route.initialRevalidateSeconds !== undefined) byFile.set(fileOf(pathname), { revalidate: route.initialRevalidateSeconds, expire: route.initialExpireSeconds });
      }
      return byFile;
    },
    () => new Map(),
  );
  return (await lifetimes).get(file);
}

/**
 * Where the build writes a pathname's files (Next's normalizePagePath): `/` is `/index`, and a path already under
 * /index gets a second one.
 * @param {string} pathname
 */
function fileOf(pathname) {
  if (pathname === '/') return '/index';
  return /^\/index(\/|$)/.test(pathname) && !pathname.includes('[') ? `/index${pathname}` : pathname;
}
