// @ts-check
// Who hears of the invalidations this instance makes: the layers in front of the app (an edge cache, edge.mjs),
// which must each take an invalidation before it counts as landed, and the app, which learns when one has landed
// everywhere (the revalidation log shows it pending until then).
import { errorMessage, log } from './log.mjs';

/**
 * @typedef {import('./tag-state.mjs').TagOp} TagOp
 * @typedef {(op: TagOp) => void | Deferred | Promise<void | Deferred>} InvalidationListener
 * @typedef {{ landed: Promise<void> }} Deferred  a listener's answer when its layer does not have the invalidation
 *   yet, and will not wait for it: `landed` resolves once it has
 */

// The longest update() waits for a layer in front (onInvalidation) that neither takes an invalidation nor defers it
// (a Deferred answer); past that the invalidation is reported queued until the layer has it.
const LISTENER_WAIT_MS = 2_000;
// Landed ids kept for listeners that register late: bounded, as a process may run for months.
const LANDED_KEPT = 1_000;

export class TagListeners {
  /** @type {Set<InvalidationListener>} */ #invalidationListeners = new Set();
  /** @type {Set<(ids: string[]) => void>} */ #landedListeners = new Set();
  /** Ids applied here (and in Redis, with it) whose layers in front have not confirmed them yet. @type {Set<string>} */
  #unannounced = new Set();
  /** Ids that landed since start, so a listener registered late still hears of them. @type {string[]} */
  #landed = [];

  /**
   * Calls `listener` with every invalidation this instance makes (not those it learns of from other instances), once
   * every instance serves by it (at once without Redis; once Redis has it otherwise): for layers in front of the
   * app (an edge cache) that must hear of each invalidation once, and only when a refetch from any instance is
   * fresh. update() awaits its answer: nothing once the layer has the invalidation, or a Deferred when it will not
   * have it soon (a layer that is away), so that the author is answered at once with 'queued'. A listener that does
   * neither within LISTENER_WAIT_MS is taken as deferring until it finishes. Either way the invalidation counts as
   * landed (onLanded) only once the layer has it, so the listener should retry until it does.
   * `op.expired <= op.at` means "expired now" (updateTag, expire: 0); otherwise the tag went stale ('max').
   * Returns a function that unsubscribes.
   * @param {InvalidationListener} listener
   */
  onInvalidation(listener) {
    this.#invalidationListeners.add(listener);
    return () => this.#invalidationListeners.delete(listener);
  }

  /**
   * Calls `listener` with the ids of invalidations reported queued as they land everywhere (and at once with those
   * that already did since this process started). Returns a function that unsubscribes.
   * @param {(ids: string[]) => void} listener
   */
  onLanded(listener) {
    this.#landedListeners.add(listener);
    if (this.#landed.length) listener([...this.#landed]);
    return () => this.#landedListeners.delete(listener);
  }

  /**
   * True while a layer in front has not confirmed the invalidation `id`.
   * @param {string} id
   */
  isWaiting(id) {
    return this.#unannounced.has(id);
  }

  /**
   * Tells the invalidation listeners of `op`, once every instance serves by it. Resolves true if every layer took it
   * at once: each listener finished within LISTENER_WAIT_MS without deferring it. Otherwise false, and the op's id
   * is announced to onLanded listeners when every layer has it.
   * @param {TagOp} op
   * @returns {Promise<boolean>}
   */
  async notify(op) {
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
    void answered.then(() => Promise.all(deferred)).then(() => this.#announce(op.id));
    return false;
  }

  /**
   * For an invalidation reported queued that has now reached every instance: outstanding until every layer in front
   * has it too, then announced to onLanded listeners.
   * @param {TagOp} op
   */
  notifyLanded(op) {
    this.#unannounced.add(op.id);
    void this.notify(op).then((timely) => timely && this.#announce(op.id));
  }

  /** @param {string} id */
  #announce(id) {
    this.#unannounced.delete(id);
    this.#landed.push(id);
    if (this.#landed.length > LANDED_KEPT) this.#landed.splice(0, this.#landed.length - LANDED_KEPT);
    for (const listener of this.#landedListeners) listener([id]);
  }
}
