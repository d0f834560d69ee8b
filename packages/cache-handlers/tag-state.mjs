// @ts-check
// What an invalidation does to a tag, as one rule shared by every instance, the local journal and Redis
// (the Lua copy in redis.mjs mirrors `mergeTagState`; test/cache-handlers.test.ts checks both).
//
// Next.js hands the handlers `updateTags(tags, durations?)`:
// - no durations (updateTag, revalidatePath): the tag expires now;
// - durations (revalidateTag): the tag is stale now, and expires `durations.expire` seconds from now
//   ('max' → one year, `{ expire: 0 }` → now).
// An entry created before `stale` is served once more while a fresh one is made (stale-while-revalidate);
// an entry created before an expiry that has passed is a miss: the next reader waits for fresh content.

/**
 * @typedef {{ stale?: number, expired?: number, expiredAt?: number, hard?: number }} TagState
 *   stale: when the tag last became stale (ms). expired / expiredAt: the latest expiry and when it was set.
 *   hard: the latest immediate expiry; kept apart so a later 'max' (which moves `expired` a year ahead, as
 *   Next's own handlers do) cannot turn an entry that was already expired back into a stale one.
 * @typedef {{ id: string, tags: string[], at: number, stale?: number, expired?: number }} TagOp
 *   One invalidation, as stored and shared: applying the same op twice, or ops in any order, gives one result.
 */

/**
 * @param {string[]} tags
 * @param {{ expire?: number } | undefined} durations
 * @param {number} at
 * @param {string} id
 * @returns {TagOp}
 */
export function tagOp(tags, durations, at, id) {
  if (!durations) return { id, tags, at, expired: at };
  /** @type {TagOp} */
  const op = { id, tags, at, stale: at };
  if (durations.expire !== undefined) op.expired = at + durations.expire * 1000;
  return op;
}

/**
 * Later writes win, field by field, whatever order ops arrive in (instances, retries, replays).
 * @param {TagState | undefined} current
 * @param {TagOp} op
 * @returns {TagState}
 */
export function mergeTagState(current, op) {
  const next = { ...current };
  if (op.stale !== undefined && !((next.stale ?? -Infinity) >= op.stale)) next.stale = op.stale;
  if (op.expired !== undefined) {
    if (!((next.expiredAt ?? -Infinity) > op.at)) {
      next.expired = op.expired;
      next.expiredAt = op.at;
    }
    if (op.expired <= op.at && !((next.hard ?? -Infinity) >= op.expired)) next.hard = op.expired;
  }
  return next;
}

/**
 * Applies `op` to every tag it names in `states` (this process's map of them, tag-store.mjs).
 * @param {Map<string, TagState>} states
 * @param {TagOp} op
 */
export function applyToStates(states, op) {
  for (const tag of op.tags) states.set(tag, mergeTagState(states.get(tag), op));
}

/**
 * Combines two states of one tag (this instance's and Redis's) with the same rule as `mergeTagState`.
 * @param {TagState | undefined} a
 * @param {TagState | undefined} b
 * @returns {TagState | undefined}
 */
export function combineTagStates(a, b) {
  if (!a || !b) return a ?? b;
  const later = (a.expiredAt ?? -Infinity) >= (b.expiredAt ?? -Infinity) ? a : b;
  /** @type {TagState} */
  const out = {};
  const stale = Math.max(a.stale ?? -Infinity, b.stale ?? -Infinity);
  const hard = Math.max(a.hard ?? -Infinity, b.hard ?? -Infinity);
  if (stale > -Infinity) out.stale = stale;
  if (later.expired !== undefined) {
    out.expired = later.expired;
    out.expiredAt = later.expiredAt;
  }
  if (hard > -Infinity) out.hard = hard;
  return out;
}

/**
 * True if an entry made at `timestamp` must not be served: one of its tags expired after it was made.
 * @param {TagState | undefined} state
 * @param {number} timestamp
 * @param {number} now
 */
export function expiredSince(state, timestamp, now) {
  if (!state) return false;
  if (state.hard !== undefined && state.hard > timestamp) return true;
  return state.expired !== undefined && state.expired <= now && state.expired > timestamp;
}

/**
 * True if an entry made at `timestamp` may be served once more while a fresh one is made.
 * @param {TagState | undefined} state
 * @param {number} timestamp
 */
export function staleSince(state, timestamp) {
  return state?.stale !== undefined && state.stale > timestamp;
}
