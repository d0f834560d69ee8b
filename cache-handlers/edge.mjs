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
// - A purge not yet taken is kept in a file in CACHE_DIR until it is: an instance restarted meanwhile sends it
//   again, or the edge would keep serving what the app no longer does until its TTL ran out.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
 * With `dir`, purges not yet taken survive a restart: the next purger made on the same `dir` sends them again.
 * @param {EdgeConfig} edge
 * @param {{ dir?: string }} [options]
 * @returns {(op: TagOp) => Promise<void>}
 */
export function edgePurger(edge, { dir } = {}) {
  const pending = dir ? new PendingPurges(path.join(dir, 'edge-purges.jsonl')) : null;
  /** @param {TagOp} op */
  const send = async (op) => {
    const kind = purgeKind(op);
    const metrics = getMetrics();
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        await purge(edge, kind, op.tags);
        metrics.edgePurges.inc({ kind });
        log.state('edge-purge', 'ok', `the edge at ${edge.url} takes purges again`);
        pending?.done(op.id);
        return;
      } catch (error) {
        metrics.edgePurgeFailures.inc({ kind });
        log.state('edge-purge', 'failed', `could not purge the edge at ${edge.url} (${error instanceof Error ? error.message : String(error)}): retrying until it answers`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref?.());
      }
    }
  };
  for (const op of pending?.load() ?? []) void send(op);
  return async (op) => {
    pending?.add(op);
    await send(op);
  };
}

/** The purges this instance has not yet delivered, in a small journal (one JSON line per purge added or done). */
class PendingPurges {
  /** @type {Map<string, TagOp>} */
  #ops = new Map();

  /** @param {string} file */
  constructor(file) {
    this.file = file;
  }

  /** Reads what an earlier process left undelivered, and keeps only that in the file. */
  load() {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    for (const line of text.split('\n')) {
      try {
        const record = JSON.parse(line);
        if (record.add?.id) this.#ops.set(record.add.id, record.add);
        else if (record.done) this.#ops.delete(record.done);
      } catch {
        // a line cut short by a crash: what it said was never acknowledged, so nothing is lost by skipping it
      }
    }
    this.#write([...this.#ops.values()].map((op) => JSON.stringify({ add: op }) + '\n').join(''));
    return [...this.#ops.values()];
  }

  /** @param {TagOp} op */
  add(op) {
    this.#ops.set(op.id, op);
    this.#append({ add: op });
  }

  /** @param {string} id */
  done(id) {
    if (!this.#ops.delete(id)) return;
    // Nothing left to deliver: start the file afresh rather than let it grow with every purge.
    if (this.#ops.size === 0) this.#write('');
    else this.#append({ done: id });
  }

  /** @param {object} record */
  #append(record) {
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, JSON.stringify(record) + '\n');
  }

  /** @param {string} text */
  #write(text) {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, text);
  }
}
