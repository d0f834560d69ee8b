// @ts-check
// The `'use cache'` handler (next.config.ts `cacheHandlers.default` and `.remote`). Interface: next/dist/server/lib/
// next/dist/server/lib/cache-handlers/types.d.ts. Entries live in entry-store.mjs, tag state in tag-store.mjs; this file maps Next's
// calls onto them with the semantics of Next's own in-memory handler, shared across instances and restarts.
import { emit, fillTimer, reportMemoryLayer } from './metrics.mjs';
import { entryStoreFor } from './entry-store.mjs';
import { claimStaleServe } from './stale-once.mjs';
import { getTagStore } from './tag-store.mjs';

/**
 * @typedef {{ value: Buffer, tags: string[], stale: number, timestamp: number, expire: number, revalidate: number }} StoredEntry
 */

const tagStore = getTagStore();
/** @type {import('./entry-store.mjs').EntryStore<StoredEntry>} */
const entries = entryStoreFor('use-cache');
/** A get for a key whose set is still streaming waits for it (the interface requires it). @type {Map<string, Promise<void>>} */
const pendingSets = new Map();
const fills = fillTimer('use-cache');
reportMemoryLayer('use-cache', () => entries.memoryUsage());
/** @param {'hit' | 'stale-hit' | 'miss' | 'set'} type @param {import('./metrics.mjs').Layer | undefined} layer */
const count = (type, layer) => emit({ type, handler: 'use-cache', layer: layer ?? entries.sharedLayer });

/** @param {StoredEntry} entry @param {string[]} softTags */
const allTags = (entry, softTags) => (softTags.length ? [...entry.tags, ...softTags] : entry.tags);

/** @type {import('next/dist/server/lib/cache-handlers/types').CacheHandler} */
const handler = {
  async get(cacheKey, softTags) {
    await pendingSets.get(cacheKey);
    /** @type {{ layer?: import('./metrics.mjs').Layer }} */
    const found = {};
    try {
      const entry = await entries.get(cacheKey, (e) => !tagStore.isExpired(allTags(e, softTags), e.timestamp) && !tagStore.isStale(allTags(e, softTags), e.timestamp), found);
      const tags = entry && allTags(entry, softTags);
      // Both the entry's own tags and the page's implicit (soft) tags count: getExpiration returns Infinity.
      const stale = entry && tags && tagStore.isStale(tags, entry.timestamp);
      // Stale: served once more while Next makes a fresh one in the background (revalidate -1 forces that); only
      // the first read anywhere gets it (stale-once.mjs), a later one is a miss and waits for fresh content.
      if (!entry || !tags || tagStore.isExpired(tags, entry.timestamp) || (stale && !(await claimStaleServe('use-cache', cacheKey, tagStore.staleAt(tags, entry.timestamp))))) {
        count('miss', found.layer);
        fills.missed(cacheKey);
        return undefined;
      }
      count(stale ? 'stale-hit' : 'hit', found.layer);
      return { ...entry, revalidate: stale ? -1 : entry.revalidate, value: streamOf(entry.value) };
    } catch (error) {
      // A cache that cannot answer is a miss, never a failed render.
      console.error('[cache] use-cache get failed:', error);
      count('miss', found.layer);
      return undefined;
    }
  },

  async set(cacheKey, pendingEntry) {
    /** @type {() => void} */
    let done = () => {};
    pendingSets.set(cacheKey, new Promise((resolve) => (done = resolve)));
    // Next calls set() as the function starts and streams its result: the fill ends when the stream does.
    const startedAt = performance.now();
    try {
      const entry = await pendingEntry;
      // expire 0 marks a dynamic entry that Next regenerates on every read: storing it would be a wasted write.
      if (entry.expire === 0) return;
      const value = Buffer.from(await new Response(entry.value).arrayBuffer());
      fills.filled(cacheKey, startedAt);
      const { tags, stale, timestamp, expire, revalidate } = entry;
      count('set', await entries.set(cacheKey, { tags, stale, timestamp, expire, revalidate, value }, expire));
    } catch (error) {
      console.error('[cache] use-cache set failed:', error);
    } finally {
      pendingSets.delete(cacheKey);
      done();
    }
  },

  // Once per request before the first read: catch up with invalidations made on other instances.
  refreshTags() {
    return tagStore.sync();
  },

  // Infinity: "pass the soft tags to get, which checks them" — our tag state is exact there.
  async getExpiration() {
    return Infinity;
  },

  async updateTags(tags, durations) {
    await tagStore.updateFromNext(tags, durations);
  },
};

/** @param {Buffer} bytes */
function streamOf(bytes) {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

export default handler;
