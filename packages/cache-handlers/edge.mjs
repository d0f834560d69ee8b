// @ts-check
// The edge cache in front of the app (deploy/varnish/): every invalidation this instance makes is sent to it as a
// purge of the same tags, so what it holds never outlives what the app itself would serve.
//
// - Responses name their tags in EDGE_TAGS_HEADER (pages.mjs adds it; the edge indexes by it and strips it).
// - updateTag / expire: 0 → a hard purge (the edge's next request for those pages goes to the app, which renders
//   fresh); 'max' → a soft purge (the edge may serve its copy once more while it fetches the new one).
// - The tag store awaits one purge attempt, for at most PROMPT_MS, before the invalidating request is answered
//   (tag-listeners.mjs, onInvalidation): when a webhook or a Server Action returns 'applied', the edge already has it.
//   An edge that is away (its last attempt failed or outlasted PROMPT_MS, and none has succeeded since) is not
//   waited for at all: the author is answered at once, and the invalidation is reported queued.
// - A purge that fails is retried until it lands, with backoff, and logged once per change of state; until then
//   the tag store reports the invalidation as queued, and the revalidation log shows it pending.
// - A purge not yet taken is kept in a journal in CACHE_DIR until it is: an instance restarted meanwhile sends it
//   again, or the edge would keep serving what the app no longer does until its TTL ran out.
import path from 'node:path';
import { emit } from './metrics.mjs';
import { Journal, errorMessage, log } from './log.mjs';

/** The response header that carries a cached response's tags to the edge (comma-separated, like Next's own). */
export const EDGE_TAGS_HEADER = 'x-ntc-cache-tags';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
const PURGE_TIMEOUT_MS = 5_000;
// How long an invalidation waits for an edge that answers; past that it is reported queued and lands in the background.
const PROMPT_MS = 1_000;

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
 * A listener for TagStore#onInvalidation: sends the purge, and retries until the edge takes it. Resolves once the
 * edge has it if it answers within PROMPT_MS; otherwise, and at once while the edge is away, with `{ landed }`,
 * a promise that resolves when it has.
 * With `dir`, purges not yet taken survive a restart: the next purger made on the same `dir` sends them again.
 * @param {EdgeConfig} edge
 * @param {{ dir?: string }} [options]
 * @returns {(op: TagOp) => Promise<void | { landed: Promise<void> }>}
 */
export function edgePurger(edge, { dir } = {}) {
  const pending = dir ? new PendingPurges(path.join(dir, 'edge-purges.jsonl')) : null;
  // From an attempt that failed or outlasted PROMPT_MS until one succeeds: no author waits for the edge meanwhile.
  let away = false;
  /** One attempt; true if the edge took it. @param {TagOp} op */
  const attempt = async (op) => {
    const kind = purgeKind(op);
    try {
      await purge(edge, kind, op.tags);
    } catch (error) {
      away = true;
      emit({ type: 'edge-purge-failure', kind });
      log.state('edge-purge', 'failed', `could not purge the edge at ${edge.url} (${errorMessage(error)}): retrying until it answers`);
      return false;
    }
    away = false;
    emit({ type: 'edge-purge', kind });
    log.state('edge-purge', 'ok', `the edge at ${edge.url} takes purges again`);
    pending?.done(op.id);
    return true;
  };
  /** Retries after `first` until the edge takes the purge. @param {TagOp} op @param {Promise<boolean>} first */
  const deliver = async (op, first) => {
    if (await first) return;
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref?.());
      if (await attempt(op)) return;
    }
  };
  for (const op of pending?.load() ?? []) void deliver(op, attempt(op));
  return async (op) => {
    pending?.add(op);
    const wait = !away;
    const first = attempt(op);
    const landed = deliver(op, first);
    const taken = wait ? await within(first, PROMPT_MS) : false;
    if (taken) return undefined;
    if (taken === undefined) away = true; // no answer yet: the next invalidation does not wait for it either
    pending?.sync(); // reported queued from now on: the purge must outlast a power cut too
    return { landed };
  };
}

/**
 * What `promise` resolves with, or undefined if it takes longer than `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T | undefined>}
 */
async function within(promise, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    return await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The purges this instance has not yet delivered, in a journal (one record per purge added or done). */
class PendingPurges {
  /** @type {Map<string, TagOp>} */
  #ops = new Map();

  /** @param {string} file */
  constructor(file) {
    this.journal = new Journal(file);
  }

  /** Reads what an earlier process left undelivered, and keeps only that in the file. */
  load() {
    try {
      for (const record of this.journal.read()) {
        if (record.add?.id) this.#ops.set(record.add.id, record.add);
        else if (record.done) this.#ops.delete(record.done);
      }
    } catch (error) {
      log.error(`could not read the edge purges left undelivered (${errorMessage(error)}): they are not sent again`);
      return [];
    }
    this.#rewrite();
    return [...this.#ops.values()];
  }

  /**
   * Notes a purge about to be sent, where a killed process keeps it (it lands within a moment, most often; sync()
   * makes it last through a power cut, before it is reported queued). If it cannot be written (a full disk), the
   * purge is still sent, but a restart before it lands would not send it again.
   * @param {TagOp} op
   */
  add(op) {
    this.#ops.set(op.id, op);
    try {
      this.journal.append([{ add: op }], { durable: false });
    } catch (error) {
      log.error(`could not note an edge purge in ${this.journal.file} (${errorMessage(error)}): a restart before it lands would lose it`);
    }
  }

  /** Makes the noted purges outlast a power cut: before an invalidation is reported queued. */
  sync() {
    try {
      this.journal.sync();
    } catch (error) {
      log.error(`could not sync ${this.journal.file} (${errorMessage(error)}): a power cut before its purges land would lose them`);
    }
  }

  /**
   * Notes a purge delivered. Not synced, and a failure is ignored: the note lost, a restart sends the purge once
   * more, which purges nothing the edge still holds.
   * @param {string} id
   */
  done(id) {
    if (!this.#ops.delete(id)) return;
    try {
      // Nothing left to deliver: start the file afresh rather than let it grow with every purge.
      if (this.#ops.size === 0) this.journal.clear();
      else this.journal.append([{ done: id }], { durable: false });
    } catch {
      // The note is lost: a resend after a restart, as above.
    }
  }

  /** Keeps only what is left to deliver. When that fails, the file as it is still holds all of it. */
  #rewrite() {
    try {
      this.journal.replace([...this.#ops.values()].map((op) => ({ add: op })));
    } catch (error) {
      log.error(`could not rewrite ${this.journal.file} (${errorMessage(error)}); it is rewritten at the next chance`);
    }
  }
}
