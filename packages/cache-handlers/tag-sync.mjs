// @ts-check
// Tag state shared through Redis (REDIS_URL): a hash holding every tag's state, and a stream of invalidations, both
// written at once by one script (redis.mjs's applyTagOp). Before serving each request an instance reads the stream
// from where it left off (one round trip, shared by all concurrent requests), so an invalidation committed to Redis
// on any instance is seen by every other before its next response. An invalidation Redis does not take (it is away
// or slow) is queued, kept in the journal, and resent until Redis has it.
import { config } from './config.mjs';
import { errorMessage, log } from './log.mjs';
import { isReady } from './redis.mjs';
import { applyToStates, combineTagStates } from './tag-state.mjs';
import { now } from './clock.mjs';

/** @typedef {import('./tag-state.mjs').TagOp} TagOp */
/** @typedef {import('./tag-state.mjs').TagState} TagState */

// Stream events read per round trip; a longer backlog takes several.
const EVENTS_PER_READ = 500;
const RETRY_MS = 1_000;

export class TagSync {
  #redis;
  #keys;
  #states;
  #journal;
  #landed;
  /** Invalidations made here that Redis has not acknowledged yet, oldest first. @type {TagOp[]} */
  #queued = [];
  /** Last stream event applied; null until the first full load. @type {string | null} */
  #lastEventId = null;
  #lastSyncAt = 0;
  /** @type {Promise<void> | null} */ #running = null;
  /** @type {Promise<void> | null} */ #next = null;
  /** @type {NodeJS.Timeout | null} */ #retryTimer = null;

  /**
   * @param {{ redis: import('./redis.mjs').CacheRedis, prefix: string, states: Map<string, TagState>,
   *   journal: import('./tag-journal.mjs').TagJournal, landed: (op: TagOp) => void }} options
   *   states: this process's map, which what Redis holds is merged into; landed: called when a queued invalidation
   *   reaches Redis
   */
  constructor({ redis, prefix, states, journal, landed }) {
    this.#redis = redis;
    this.#keys = { hash: `${prefix}:tags`, stream: `${prefix}:tag-events` };
    this.#states = states;
    this.#journal = journal;
    this.#landed = landed;
    // 'resume': the connection stayed up but Redis stopped answering for a while (redis.mjs's circuit breaker).
    const rejoin = () => {
      this.#lastEventId = null; // events may have been trimmed while away: reload everything once
      void this.#flushQueued();
    };
    redis.on('ready', rejoin);
    redis.on('resume', rejoin);
  }

  /** The invalidations Redis has not acknowledged yet, oldest first (the journal keeps them through compactions). */
  get queued() {
    return /** @type {readonly TagOp[]} */ (this.#queued);
  }

  /** @param {string} id */
  isQueued(id) {
    return this.#queued.some((op) => op.id === id);
  }

  /**
   * Sends an invalidation made here. Resolves true once Redis has it (noted in the journal); false if Redis did not
   * take it: it is then queued and resent until Redis does, and `landed` hears of it.
   * @param {TagOp} op
   */
  async send(op) {
    try {
      await this.#push(op);
    } catch (error) {
      this.#queued.push(op);
      log.state('redis-flush', 'failed', `invalidations are queued: Redis did not take them (${errorMessage(error)}); retrying until it does`);
      this.#scheduleRetry();
      return false;
    }
    this.#journal.noteLanded(op.id);
    return true;
  }

  /**
   * Queues for resending the invalidations an earlier process made that Redis never acknowledged (the journal's).
   * @param {TagOp[]} ops
   */
  resend(ops) {
    this.#queued.push(...ops);
    if (this.#queued.length) this.#scheduleRetry();
  }

  /**
   * Reads the invalidations made anywhere since the last read into the map. One read at a time: a call that arrives
   * while one is under way waits for the next, which starts after it arrived (and is shared by every such call).
   * @returns {Promise<void>}
   */
  sync() {
    if (!isReady(this.#redis)) return Promise.resolve();
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

  /** @param {TagOp} op */
  async #push(op) {
    if (!isReady(this.#redis)) throw new Error('Redis is not connected');
    const minId = String(now() - config.eventRetentionMs);
    // Our own event comes back through the stream too; applying it again is harmless (merge is idempotent).
    await this.#redis.applyTagOp(this.#keys.hash, this.#keys.stream, JSON.stringify(op), minId);
  }

  async #pull() {
    try {
      if (this.#lastEventId === null || now() - this.#lastSyncAt > config.eventRetentionMs / 2) await this.#fullLoad();
      for (;;) {
        const events = await this.#redis.xrange(this.#keys.stream, `(${this.#lastEventId}`, '+', 'COUNT', EVENTS_PER_READ);
        const records = [];
        for (const [id, fields] of events) {
          this.#lastEventId = id;
          const raw = fields[fields.indexOf('op') + 1];
          if (!raw) continue;
          const op = /** @type {TagOp} */ (JSON.parse(raw));
          applyToStates(this.#states, op);
          records.push({ o: op });
        }
        if (records.length) this.#journal.append(records);
        if (events.length < EVENTS_PER_READ) break;
      }
      this.#lastSyncAt = now();
    } catch (error) {
      log.state('redis-sync', `failed:${errorMessage(error)}`, `could not read invalidations from Redis (${errorMessage(error)}): serving with the tag state this instance has`);
      return;
    }
    log.state('redis-sync', 'ok', 'reading invalidations from Redis');
  }

  /** Every tag's state from the hash, and the point in the stream to read on from. */
  async #fullLoad() {
    const results = await this.#redis.multi().time().xrevrange(this.#keys.stream, '+', '-', 'COUNT', 1).hgetall(this.#keys.hash).exec();
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
    this.#journal.compact();
  }

  async #flushQueued() {
    while (this.#queued.length && isReady(this.#redis)) {
      const op = this.#queued[0];
      try {
        await this.#push(op);
      } catch (error) {
        log.state('redis-flush', 'failed', `queued invalidations still waiting for Redis (${errorMessage(error)})`);
        break;
      }
      this.#queued.shift();
      this.#journal.noteLanded(op.id);
      this.#landed(op);
    }
    if (!this.#queued.length) log.state('redis-flush', 'ok', 'every queued invalidation has reached Redis');
    else this.#scheduleRetry();
  }

  #scheduleRetry() {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#flushQueued();
    }, RETRY_MS);
    this.#retryTimer.unref();
  }
}
