// @ts-check
// One Redis connection per process, shared by both handler kinds. Next loads the handlers outside its bundles,
// once per kind, so the connection lives on globalThis.
//
// Redis is an accelerator and the meeting point of instances, never a reason to fail a request: commands fail
// fast while it is away (no offline queue, short timeouts), callers fall back to this instance's own state, and
// the state change is logged once, not on every request. A Redis that is connected but does not answer (a failover,
// a fork stall, CLIENT PAUSE) would otherwise cost every request a full command timeout: after a few timeouts in a
// row a circuit breaker treats it as away until a probe answers again (then 'resume' is emitted, so the tag store
// reads the invalidations it missed).
import { Redis } from 'ioredis';
import { log } from './log.mjs';

// Applies one TagOp (see tag-state.mjs) to the shared tag hash with the same rule as `mergeTagState`, and appends
// it to the event stream that every instance reads before serving a request. Atomic, so concurrent
// invalidations from several instances never interleave.
const APPLY_TAG_OP = `
local op = cjson.decode(ARGV[1])
for _, tag in ipairs(op.tags) do
  local raw = redis.call('HGET', KEYS[1], tag)
  local s = raw and cjson.decode(raw) or {}
  if op.stale and not (s.stale and s.stale >= op.stale) then s.stale = op.stale end
  if op.expired then
    if not (s.expiredAt and s.expiredAt > op.at) then s.expired = op.expired; s.expiredAt = op.at end
    if op.expired <= op.at and not (s.hard and s.hard >= op.expired) then s.hard = op.expired end
  end
  redis.call('HSET', KEYS[1], tag, cjson.encode(s))
end
return redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[2], '*', 'op', ARGV[1])
`;

/**
 * @typedef {Redis & { applyTagOp(hash: string, stream: string, op: string, minId: string): Promise<string> }} CacheRedis
 */

const KEY = Symbol.for('next-tagged-cache.redis');
const g = /** @type {Record<symbol, { client: CacheRedis, url: string } | undefined>} */ (/** @type {unknown} */ (globalThis));

/** The shared connection, or null when REDIS_URL is unset (one instance, local state only). */
export function getRedis() {
  const url = process.env.REDIS_URL;
  if (!url) return null;
  const existing = g[KEY];
  if (existing) return existing.client;
  const client = connectRedis(url);
  g[KEY] = { client, url };
  return client;
}

/**
 * A connection set up for the cache: fails fast while Redis is away, reconnects by itself, logs state changes once.
 * @param {string} url
 */
export function connectRedis(url) {
  const client = /** @type {CacheRedis} */ (
    new Redis(url, {
      // While disconnected, commands reject at once instead of piling up behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Keep trying, at most every 2 s, so the instance rejoins on its own when Redis returns.
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    })
  );
  client.defineCommand('applyTagOp', { numberOfKeys: 2, lua: APPLY_TAG_OP });
  const where = redactedUrl(url);
  installBreaker(client, where);
  client.on('ready', () => log.state(`redis ${where}`, 'up', `Redis at ${where} is connected: cache entries and invalidations are shared`));
  client.on('error', (error) =>
    log.state(`redis ${where}`, 'down', `Redis at ${where} is unreachable (${error.message}): serving from this instance's cache; invalidations are kept and retried until Redis is back`),
  );
  client.on('end', () => log.state(`redis ${where}`, 'down', `Redis connection to ${where} closed`));
  return client;
}

/** True when commands can be sent now; callers skip Redis (and use local state) otherwise. */
export function isReady(/** @type {Redis | null} */ client) {
  return client !== null && client.status === 'ready' && !breakers.get(client)?.open;
}

// A command normally answers in well under a millisecond here; this bounds what one request can lose to a slow Redis
// before the breaker opens.
const COMMAND_TIMEOUT_MS = 500;
// Timeouts in a row that open the breaker, and how long it stays open before one probe is tried.
const TRIPPING_TIMEOUTS = 3;
const OPEN_MS = 2_000;

/** @type {WeakMap<Redis, { open: boolean }>} */
const breakers = new WeakMap();

/**
 * Counts timeouts of every command the client sends (pipelines and transactions go through sendCommand too).
 * @param {CacheRedis} client
 * @param {string} where
 */
function installBreaker(client, where) {
  const state = { open: false, timeouts: 0 };
  breakers.set(client, state);
  client.on('ready', () => Object.assign(state, { open: false, timeouts: 0 })); // a new connection starts trusted
  const probe = () => {
    setTimeout(() => {
      // Sent past the breaker: only isReady() consults it, the client itself does not.
      client.ping().then(close, () => (client.status === 'end' ? undefined : probe()));
    }, OPEN_MS).unref();
  };
  const close = () => {
    if (!state.open) return;
    state.open = false;
    state.timeouts = 0;
    log.state(`redis ${where}`, 'up', `Redis at ${where} answers again: cache entries and invalidations are shared`);
    client.emit('resume');
  };
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, ...rest) => {
    const result = send(command, ...rest);
    command.promise.then(
      () => (state.timeouts = 0),
      (/** @type {Error} */ error) => {
        if (!/timed out/i.test(error.message) || state.open || ++state.timeouts < TRIPPING_TIMEOUTS) return;
        state.open = true;
        log.state(`redis ${where}`, 'slow', `Redis at ${where} is connected but not answering within ${COMMAND_TIMEOUT_MS} ms: serving from this instance's cache until it does; invalidations are kept and retried`);
        probe();
      },
    );
    return result;
  };
}

/** @param {string} url */
function redactedUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
