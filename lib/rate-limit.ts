/**
 * A fixed-window counter per key, in this process's memory. Enough for one instance; several instances
 * behind a load balancer each allow `limit`, so put the real limit at the proxy there.
 */
export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return function take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      // Drop expired windows now and then so the map cannot grow without bound.
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return w.count <= limit ? { ok: true } : { ok: false, retryAfterSeconds: Math.ceil((w.start + windowMs - now) / 1000) };
  };
}
