// @ts-check
// The edge cache in front of the app (deploy/varnish/): every invalidation this instance makes is sent to it as a
// purge of the same tags, so what it holds never outlives what the app itself would serve.
//
// - Responses name their tags in EDGE_TAGS_HEADER (pages.mjs adds it; the edge indexes by it and strips it).
// - updateTag / expire: 0 → a hard purge (the edge's next request for those pages goes to the app, which renders
//   fresh); 'max' → a soft purge (the edge may serve its copy once more while it fetches the new one).
// - The tag store waits for the purge before the invalidating request is answered (tag-store.mjs,
//   onInvalidation), so when a webhook or a Server Action returns, the edge already has it.
// - A purge that fails is retried until it lands, with backoff, and logged once per change of state; until then
//   the tag store reports the invalidation as queued, and the revalidation log shows it pending.
import { getMetrics } from '../metrics/registry.mjs';
import { log } from './log.mjs';

/** The response header that carries a cached response's tags to the edge (comma-separated, like Next's own). */
export const EDGE_TAGS_HEADER = 'x-ntc-cache-tags';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
const PURGE_TIMEOUT_MS = 5_000;

/**
 * @typedef {import('./tag-state.mjs').TagOp} TagOp
 * @typedef {{ url: string, secret: string }} EdgeConfig
 */

/**
 * EDGE_PURGE_URL and EDGE_PURGE_SECRET, or null when no edge is configured.
 * @param {Record<string, string | undefined>} [env]
 * @returns {EdgeConfig | null}
 */
export function edgeConfig(env = process.env) {
  const url = env.EDGE_PURGE_URL;
  if (!url) return null;
  const secret = env.EDGE_PURGE_SECRET ?? '';
  if (secret.length < 16) throw new Error('EDGE_PURGE_SECRET must be set (16+ characters) when EDGE_PURGE_URL is');
  return { url, secret };
}

/** 'hard' when the op expires its tags now (updateTag, expire: 0), 'soft' when it only makes them stale ('max'). @param {TagOp} op */
export const purgeKind = (op) => (op.expired !== undefined && op.expired <= op.at ? 'hard' : 'soft');

/**
 * One purge request: PURGE with the secret, the kind and the tags (space-separated, as xkey reads them).
 * Resolves with the edge's answer; throws on a network error or any status but 200.
 * @param {EdgeConfig} edge
 * @param {'hard' | 'soft'} kind
 * @param {readonly string[]} tags
 */
export async function purge(edge, kind, tags) {
  const response = await fetch(edge.url, {
    method: 'PURGE',
    headers: { 'x-edge-purge-secret': edge.secret, 'x-edge-purge': kind, 'x-edge-tags': tags.join(' ') },
    signal: AbortSignal.timeout(PURGE_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the edge answered ${response.status} ${text.slice(0, 200)}`);
  return text;
}

/**
 * A listener for TagStore#onInvalidation: resolves once the edge has taken the purge, retrying until it does.
 * @param {EdgeConfig} edge
 * @returns {(op: TagOp) => Promise<void>}
 */
export function edgePurger(edge) {
  return async (op) => {
    const kind = purgeKind(op);
    const metrics = getMetrics();
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        await purge(edge, kind, op.tags);
        metrics.edgePurges.inc({ kind });
        log.state('edge-purge', 'ok', `the edge at ${edge.url} takes purges again`);
        return;
      } catch (error) {
        metrics.edgePurgeFailures.inc({ kind });
        log.state('edge-purge', 'failed', `could not purge the edge at ${edge.url} (${error instanceof Error ? error.message : String(error)}): retrying until it answers`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref?.());
      }
    }
  };
}
