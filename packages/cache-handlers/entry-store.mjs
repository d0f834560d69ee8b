// @ts-check
// Where cache entries live: an in-process LRU in front of a bounded shared store (Redis with REDIS_URL, otherwise
// files in CACHE_DIR). Bounded at every level, so a flood of invented URLs cannot grow memory, Redis or disk without
// limit: the LRU by bytes (CACHE_MEMORY_MB), the store by entry count (CACHE_MAX_ENTRIES, oldest written first) and
// by each entry's own expiry. Entries are serialised with V8's structured clone, which keeps Buffer and Map intact
// (page entries hold both; JSON would break them).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { LRUCache } from 'lru-cache';
import { buildScope, config } from './config.mjs';
import { errorMessage, log } from './log.mjs';
import { getRedis, isReady } from './redis.mjs';
import { now } from './clock.mjs';

/**
 * The bounded store behind the LRU: Redis, shared by every instance, or this instance's own files. Each keeps at most
 * `maxEntries` entries of its layer, dropping the oldest written.
 * @typedef {object} SharedStore
 * @property {'redis' | 'file'} layer its name in the metrics
 * @property {(id: string) => Promise<Buffer | null>} read an entry's bytes; null or a rejection when it is missing or the
 *   store is away (a miss either way)
 * @property {(id: string, bytes: Buffer, ttlMs: number) => Promise<void>} write rejects if the entry was not stored
 */

/**
 * @template {{ timestamp: number }} R
 */
export class EntryStore {
  /** @type {LRUCache<string, { record: R, size: number }>} */
  #memory;
  /** @type {SharedStore} */
  #shared;

  /**
   * @param {{ layer: string, redis: import('./redis.mjs').CacheRedis | null, dir: string, prefix: string,
   *   memoryBytes: number, maxEntries: number, perBuild?: boolean }} options
   *   perBuild: keys are scoped to the build (page keys are plain paths; 'use cache' keys already hold the build id)
   */
  constructor({ layer, redis, dir, prefix, memoryBytes, maxEntries, perBuild = false }) {
    this.layer = layer;
    this.perBuild = perBuild;
    this.#shared = redis ? redisStore(redis, `${prefix}:${layer}`, maxEntries) : fileStore(path.join(dir, layer), maxEntries);
    this.#memory = new LRUCache({ maxSize: memoryBytes, sizeCalculation: (v) => Math.max(1, v.size) });
  }

  /**
   * The newest entry for `key` that `usable` accepts; if none is, the newest one found (the caller may still serve
   * it as stale). A memory copy that is no longer usable is checked against the shared store, where another instance
   * may already have put a fresh one.
   * `found.layer` tells where the answer came from (the shared store when there is none), for the metrics.
   * @param {string} key
   * @param {(record: R) => boolean} usable
   * @param {{ layer?: import('./metrics.mjs').Layer }} [found]
   * @returns {Promise<R | undefined>}
   */
  async get(key, usable, found = {}) {
    const id = this.#id(key);
    const local = this.#memory.get(id)?.record;
    found.layer = 'memory';
    if (local && usable(local)) return local;
    const shared = await this.#read(id);
    if (shared && (!local || shared.record.timestamp > local.timestamp)) {
      this.#memory.set(id, shared, { ttl: shared.ttlMs > 0 ? shared.ttlMs : undefined });
      found.layer = this.sharedLayer;
      return shared.record;
    }
    if (!local) found.layer = this.sharedLayer;
    return local;
  }

  /**
   * @param {string} key
   * @param {R} record
   * @param {number} ttlSeconds how long the entry may be served at all (its `expire`)
   * @returns {Promise<import('./metrics.mjs').Layer>} where it is kept: the shared store, or only memory
   */
  async set(key, record, ttlSeconds) {
    const id = this.#id(key);
    const bytes = serialize({ record, expiresAt: record.timestamp + ttlSeconds * 1000 });
    const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
    this.#memory.set(id, { record, size: bytes.byteLength }, { ttl: ttlMs });
    try {
      await this.#shared.write(id, bytes, ttlMs);
    } catch (error) {
      // Kept in this instance's memory; the shared copy is an optimisation, never a reason to fail a render.
      log.state(`write-${this.layer}`, 'failed', `could not store a ${this.layer} entry (${errorMessage(error)}); it stays in this instance's memory`);
      return 'memory';
    }
    log.state(`write-${this.layer}`, 'ok', `storing ${this.layer} entries again`);
    return this.sharedLayer;
  }

  /** The store behind the LRU. */
  get sharedLayer() {
    return this.#shared.layer;
  }

  /** What this instance holds in memory now, and the bound (bytes are the serialised size). */
  memoryUsage() {
    return { entries: this.#memory.size, bytes: this.#memory.calculatedSize, maxBytes: this.#memory.maxSize };
  }

  /** @param {string} key */
  #id(key) {
    // Keys can be long (a 'use cache' key holds the serialised arguments); a hash keeps storage keys short.
    return createHash('sha256')
      .update(this.perBuild ? buildScope() : '')
      .update('\0')
      .update(key)
      .digest('base64url');
  }

  /**
   * @param {string} id
   * @returns {Promise<{ record: R, size: number, ttlMs: number } | undefined>}
   */
  async #read(id) {
    let bytes;
    try {
      bytes = await this.#shared.read(id);
    } catch {
      return undefined; // missing, or the store is away: a miss, never an error page
    }
    if (!bytes) return undefined;
    try {
      const { record, expiresAt } = deserialize(bytes);
      const ttlMs = expiresAt - now();
      if (ttlMs <= 0) return undefined;
      return { record, size: bytes.byteLength, ttlMs };
    } catch {
      return undefined; // written by an incompatible version: treat as a miss
    }
  }
}

/**
 * Entries in Redis: a key each, with the entry's TTL, and a sorted set of the keys by when they were written.
 * @param {import('./redis.mjs').CacheRedis} redis
 * @param {string} prefix the layer's: `<CACHE_KEY_PREFIX>:<layer>`
 * @param {number} maxEntries
 * @returns {SharedStore}
 */
function redisStore(redis, prefix, maxEntries) {
  const index = `${prefix}:index`;
  return {
    layer: 'redis',
    read: async (id) => (isReady(redis) ? redis.getBuffer(`${prefix}:${id}`) : null),
    async write(id, bytes, ttlMs) {
      if (!isReady(redis)) throw new Error('Redis is not connected');
      const key = `${prefix}:${id}`;
      const results = await redis.multi().set(key, bytes, 'PX', ttlMs).zadd(index, now(), key).zcard(index).exec();
      const count = Number(results?.[2]?.[1] ?? 0);
      if (count > maxEntries) {
        const evicted = /** @type {string[]} */ (await redis.zpopmin(index, count - maxEntries));
        const keys = evicted.filter((_, i) => i % 2 === 0); // zpopmin returns member, score, member, score…
        if (keys.length) await redis.unlink(...keys);
      }
    },
  };
}

/**
 * Entries as files in `dir`, one each, named by its id. Each holds its own expiry, so files need no TTL.
 * @param {string} dir the layer's: `<CACHE_DIR>/<layer>`
 * @param {number} maxEntries
 * @returns {SharedStore}
 */
function fileStore(dir, maxEntries) {
  /** Entry file → when written (ms), oldest first; read from the disk at this process's first write. @type {Map<string, number> | null} */
  let files = null;
  return {
    layer: 'file',
    read: (id) => readFile(path.join(dir, id)),
    async write(id, bytes) {
      files ??= filesOnDisk(dir);
      const file = path.join(dir, id);
      const tmp = `${file}.${process.pid}.${now()}.tmp`;
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, file); // readers see the old entry or the new one, never half of one
      } catch (error) {
        await rm(tmp, { force: true }); // half an entry on a full disk would only keep it full
        throw error;
      }
      files.delete(id);
      files.set(id, now());
      for (const [oldest] of files) {
        if (files.size <= maxEntries) break;
        files.delete(oldest);
        await unlink(path.join(dir, oldest)).catch(() => {});
      }
    },
  };
}

/**
 * The entry files already in `dir` (from the build, or before a restart), oldest first. Temporary files found then
 * are writes a killed process left unfinished: removed.
 * @param {string} dir
 */
function filesOnDisk(dir) {
  mkdirSync(dir, { recursive: true });
  const names = readdirSync(dir);
  for (const name of names) if (name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
  const found = names
    .filter((name) => !name.endsWith('.tmp'))
    .map((name) => [name, statSync(path.join(dir, name)).mtimeMs])
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  return new Map(/** @type {[string, number][]} */ (found));
}

const KEY = Symbol.for('next-tagged-cache.entry-stores');
const g = /** @type {Record<symbol, Map<string, EntryStore<any>> | undefined>} */ (/** @type {unknown} */ (globalThis));

/**
 * The process's one store of a layer, with its settings (config.mjs) and Redis connection. One per process, not per
 * module copy: Next loads a handler module more than once (a copy per bundle that reaches it), and each copy with an
 * LRU of its own would multiply the memory bound and split the entries.
 * @template {{ timestamp: number }} R
 * @param {string} layer
 * @param {{ perBuild?: boolean }} [options]
 * @returns {EntryStore<R>}
 */
export function entryStoreFor(layer, { perBuild = false } = {}) {
  const stores = (g[KEY] ??= new Map());
  let store = stores.get(layer);
  if (!store) stores.set(layer, (store = createStore(layer, perBuild)));
  return store;
}

/**
 * @param {string} layer
 * @param {boolean} perBuild
 */
function createStore(layer, perBuild) {
  return new EntryStore({
    layer,
    redis: getRedis(),
    dir: config.dir,
    prefix: config.prefix,
    memoryBytes: config.memoryBytes,
    maxEntries: config.maxEntries,
    perBuild,
  });
}
