import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getMetrics } from './registry.mjs';

/**
 * GET /api/metrics: this process's metrics in the Prometheus text format. With METRICS_TOKEN set, a scraper must
 * send `Authorization: Bearer <token>`; unset, the endpoint is open (fine on a private network, not on the internet).
 */
export async function handleMetricsRequest(request: Request): Promise<Response> {
  const token = process.env.METRICS_TOKEN;
  if (token && !bearerMatches(request.headers.get('authorization'), token)) {
    return Response.json(
      { error: 'a bearer token is required (METRICS_TOKEN)' },
      { status: 401, headers: { 'cache-control': 'no-store', 'www-authenticate': 'Bearer realm="metrics"' } },
    );
  }
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}

/** Constant-time: both sides are hashed first, so neither the content nor the length of the token leaks through timing. */
function bearerMatches(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token));
}
