// @ts-check
// The handlers' settings, read from the environment once per process (README.md, "Settings").
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Read at run time by Node, never traced by the bundler (turbopackIgnore).
export const distDir = path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.NEXT_DIST_DIR || '.next');

/** @param {string} name @param {number} fallback */
function positiveNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export const config = {
  /** Namespace of every Redis key, so several apps (or test runs) can share one Redis. */
  prefix: process.env.CACHE_KEY_PREFIX || 'ntc',
  /**
   * This instance's own durable files: the tag journal and, without Redis, the page entries. Inside the build
   * directory by default, so a rebuild starts clean with the entries it replaces.
   */
  dir: path.resolve(/* turbopackIgnore: true */ process.env.CACHE_DIR || path.join(distDir, 'cache', 'tagged')),
  /** In-process LRU size per layer (MiB). */
  memoryBytes: positiveNumber('CACHE_MEMORY_MB', 64) * 1024 * 1024,
  /** At most this many entries per layer in Redis or on disk; the oldest written go first. */
  maxEntries: positiveNumber('CACHE_MAX_ENTRIES', 10_000),
  /** An entry without an expiry of its own is kept at most this long (seconds). */
  defaultTtlSeconds: 30 * 24 * 3600,
  /** How long invalidation events stay in the Redis stream; an instance idle for longer reloads all tag state. */
  eventRetentionMs: 60 * 60 * 1000,
};

/**
 * True inside `next build` (its workers inherit NEXT_PHASE). The page layer stores nothing then: the pages it
 * prerenders are its output files (build-output.mjs reads them at run time), and anything else would be stored under
 * a scope no server reads (buildScope(): no BUILD_ID yet).
 */
export const isBuilding = () => process.env.NEXT_PHASE === 'phase-production-build';

let buildId = '';
/**
 * Page entries are scoped to the build that rendered them (a page from another build references other JS chunks);
 * tag state is not: an invalidation applies to every build. Pages are only stored at run time (isBuilding()), when
 * BUILD_ID exists.
 */
export function buildScope() {
  if (process.env.NEXT_DEPLOYMENT_ID) return process.env.NEXT_DEPLOYMENT_ID;
  if (!buildId) {
    try {
      buildId = readFileSync(path.join(/* turbopackIgnore: true */ distDir, 'BUILD_ID'), 'utf8').trim();
    } catch {
      return 'building';
    }
  }
  return buildId;
}
