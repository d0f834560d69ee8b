// @ts-check
// The process's Prometheus metrics (served by GET /api/metrics, shown live on /cache).
//
// The cache handlers' package counts nothing itself: it tells its events to listeners (onCacheEvent), and this
// registry is one. Route handlers and pages are bundled apart from one another: each copy of this module would make
// its own registry, and the route would serve counters nobody increments. So the one registry and its metrics live
// on globalThis under a Symbol.for key: whichever copy runs first creates them, every other copy finds them.
import { memoryUsage, onCacheEvent } from '@next-tagged-cache/handlers';
import client from 'prom-client';

/** @typedef {'action' | 'webhook' | 'seed'} InvalidationSource */

/** @param {client.Registry} registry */
function createMetrics(registry) {
  client.collectDefaultMetrics({ register: registry, prefix: 'ntc_' });
  // prom-client adds a sum of each "active" gauge under a name ending in _total, which Prometheus keeps for counters
  // (promtool refuses it); the gauges by type beside them say the same.
  for (const kind of ['handles', 'requests', 'resources']) registry.removeSingleMetric(`ntc_nodejs_active_${kind}_total`);
  return { registry, ...cacheMetrics([registry]), ...appMetrics([registry]) };
}

/** What the cache handlers' events (onCacheEvent) and memoryUsage() are counted in. @param {client.Registry[]} registers */
function cacheMetrics(registers) {
  return {
    cacheHits: new client.Counter({
      name: 'ntc_cache_hits_total',
      help: 'Cache reads answered with a fresh entry, by handler and by the layer that held the entry',
      labelNames: /** @type {const} */ (['handler', 'layer']),
      registers,
    }),
    cacheStaleHits: new client.Counter({
      name: 'ntc_cache_stale_hits_total',
      help: "Cache reads answered with a stale entry (revalidateTag 'max'): served once more while a fresh one is made",
      labelNames: /** @type {const} */ (['handler', 'layer']),
      registers,
    }),
    cacheMisses: new client.Counter({
      name: 'ntc_cache_misses_total',
      help: 'Cache reads with nothing servable (absent, or expired by a tag), by handler and the layer that held the entry (the shared store when none did)',
      labelNames: /** @type {const} */ (['handler', 'layer']),
      registers,
    }),
    cacheSets: new client.Counter({
      name: 'ntc_cache_sets_total',
      help: 'Entries stored, by handler and the layer that took them (memory: the shared store refused it)',
      labelNames: /** @type {const} */ (['handler', 'layer']),
      registers,
    }),
    renderSeconds: new client.Histogram({
      name: 'ntc_cache_fill_seconds',
      help: "Time to make an entry on a miss: a 'use cache' function's run, or a page render from its missed read to its set",
      labelNames: /** @type {const} */ (['handler']),
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    edgePurges: new client.Counter({
      name: 'ntc_edge_purges_total',
      help: 'Purges the edge cache accepted, by kind (hard: updateTag or expire 0; soft: max)',
      labelNames: /** @type {const} */ (['kind']),
      registers,
    }),
    edgePurgeFailures: new client.Counter({
      name: 'ntc_edge_purge_failures_total',
      help: 'Purge attempts the edge did not accept (each is retried until it does), by kind',
      labelNames: /** @type {const} */ (['kind']),
      registers,
    }),
    memoryBytes: new client.Gauge({
      name: 'ntc_cache_memory_bytes',
      help: "Bytes held by this process's in-memory layer (an LRU bounded by CACHE_MEMORY_MB), and its bound",
      labelNames: /** @type {const} */ (['handler', 'kind']),
      registers,
      collect() {
        for (const { handler, bytes, maxBytes } of memoryUsage()) {
          this.set({ handler, kind: 'used' }, bytes);
          this.set({ handler, kind: 'max' }, maxBytes);
        }
      },
    }),
  };
}

/** The app's own counters: invalidations, webhook answers, database queries. @param {client.Registry[]} registers */
function appMetrics(registers) {
  return {
    invalidations: new client.Counter({
      name: 'ntc_invalidations_total',
      help: 'Invalidations the app made, by source and mode (path: revalidatePath; one per call, whatever its number of tags)',
      labelNames: /** @type {const} */ (['source', 'mode']),
      registers,
    }),
    invalidatedTags: new client.Counter({
      name: 'ntc_invalidated_tags_total',
      help: 'Tags invalidated, by source and mode (path: paths given to revalidatePath)',
      labelNames: /** @type {const} */ (['source', 'mode']),
      registers,
    }),
    webhookResponses: new client.Counter({
      name: 'ntc_webhook_responses_total',
      help: 'Answers of POST /api/revalidate, by HTTP status',
      labelNames: /** @type {const} */ (['status']),
      registers,
    }),
    dbQueries: new client.Counter({
      name: 'ntc_db_queries_total',
      help: 'Queries sent to PostgreSQL by this process',
      registers,
    }),
  };
}

/** @typedef {ReturnType<typeof createMetrics>} Metrics */

/** @param {Metrics} metrics @param {import('@next-tagged-cache/handlers').CacheEvent} event */
function count(metrics, event) {
  switch (event.type) {
    case 'fill':
      return metrics.renderSeconds.observe({ handler: event.handler }, event.seconds);
    case 'edge-purge':
      return metrics.edgePurges.inc({ kind: event.kind });
    case 'edge-purge-failure':
      return metrics.edgePurgeFailures.inc({ kind: event.kind });
    default: {
      const counter = { hit: metrics.cacheHits, 'stale-hit': metrics.cacheStaleHits, miss: metrics.cacheMisses, set: metrics.cacheSets }[event.type];
      counter.inc({ handler: event.handler, layer: event.layer });
    }
  }
}

const KEY = Symbol.for('next-tagged-cache.metrics');
const g = /** @type {Record<symbol, Metrics | undefined>} */ (/** @type {unknown} */ (globalThis));

/** The process's one set of metrics, whichever bundle asks; the first to ask starts counting the cache's events. @returns {Metrics} */
export function getMetrics() {
  let metrics = g[KEY];
  if (!metrics) {
    const created = (metrics = g[KEY] = createMetrics(new client.Registry()));
    onCacheEvent((event) => count(created, event));
  }
  return metrics;
}
