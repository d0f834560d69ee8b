// Next loads the cache handlers with Node and bundles the route handlers apart: two copies of metrics/registry.mjs
// in one process. They must share one registry, or /api/metrics would serve counters nobody increments.
import { describe, expect, it } from 'vitest';

describe('the metrics registry', () => {
  it('is one per process, whichever copy of the module asks', async () => {
    // Two distinct module instances (a query string makes the loader evaluate the file again).
    const a = await import('../../metrics/registry.mjs?copy=a' as string);
    const b = await import('../../metrics/registry.mjs?copy=b' as string);
    expect(a).not.toBe(b);
    expect(a.getMetrics()).toBe(b.getMetrics());
    a.getMetrics().dbQueries.inc(3);
    expect(await b.getMetrics().registry.metrics()).toMatch(/^ntc_db_queries_total 3$/m);
  });
});
