// @ts-check
// The page handler (next.config.ts `cacheHandler`): prerendered and on-demand pages, route handlers such as
// feed.xml, and the fetch cache. Next constructs this class once per request, so all state is at module scope.
//
// Next decides "fresh, stale or expired" for these entries from an in-process tag map that only its built-in
// handlers fill, so this handler applies the shared tag state itself:
// - a tag expired after the entry was made → null: a blocking render, the reader gets fresh content;
// - a tag stale (revalidateTag 'max') → the entry, reported as older than its revalidate time, so Next serves it
//   once (x-nextjs-cache: STALE) and renders a fresh one in the background. Once: the first read anywhere claims
//   that stale serve (stale-once.mjs); a later read, on any instance, is a miss and waits for the fresh render.
import { deserialize, serialize } from 'node:v8';
import { emit, fillTimer, reportMemoryLayer } from './metrics.mjs';
import { readBuildOutput } from './build-output.mjs';
import { config, isBuilding } from './config.mjs';
import { EDGE_TAGS_HEADER } from './edge.mjs';
import { entryStoreFor } from './entry-store.mjs';
import { claimStaleServe } from './stale-once.mjs';
import { getTagStore } from './tag-store.mjs';
import { now } from './clock.mjs';

/**
 * @typedef {{ revalidate?: number | false, expire?: number }} CacheControl
 * @typedef {{ kind: string, headers?: Record<string, unknown>, tags?: string[], revalidate?: number | false, [k: string]: unknown }} CachedValue
 * @typedef {{ timestamp: number, value: Buffer, revalidate?: number | false, cacheControl?: CacheControl, tags: string[] }} StoredPage
 *   value: the CachedValue, serialised (see stored()); revalidate: a fetch entry's own revalidate time
 * @typedef {{ kind?: string, tags?: string[], softTags?: string[], revalidate?: number | false, cacheControl?: CacheControl, isFallback?: boolean, isRoutePPREnabled?: boolean }} Context
 */

const tagStore = getTagStore();
// A page from another build references that build's scripts: never serve it to this one (perBuild).
/** @type {import('./entry-store.mjs').EntryStore<StoredPage>} */
const entries = entryStoreFor('pages', { perBuild: true });
const fills = fillTimer('pages');
reportMemoryLayer('pages', () => entries.memoryUsage());
/** @param {'hit' | 'stale-hit' | 'miss' | 'set'} type @param {import('./metrics.mjs').Layer | undefined} layer */
const count = (type, layer) => emit({ type, handler: 'pages', layer: layer ?? entries.sharedLayer });

/**
 * Page and route entries carry their tags (with the implicit `_N_T_` path tags) in a header; fetch entries get them
 * from the request's context.
 * @param {StoredPage} entry
 * @param {Context} ctx
 */
function tagsOf(entry, ctx) {
  if (ctx.kind === 'FETCH') return [...entry.tags, ...(ctx.tags ?? []), ...(ctx.softTags ?? [])];
  return entry.tags;
}

/** @param {CachedValue | null} value @param {Context} ctx */
function storedTags(value, ctx) {
  const header = value?.headers?.['x-next-cache-tags'];
  if (typeof header === 'string' && header) return header.split(',');
  return [...(value?.tags ?? []), ...(ctx.tags ?? [])];
}

/**
 * When each key's pending render began: the first read that found it missing or stale. A new entry is stamped with
 * that time, not with the time it is stored: a render that read its data before an invalidation and finished after
 * it must count as made before it (expired), or it would be served as fresh with the old data. Earlier than the
 * render's real start is the safe side: at worst one more render. Bounded: a render that never stores is forgotten.
 * @type {Map<string, number>}
 */
const renderStarts = new Map();
const MAX_PENDING_RENDERS = 10_000;

/** @param {string} key */
function noteRenderStart(key) {
  if (renderStarts.has(key)) return;
  if (renderStarts.size >= MAX_PENDING_RENDERS) renderStarts.delete(/** @type {string} */ (renderStarts.keys().next().value));
  // One millisecond early: an invalidation stamped in the same millisecond as the read may have come after it (the
  // tag store compares strictly), so it must count as newer than the render.
  renderStarts.set(key, now() - 1);
}

/** @param {string} key */
function takeRenderStart(key) {
  const at = renderStarts.get(key);
  renderStarts.delete(key);
  return at ?? now();
}

export default class PageCacheHandler {
  /**
   * @param {string} key
   * @param {Context} ctx
   */
  async get(key, ctx) {
    /** @type {{ layer?: import('./metrics.mjs').Layer }} */
    const found = {};
    const miss = () => {
      count('miss', found.layer);
      fills.missed(key);
      noteRenderStart(key);
      return null;
    };
    // Nothing the build stored could be read by a server (isBuilding): a miss, without asking the store.
    if (isBuilding()) return null;
    try {
      await tagStore.sync();
      const usable = (/** @type {StoredPage} */ e) => !tagStore.isExpired(tagsOf(e, ctx), e.timestamp) && !tagStore.isStale(tagsOf(e, ctx), e.timestamp);
      const entry = (await entries.get(key, usable, found)) ?? (await fromBuildOutput(key, ctx, found));
      // Not a Buffer: stored by an earlier version of this handler, which kept the value as an object.
      if (!entry || !Buffer.isBuffer(entry.value)) return miss();
      const tags = tagsOf(entry, ctx);
      if (tagStore.isExpired(tags, entry.timestamp)) return miss();
      let lastModified = entry.timestamp;
      if (tagStore.isStale(tags, entry.timestamp)) {
        const aged = agedForRevalidation(entry, ctx);
        // An entry that never revalidates by time cannot be served stale: render it fresh instead (zero stale
        // responses is within "at most one").
        if (aged === null) return miss();
        if (!(await claimStaleServe('pages', key, tagStore.staleAt(tags, entry.timestamp)))) return miss();
        lastModified = aged;
        // Next renders a fresh one in the background: its set ends that fill.
        fills.missed(key);
        noteRenderStart(key);
        count('stale-hit', found.layer);
      } else {
        count('hit', found.layer);
        // Past its revalidate time Next serves it and renders a new one in the background.
        if (dueByTime(entry, ctx)) noteRenderStart(key);
      }
      return { lastModified, value: withEdgeTags(deserialize(entry.value), tags, ctx), cacheControl: entry.cacheControl };
    } catch (error) {
      console.error('[cache] page get failed:', error);
      return miss();
    }
  }

  /**
   * @param {string} key
   * @param {CachedValue | null} data
   * @param {Context & { fetchCache?: boolean }} ctx
   */
  async set(key, data, ctx) {
    if (isBuilding()) return;
    try {
      const tags = storedTags(data, ctx);
      // Next awaits this set() before it answers a miss, with this same value: the tags added here reach that
      // response too, not only later hits.
      fills.filled(key);
      const timestamp = takeRenderStart(key);
      const layer = await entries.set(key, stored(timestamp, withEdgeTags(data, tags, ctx), ctx.cacheControl, tags), ttlSeconds(ctx.cacheControl));
      count('set', layer);
    } catch (error) {
      console.error('[cache] page set failed:', error);
    }
  }

  /**
   * @param {string | string[]} tags
   * @param {{ expire?: number }} [durations]
   */
  async revalidateTag(tags, durations) {
    await tagStore.updateFromNext(typeof tags === 'string' ? [tags] : tags, durations);
  }

  resetRequestCache() {}
}

/**
 * The build's own rendering of a prerendered page or route (build-output.mjs), stored like a render's result so the
 * next read finds it in the store; unless an invalidation since the build has expired it, when the render that
 * follows this miss stores its replacement.
 * @param {string} key
 * @param {Context} ctx
 * @param {{ layer?: import('./metrics.mjs').Layer }} found
 * @returns {Promise<StoredPage | undefined>}
 */
async function fromBuildOutput(key, ctx, found) {
  const built = await readBuildOutput(key, ctx);
  if (!built) return undefined;
  found.layer = 'file';
  const entry = stored(built.timestamp, built.value, built.cacheControl, storedTags(built.value, ctx));
  if (!tagStore.isExpired(entry.tags, entry.timestamp)) await entries.set(key, entry, ttlSeconds(entry.cacheControl));
  return entry;
}

/**
 * An entry as the store keeps it, with its value serialised: the in-memory LRU bounds entries by their serialised
 * size, and a page's live objects (its HTML as a string on the JS heap, Buffers that may share larger allocations)
 * are bigger than that and make the heap grow by more again, so CACHE_MEMORY_MB held far more than it said. Kept as
 * one Buffer, an entry takes what the LRU counts; each read deserialises a copy for Next (its strings are
 * short-lived).
 * @param {number} timestamp
 * @param {CachedValue | null} value
 * @param {CacheControl | undefined} cacheControl
 * @param {string[]} tags
 * @returns {StoredPage}
 */
function stored(timestamp, value, cacheControl, tags) {
  return { timestamp, value: serialize(value), revalidate: value?.revalidate, cacheControl, tags };
}

/**
 * How long an entry may be kept at all: its expire time, or the default for one that never expires.
 * @param {CacheControl | undefined} cacheControl
 */
function ttlSeconds(cacheControl) {
  const expire = cacheControl?.expire;
  return typeof expire === 'number' && expire > 0 ? expire : config.defaultTtlSeconds;
}

/**
 * Page and route entries: the tags of their content, in a header Next sends with the response (it removes its own
 * x-next-cache-tags outside its private minimal mode), so an edge cache can index the response by them and be purged
 * by the same invalidations (deploy/varnish/). Fetch entries are data, not responses: left alone.
 * @param {CachedValue | null} value
 * @param {string[]} tags
 * @param {Context} ctx
 * @returns {CachedValue | null}
 */
function withEdgeTags(value, tags, ctx) {
  if (!value || ctx.kind === 'FETCH' || (value.kind !== 'APP_PAGE' && value.kind !== 'APP_ROUTE') || tags.length === 0) return value;
  // In place: the response to a miss is built from this very object.
  value.headers ??= {};
  value.headers[EDGE_TAGS_HEADER] = tags.join(',');
  return value;
}

/**
 * The entry's revalidate time in seconds (a fetch entry's comes with the request), or null if it has none.
 * @param {StoredPage} entry
 * @param {Context} ctx
 * @returns {number | null}
 */
function revalidateSeconds(entry, ctx) {
  const revalidate = ctx.kind === 'FETCH' ? ctx.revalidate || entry.revalidate : entry.cacheControl?.revalidate;
  return typeof revalidate === 'number' && revalidate > 0 ? revalidate : null;
}

/**
 * True once Next will re-render the entry by time (lastModified + revalidate has passed).
 * @param {StoredPage} entry
 * @param {Context} ctx
 */
function dueByTime(entry, ctx) {
  const revalidate = revalidateSeconds(entry, ctx);
  return revalidate !== null && entry.timestamp + revalidate * 1000 <= now();
}

/**
 * A lastModified far enough in the past that Next sees the entry as due for revalidation but not yet expired.
 * @param {StoredPage} entry
 * @param {Context} ctx
 * @returns {number | null}
 */
function agedForRevalidation(entry, ctx) {
  const revalidate = revalidateSeconds(entry, ctx);
  if (revalidate === null) return null;
  const expire = entry.cacheControl?.expire;
  if (typeof expire === 'number' && expire <= revalidate) return null;
  return now() - revalidate * 1000 - 1;
}
