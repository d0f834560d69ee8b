// @ts-check
// Tag state: which tags were invalidated, and when. Both handler kinds ask it whether an entry is fresh, stale or
// expired; the app asks it to record an invalidation and learns whether it is durable yet.
//
// This process's map of tag states answers every check synchronously, at no cost. Behind it:
// - tag-journal.mjs: a journal file in CACHE_DIR, so a restart never forgets an invalidation;
// - tag-sync.mjs: with REDIS_URL, the state every instance shares, read before each request, and the invalidations
//   Redis has not taken yet;
// - tag-listeners.mjs: the layers in front of the app (an edge cache), and who waits to hear that an invalidation
//   landed everywhere.
import { randomUUID } from 'node:crypto';
import { config } from './config.mjs';
import { edgeConfig, edgePurger } from './edge.mjs';
import { getRedis } from './redis.mjs';
import { noteApplied, takeUnapplied } from './request-ledger.mjs';
import { TagJournal } from './tag-journal.mjs';
import { TagListeners } from './tag-listeners.mjs';
import { applyToStates, expiredSince, staleSince, tagOp } from './tag-state.mjs';
import { TagSync } from './tag-sync.mjs';
import { now } from './clock.mjs';

/** @typedef {import('./tag-state.mjs').TagState} TagState */
/** @typedef {'applied' | 'queued'} UpdateStatus  queued: this instance applied it; Redis gets it when it is back */

export class TagStore {
  /** @type {Map<string, TagState>} */
  #states = new Map();
  #journal;
  /** Without Redis there is nothing to sync: this instance's state is the whole truth. @type {TagSync | null} */
  #sync;
  #listeners = new TagListeners();

  /**
   * @param {{ redis: import('./redis.mjs').CacheRedis | null, dir: string, prefix: string }} options
   */
  constructor({ redis, dir, prefix }) {
    this.#journal = new TagJournal(dir, () => ({ states: this.#states, unsent: this.#sync?.queued ?? [] }));
    const unsent = this.#journal.load(this.#states);
    this.#sync = redis ? new TagSync({ redis, prefix, states: this.#states, journal: this.#journal, landed: (op) => this.#listeners.notifyLanded(op) }) : null;
    this.#sync?.resend(unsent);
    this.#journal.compact();
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
    applyToStates(this.#states, op);
    this.#journal.append([{ o: op, q: this.#sync ? 1 : 0 }]);
    if (this.#sync && !(await this.#sync.send(op))) return { id: op.id, status: 'queued' };
    return { id: op.id, status: (await this.#listeners.notify(op)) ? 'applied' : 'queued' };
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
   * Calls `listener` with every invalidation this instance makes, once every instance serves by it, and awaits its
   * answer before update() resolves (the contract: TagListeners#onInvalidation).
   * @param {import('./tag-listeners.mjs').InvalidationListener} listener
   */
  onInvalidation(listener) {
    return this.#listeners.onInvalidation(listener);
  }

  /**
   * Calls `listener` with the ids of queued invalidations as they land everywhere (TagListeners#onLanded).
   * @param {(ids: string[]) => void} listener
   */
  onLanded(listener) {
    return this.#listeners.onLanded(listener);
  }

  /**
   * True while the invalidation `id` has not landed everywhere: queued for Redis, or waiting for a layer in front.
   * @param {string} id
   */
  isOutstanding(id) {
    return this.#listeners.isWaiting(id) || (this.#sync?.isQueued(id) ?? false);
  }

  /**
   * Brings this instance up to date with invalidations made anywhere (TagSync#sync), before every request's first
   * cache read. Never rejects and never waits for an absent Redis: the instance then serves what it knows.
   * @returns {Promise<void>}
   */
  sync() {
    return this.#sync ? this.#sync.sync() : Promise.resolve();
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
}

/** Expired now (updateTag, expire: 0) rather than stale. @param {{ expire?: number } | undefined} durations */
const isHard = (durations) => !durations || durations.expire === 0;

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
