import 'server-only';
import { getMetrics } from '@/metrics/registry.mjs';

/** A counter's values keyed by its labels joined with "|", in the label order given. */
async function byLabels(metric: { get(): Promise<{ values: { value: number; labels: Partial<Record<string, string | number>> }[] }> }, order: string[]) {
  const out = new Map<string, number>();
  for (const { value, labels } of (await metric.get()).values) {
    const key = order.map((name) => String(labels[name] ?? '')).join('|');
    out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

export interface HandlerRow {
  handler: string;
  layer: string;
  hits: number;
  staleHits: number;
  misses: number;
  sets: number;
}

/**
 * This process's counters, from the same registry GET /api/metrics serves (metrics/registry.mjs), shaped for /cache.
 * Per process: with several instances each shows its own, as each answers its own /api/metrics.
 */
export async function readCounters() {
  const m = getMetrics();
  const [hits, staleHits, misses, sets] = await Promise.all(
    [m.cacheHits, m.cacheStaleHits, m.cacheMisses, m.cacheSets].map((metric) => byLabels(metric, ['handler', 'layer'])),
  );
  const keys = new Set([...hits.keys(), ...staleHits.keys(), ...misses.keys(), ...sets.keys(), 'use-cache|memory', 'pages|memory']);
  const handlers: HandlerRow[] = [...keys].sort().map((key) => {
    const [handler, layer] = key.split('|');
    return { handler, layer, hits: hits.get(key) ?? 0, staleHits: staleHits.get(key) ?? 0, misses: misses.get(key) ?? 0, sets: sets.get(key) ?? 0 };
  });
  const fills = (await m.renderSeconds.get()).values;
  const fillOf = (handler: string) => {
    const count = fills.find((v) => v.metricName === 'ntc_cache_fill_seconds_count' && v.labels.handler === handler)?.value ?? 0;
    const sum = fills.find((v) => v.metricName === 'ntc_cache_fill_seconds_sum' && v.labels.handler === handler)?.value ?? 0;
    return { count, averageMs: count ? (sum / count) * 1000 : 0 };
  };
  const [invalidations, invalidatedTags, webhook, purges, purgeFailures, dbQueries] = await Promise.all([
    byLabels(m.invalidations, ['source', 'mode']),
    byLabels(m.invalidatedTags, ['source', 'mode']),
    byLabels(m.webhookResponses, ['status']),
    byLabels(m.edgePurges, ['kind']),
    byLabels(m.edgePurgeFailures, ['kind']),
    byLabels(m.dbQueries, []),
  ]);
  return {
    handlers,
    fills: { 'use-cache': fillOf('use-cache'), pages: fillOf('pages') },
    invalidations: [...invalidations].map(([key, count]) => {
      const [source, mode] = key.split('|');
      return { source, mode, count, tags: invalidatedTags.get(key) ?? 0 };
    }),
    webhook: [...webhook].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status)),
    purges: { hard: purges.get('hard') ?? 0, soft: purges.get('soft') ?? 0, failures: [...purgeFailures.values()].reduce((a, b) => a + b, 0) },
    dbQueries: dbQueries.get('') ?? 0,
  };
}
