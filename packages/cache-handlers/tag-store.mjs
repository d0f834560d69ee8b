// @ts-check
// Tag state: which tags were invalidated, and when. Both handler kinds ask it whether an entry is fresh, stale or
// expired; the app asks it to record an invalidation and learns whether it is durable yet.
//
// Where it lives:
// - this process: a Map, so every check is synchronous and costs nothing;
// - a journal file in CACHE_DIR (log.mjs's Journal: on the disk before update() resolves, whole or absent after a
//   crash or a full disk): a restart reloads it, so an invalidation is never forgotten (without Redis this is the
//   whole truth; with Redis it is the last state known, and keeps invalidations made while Redis was away);
// - with REDIS_URL: a hash holding every tag's state, and a stream of invalidations. Before serving each request,
//   an instance reads the stream from where it left off (one round trip, shared by all concurrent requests), so an
//   invalidation committed to Redis on any instance is seen by every other before its next response.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { config } from './config.mjs';
import { edgeConfig, edgePurger } from './edge.mjs';
import { Journal, log } from './log.mjs';
import { getRedis, isReady } from './redis.mjs';
import { noteApplied, takeUnapplied } from './request-ledger.mjs';
import { combineTagStates, expiredSince, mergeTagState, staleSince, tagOp } from './tag-state.mjs';
import { now } from './clock.mjs';

/** @typedef {import('./tag-state.mjs').TagOp} TagOp */
/** @typedef {import('./tag-state.mjs').TagState} TagState */
/** @typedef {'applied' | 'queued'} UpdateStatus  queued: this instance applied it; Redis gets it when it is back */
/**
 * @typedef {(op: TagOp) => void | Deferred | Promise<void | Deferred>} InvalidationListener
 * @typedef {{ landed: Promise<void> }} Deferred  a listener's answer when its layer does not have the invalidation
 *   yet, and will not wait for it: `landed` resolves once it has
 */

const JOURNAL_COMPACT_LINES = 5_000;
// The longest update() waits for a layer in front (onInvalidation) that neither takes an invalidation nor defers it
// (a Deferred answer); past that the invalidation is reported queued until the layer has it.
const LISTENER_WAIT_MS = 2_000;

export class TagStore {
  /** @type {Map<string, TagState>} */
  #states = new Map();
  /** Invalidations made here that Redis has not acknowledged yet, oldest first. @type {TagOp[]} */
  #queued = [];
  /** Last stream event applied; null until the first full load. @type {string | null} */
  #lastEventId = null;
  #lastSyncAt = 0;
  /** @type {Promise<void> | null} */ #running = null;
  /** @type {Promise<void> | null} */ #next = null;
  /** @type {NodeJS.Timeout | null} */ #retryTimer = null;
  #journalLines = 0;
  /** @type {Set<(ids: string[]) => void>} */ #landedListeners = new Set();
  /** @type {Set<InvalidationListener>} */ #invalidationListeners = new Set();
  /** Ids applied here and in Redis whose layers in front have not confirmed them yet. @type {Set<string>} */
  #unannounced = new Set();
  /** Ids that landed since start, so a listener registered late still hears of them. @type {string[]} */
  #landed = [];

  /**
   * @param {{ redis: import('./redis.mjs').CacheRedis | null, dir: string, prefix: string }} options
   */
  constructor({ redis, dir, prefix }) {
    this.redis = redis;
    this.journal = new Journal(path.join(dir, 'tags.jsonl'));
    this.keys = { hash: `${prefix}:tags`, stream: `${prefix}:tag-events` };
    mkdirSync(dir, { recursive: true });
    this.#loadJournal();
    if (redis) {
      // 'resume': the connection stayed up but Redis stopped answering for a while (redis.mjs's circuit breaker).
      const rejoin = () => {
        this.#lastEventId = null; // events may have been trimmed while away: reload everything once
        void this.#flushQueued();
      };
      redis.on('ready', rejoin);
      redis.on('resume', rejoin);
    }
  }

  /**
   * Records an invalidation: applied to this instance at once and on the disk before it resolves, then sent to Redis.
   * Resolves 'applied' once durable where every instance reads it, 'queued' if Redis is away (it is retried until
   * it lands; `onLanded` says when). Rejects only if it could not be recorded at all (the journal is unwritable).
   * Inside a request, Next's own later call with the same tags (updateTag, revalidateTag) then writes nothing.
   * @param {string[]} tags
   * @param {{ expire?: number }} [durations]
   * @param {{ id?: string }} [options]
   * @returns {Promise<{ id: string, status: UpdateStatus }>}
   */
  async update(tags, durations, { id = randomUUID() } = {}) {
    const op = tagOp([...tags], durations, now(), id);
    noteApplied(op.tags, isHard(durations));
    this.#apply(op);
    this.#append([{ o: op, q: this.redis ? 1 : 0 }]);
    if (!this.redis) return { id: op.id, status: (await this.#notify(op)) ? 'applied' : 'queued' };
    try {
      await this.#push(op);
      this.#noteLanded(op.id);
      return { id: op.id, status: (await this.#notify(op)) ? 'applied' : 'queued' };
    } catch (error) {
      this.#queued.push(op);
      log.state('redis-flush', 'failed', `invalidations are queued: Redis did not take them (${errorMessage(error)}); retrying until it does`);
      this.#scheduleRetry();
      return { id: op.id, status: 'queued' };
    }
  }

  /**
   * For the handlers' updateTags / revalidateTag: what the request has not applied yet (request-ledger.mjs) is
   * applied once, whichever handler kind Next hands it to first.
   * @param {string[]} tags
   * @param {{ expire?: number }} [durations]
   */
  async updateFromNext(tags, durations) {
    const remaining = takeUnapplied(tags, isHard(durations));
    if (remaining.length) await this.update(remaining, durations);
  }

  /**
   * Tells the invalidation listeners, once every instance serves by it (applied here without Redis; in Redis with
   * it). Resolves true if every layer took it at once: each listener finished within LISTENER_WAIT_MS without
   * deferring it. Otherwise false, and the op's id is announced to onLanded listeners when every layer has it (so the
   * revalidation log shows it pending until then).
   * @param {TagOp} op
   */
  async #notify(op) {
    if (this.#invalidationListeners.size === 0) return true;
    /** @type {Promise<void>[]} */
    const deferred = [];
    const answered = Promise.all(
      [...this.#invalidationListeners].map(async (listener) => {
        try {
          const answer = await listener(op);
          if (answer) deferred.push(answer.landed.catch((error) => log.error(`an invalidation listener failed: ${errorMessage(error)}`)));
        } catch (error) {
          log.error(`an invalidation listener failed: ${errorMessage(error)}`);
        }
      }),
    );
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const timely = await Promise.race([answered.then(() => true), new Promise((resolve) => (timer = setTimeout(resolve, LISTENER_WAIT_MS, false)))]);
    clearTimeout(timer);
    if (timely && deferred.length === 0) return true;
    this.#unannounced.add(op.id);
    void answered.then(() => Promise.all(deferred)).then(() => this.#announceLanded(op.id));
    return false;
  }

  /** @param {string} id */
  #announceLanded(id) {
    this.#unannounced.delete(id);
    this.#landed.push(id);
    if (this.#landed.length > 1_000) this.#landed.splice(0, this.#landed.length - 1_000);
    for (const listener of this.#landedListeners) listener([id]);
  }

  /**
   * Calls `listener` with every invalidation this instance makes (not those it learns of from other instances), once
   * every instance serves by it (at once without Redis; once Redis has it otherwise): for layers in front of the
   * app (an edge cache) that must hear of each invalidation once, and only when a refetch from any instance is
   * fresh. update() awaits its answer: nothing once the layer has the invalidation, or a Deferred when it will not
   * have it soon (a layer that is away), so that the author is answered at once with 'queued'. A listener that does
   * neither within LISTENER_WAIT_MS is taken as deferring until it finishes. Either way the invalidation counts as
   * landed (onLanded) only once the layer has it, so the listener should retry until it does.
   * `op.expired <= op.at` means "expired now" (updateTag, expire: 0); otherwise the tag went stale ('max').
   * @param {InvalidationListener} listener
   */
  onInvalidation(listener) {
    this.#invalidationListeners.add(listener);
    return () => this.#invalidationListeners.delete(listener);
  }

  /**
   * True while the invalidation `id` has not landed everywhere: queued for Redis, or waiting for a layer in front.
   * @param {string} id
   */
  isOutstanding(id) {
    return this.#unannounced.has(id) || this.#queued.some((op) => op.id === id);
  }

  /**
   * Calls `listener` with the ids of queued invalidations as they land in Redis (and at once with those that already
   * did since this process started). Returns a function that unsubscribes.
   * @param {(ids: string[]) => void} listener
   */
  onLanded(listener) {
    this.#landedListeners.add(listener);
    if (this.#landed.length) listener([...this.#landed]);
    return () => this.#landedListeners.delete(listener);
  }

  /**
   * Brings this instance up to date with invalidations made anywhere. Called before every request's first cache
   * read. Never rejects and never waits for an absent Redis: the instance then serves what it knows.
   * A request that arrives while a read is under way waits for the next one, which starts after it arrived.
   * @returns {Promise<void>}
   */
  sync() {
    if (!isReady(this.redis)) return Promise.resolve();
    if (this.#running) {
      return (this.#next ??= this.#running.then(() => {
        this.#next = null;
        return this.sync();
      }));
    }
    this.#running = this.#pull().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /**
   * @param {readonly string[]} tags
   * @param {number} timestamp when the entry was made (ms)
   */
  isExpired(tags, timestamp) {
    const at = now();
    return tags.some((tag) => expiredSince(this.#states.get(tag), timestamp, at));
  }

  /**
   * @param {readonly string[]} tags
   * @param {number} timestamp
   */
  isStale(tags, timestamp) {
    return tags.some((tag) => staleSince(this.#states.get(tag), timestamp));
  }

  /**
   * When an entry made at `timestamp` went stale: the latest 'max' of its tags after it was made (ms), or 0.
   * Names the invalidation a stale serve belongs to (stale-once.mjs).
   * @param {readonly string[]} tags
   * @param {number} timestamp
   */
  staleAt(tags, timestamp) {
    let latest = 0;
    for (const tag of tags) {
      const state = this.#states.get(tag);
      if (staleSince(state, timestamp) && state?.stale !== undefined && state.stale > latest) latest = state.stale;
    }
    return latest;
  }

  /** @param {string} tag */
  state(tag) {
    return this.#states.get(tag);
  }

  /** Every tag this instance knows to have been invalidated, with its state (a copy; for the /cache inspector). */
  allStates() {
    return [...this.#states];
  }

  /** @param {TagOp} op */
  #apply(op) {
    for (const tag of op.tags) this.#states.set(tag, mergeTagState(this.#states.get(tag), op));
  }

  /** @param {TagOp} op */
  async #push(op) {
    const redis = this.redis;
    if (!isReady(redis) || !redis) throw new Error('Redis is not connected');
    const minId = String(now() - config.eventRetentionMs);
    const id = await redis.applyTagOp(this.keys.hash, this.keys.stream, JSON.stringify(op), minId);
    // Our own event comes back through the stream too; applying it again is harmless (merge is idempotent).
    void id;
  }

  async #pull() {
    const redis = this.redis;
    if (!redis) return;
    try {
      if (this.#lastEventId === null || now() - this.#lastSyncAt > config.eventRetentionMs / 2) {
        await this.#fullLoad(redis);
      }
      for (;;) {
        const events = await redis.xrange(this.keys.stream, `(${this.#lastEventId}`, '+', 'COUNT', 500);
        const ops = [];
        for (const [id, fields] of events) {
          this.#lastEventId = id;
          const raw = fields[fields.indexOf('op') + 1];
          if (!raw) continue;
          const op = /** @type {TagOp} */ (JSON.parse(raw));
          this.#apply(op);
          ops.push({ o: op });
        }
        if (ops.length) this.#append(ops);
        if (events.length < 500) break;
      }
      this.#lastSyncAt = now();
    } catch (error) {
      log.state('redis-sync', `failed:${errorMessage(error)}`, `could not read invalidations from Redis (${errorMessage(error)}): serving with the tag state this instance has`);
      return;
    }
    log.state('redis-sync', 'ok', 'reading invalidations from Redis');
  }

  /** @param {import('./redis.mjs').CacheRedis} redis */
  async #fullLoad(redis) {
    const results = await redis.multi().time().xrevrange(this.keys.stream, '+', '-', 'COUNT', 1).hgetall(this.keys.hash).exec();
    if (!results) throw new Error('transaction aborted');
    for (const [error] of results) if (error) throw error;
    const [seconds, micros] = /** @type {[string, string]} */ (results[0][1]);
    const latest = /** @type {[string, string[]][]} */ (results[1][1]);
    const all = /** @type {Record<string, string>} */ (results[2][1]);
    for (const [tag, raw] of Object.entries(all)) {
      // Combine rather than replace: what this instance journaled while Redis was away must not be lost.
      const merged = combineTagStates(this.#states.get(tag), /** @type {TagState} */ (JSON.parse(raw)));
      if (merged) this.#states.set(tag, merged);
    }
    // Start reading events after the newest one, or from Redis's clock if there are none yet.
    this.#lastEventId = latest[0]?.[0] ?? `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 1}-0`;
    this.#compactJournal();
  }

  async #flushQueued() {
    while (this.#queued.length && isReady(this.redis)) {
      const op = this.#queued[0];
      try {
        await this.#push(op);
      } catch (error) {
        log.state('redis-flush', 'failed', `queued invalidations still waiting for Redis (${errorMessage(error)})`);
        break;
      }
      this.#unannounced.add(op.id); // outstanding until announced below
      this.#queued.shift();
      this.#noteLanded(op.id);
      // Landed once the layers in front have it too.
      void this.#notify(op).then((timely) => timely && this.#announceLanded(op.id));
    }
    if (!this.#queued.length) log.state('redis-flush', 'ok', 'every queued invalidation has reached Redis');
    else this.#scheduleRetry();
  }

  #scheduleRetry() {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#flushQueued();
    }, 1_000);
    this.#retryTimer.unref();
  }

  /**
   * Writes records to the journal; throws if they are not on the disk (then none of them counts).
   * @param {unknown[]} records
   */
  #append(records) {
    try {
      this.journal.append(records);
    } catch (error) {
      log.state('tag-journal', 'failed', `could not write the tag journal ${this.journal.file} (${errorMessage(error)})`);
      throw error;
    }
    log.state('tag-journal', 'ok', 'writing the tag journal again');
    this.#journalLines += records.length;
    if (this.#journalLines > JOURNAL_COMPACT_LINES) this.#compactJournal();
  }

  /**
   * Notes that Redis has the invalidation `id`. Without the note a restart sends it again, which changes nothing:
   * a failure here is no reason to report the invalidation as not landed.
   * @param {string} id
   */
  #noteLanded(id) {
    try {
      this.#append([{ l: id }]);
    } catch {
      // logged by #append
    }
  }

  #loadJournal() {
    /** @type {Map<string, TagOp>} */
    const unsent = new Map();
    for (const record of this.journal.read()) {
      if (record.s) for (const [tag, state] of Object.entries(record.s)) this.#states.set(tag, state);
      if (record.o) {
        this.#apply(record.o);
        if (record.q) unsent.set(record.o.id, record.o);
      }
      if (record.l) unsent.delete(record.l);
    }
    // Invalidations this instance made but Redis never acknowledged (Redis was away, then we restarted): resend.
    if (this.redis) this.#queued.push(...unsent.values());
    else unsent.clear();
    this.#compactJournal();
    if (this.#queued.length) this.#scheduleRetry();
  }

  /**
   * Rewrites the journal as one snapshot plus the invalidations still waiting for Redis. If there is no room for
   * that, the journal as it is still holds everything, and appends go on to it.
   */
  #compactJournal() {
    const records = [{ s: Object.fromEntries(this.#states) }, ...this.#queued.map((op) => ({ o: op, q: 1 }))];
    try {
      this.journal.replace(records);
    } catch (error) {
      log.state('tag-journal-compaction', 'failed', `could not rewrite the tag journal ${this.journal.file} (${errorMessage(error)}); appending to it as it is`);
      return;
    }
    log.state('tag-journal-compaction', 'ok', 'rewriting the tag journal again');
    this.#journalLines = records.length;
  }
}

/** Expired now (updateTag, expire: 0) rather than stale. @param {{ expire?: number } | undefined} durations */
const isHard = (durations) => !durations || durations.expire === 0;

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

const KEY = Symbol.for('next-tagged-cache.tag-store');
const g = /** @type {Record<symbol, TagStore | undefined>} */ (/** @type {unknown} */ (globalThis));

/** The process's one tag store (handlers and app code reach the same one, whichever bundle they are in). */
export function getTagStore() {
  let store = g[KEY];
  if (!store) {
    store = g[KEY] = new TagStore({ redis: getRedis(), dir: config.dir, prefix: config.prefix });
    const edge = edgeConfig();
    if (edge) store.onInvalidation(edgePurger(edge, { dir: config.dir }));
  }
  return store;
}
