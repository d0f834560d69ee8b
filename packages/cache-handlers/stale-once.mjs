// @ts-check
// "After 'max', at most one stale response, then fresh", across every instance.
//
// A tag invalidated with 'max' leaves every entry made before it stale: served once more while a fresh one is
// made. Left alone, each instance would serve it once, and so would every read that arrives before the fresh entry
// lands (a request-time `'use cache'` read, a fetch, another instance's page). So the first read of a stale entry
// claims it, per entry and per invalidation: that read is served stale; every later read is a miss and waits for
// fresh content. With Redis the claim is one `SET NX` shared by every instance; without Redis (or while it is
// away) it is this process's, which is the whole truth for one instance.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { config } from './config.mjs';
import { getRedis, isReady } from './redis.mjs';

// Long enough for any fresh render to land; bounded, so claims never pile up.
const CLAIM_TTL_MS = 60 * 60 * 1000;

/**
 * @param {{ redis: import('./redis.mjs').CacheRedis | null, prefix: string }} options
 * @returns {(scope: string, key: string, since: number) => Promise<boolean>}
 */
export function staleClaims({ redis, prefix }) {
  /** @type {LRUCache<string, true>} */
  const local = new LRUCache({ max: 20_000, ttl: CLAIM_TTL_MS });
  return async (scope, key, since) => {
    const id = `${scope}:${createHash('sha256').update(key).digest('base64url')}:${since}`;
    if (local.has(id)) return false;
    local.set(id, true);
    if (!redis || !isReady(redis)) return true;
    try {
      return (await redis.set(`${prefix}:stale-served:${id}`, '1', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK';
    } catch {
      // Redis went away mid-call: this instance's claim stands (at most one stale response per instance meanwhile).
      return true;
    }
  };
}

const KEY = Symbol.for('next-tagged-cache.stale-once');
const g = /** @type {Record<symbol, ReturnType<typeof staleClaims> | undefined>} */ (/** @type {unknown} */ (globalThis));

/**
 * True for the first read of this entry since it went stale at `since` (ms), anywhere: serve it stale. False for
 * every later read: treat it as a miss. One set of claims per process (Next loads each handler kind separately).
 * @param {string} scope the handler ('pages', 'use-cache')
 * @param {string} key the entry's cache key
 * @param {number} since when the entry went stale: the latest 'max' of its tags
 */
export function claimStaleServe(scope, key, since) {
  const claim = (g[KEY] ??= staleClaims({ redis: getRedis(), prefix: config.prefix }));
  return claim(scope, key, since);
}
