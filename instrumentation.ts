// Runs once per server process before it handles requests (next start and next dev).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Resolve each request's client address from its socket before Next.js sees the request (lib/client-address.ts).
    const { installClientAddress } = await import('@/lib/client-address');
    installClientAddress();
    // Bounds the time a client may take over its headers and body (next start has no option for it).
    const { installRequestLimits } = await import('@/lib/request-limits');
    installRequestLimits();
    // The metrics count the cache handlers' events from the first request on.
    const { getMetrics } = await import('@/metrics/registry.mjs');
    getMetrics();
    // Invalidations queued while Redis was away may land after a restart: their log rows are marked applied then.
    const { listenForLanded } = await import('@/lib/cache/invalidate');
    listenForLanded();
  }
}
