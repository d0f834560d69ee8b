// @ts-check
// What the handlers do, told to whoever listens (onCacheEvent): the app's Prometheus registry, a log, a test. The
// package depends on no metrics library. Listeners and the in-memory layers' sizes live on globalThis under a
// Symbol.for key: Next loads the handlers with Node and may bundle the app's copy of this module apart, and both
// must reach the same listeners.

/**
 * @typedef {'use-cache' | 'pages'} Handler  use-cache.mjs ('use cache') or pages.mjs (pages, routes, fetch)
 * @typedef {'memory' | 'redis' | 'file'} Layer  this process's LRU, or the shared store behind it
 * @typedef {{ type: 'hit' | 'stale-hit' | 'miss' | 'set', handler: Handler, layer: Layer }
 *   | { type: 'fill', handler: Handler, seconds: number }
 *   | { type: 'edge-purge' | 'edge-purge-failure', kind: 'hard' | 'soft' }} CacheEvent
 *   hit: a fresh entry served; stale-hit: a stale one served once more ('max'); miss: nothing servable; set: an
 *   entry stored (layer: where it went); fill: the time from a miss to the set that answers it; edge-purge: a purge the
 *   edge took (hard: expired now; soft: stale), edge-purge-failure: an attempt it did not take (it is retried)
 * @typedef {(event: CacheEvent) => void} CacheEventListener
 */

const KEY = Symbol.for('@next-tagged-cache/handlers.metrics');
const g = /** @type {Record<symbol, ReturnType<typeof createState> | undefined>} */ (/** @type {unknown} */ (globalThis));

function createState() {
  return {
    /** @type {Set<CacheEventListener>} */ listeners: new Set(),
    /** @type {Map<Handler, () => { bytes: number, maxBytes: number }>} */ memory: new Map(),
    /** Misses waiting for their set, per handler (the miss and the set may be seen by two copies of a handler). @type {Map<Handler, Map<string, number>>} */
    missedAt: new Map(),
  };
}
const state = () => (g[KEY] ??= createState());

/**
 * Calls `listener` with every cache event of this process. Returns a function that stops it.
 * @param {CacheEventListener} listener
 */
export function onCacheEvent(listener) {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}

/** @param {CacheEvent} event */
export function emit(event) {
  for (const listener of state().listeners) {
    try {
      listener(event);
    } catch {
      // A listener that fails must never fail a cache read.
    }
  }
}

/**
 * Bytes held by each handler's in-memory layer (an LRU bounded by CACHE_MEMORY_MB), and its bound.
 * @returns {{ handler: Handler, bytes: number, maxBytes: number }[]}
 */
export function memoryUsage() {
  return [...state().memory].map(([handler, read]) => ({ handler, ...read() }));
}

/**
 * @param {Handler} handler
 * @param {() => { bytes: number, maxBytes: number }} read
 */
export function reportMemoryLayer(handler, read) {
  state().memory.set(handler, read);
}

/**
 * Times an entry's making from the miss that asked for it to the set that stores it. Bounded: a miss never followed
 * by a set (a render that failed, a 404 not cached) is forgotten after MISS_MEMORY entries.
 * @param {Handler} handler
 */
export function fillTimer(handler) {
  const MISS_MEMORY = 1_000;
  const timers = state().missedAt;
  let missedAt = timers.get(handler);
  if (!missedAt) timers.set(handler, (missedAt = new Map()));
  return {
    /** @param {string} key */
    missed(key) {
      missedAt.delete(key);
      missedAt.set(key, performance.now());
      if (missedAt.size > MISS_MEMORY) missedAt.delete(/** @type {string} */ (missedAt.keys().next().value));
    },
    /** @param {string} key @param {number} [startedAt] a fallback start when no miss was seen (performance.now()) */
    filled(key, startedAt) {
      const start = missedAt.get(key) ?? startedAt;
      missedAt.delete(key);
      if (start !== undefined) emit({ type: 'fill', handler, seconds: (performance.now() - start) / 1000 });
    },
  };
}
