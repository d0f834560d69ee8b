// @ts-check
// The package's API for the app. The handlers themselves are ./use-cache and ./pages, named in next.config; the app
// imports only what is here.
import { getTagStore } from './tag-store.mjs';

export { memoryUsage, onCacheEvent } from './metrics.mjs';

/**
 * @typedef {import('./tag-state.mjs').TagState} TagState
 * @typedef {import('./metrics.mjs').CacheEvent} CacheEvent
 */

/**
 * Records an invalidation where every instance reads it, before the caller answers. Call it beside Next's own
 * updateTag / revalidateTag / revalidatePath for the same tags (Next hands those to the handlers only after the
 * response, and drops a failure there with a log line); Next's later calls for the same request then write nothing.
 *
 * `durations`: none for updateTag and revalidatePath (expired now), `{ expire: 0 }` for revalidateTag(tag, { expire: 0 }),
 * and a profile's `{ expire }` in seconds for revalidateTag(tag, profile) (stale now, expired that long after).
 *
 * Resolves `applied` once every instance serves by it (in Redis, and taken by the edge when there is one), or
 * `queued` when Redis or the edge is away: it is applied on this instance and kept on its disk, and retried until it
 * lands (onInvalidationLanded). Rejects only when it could not be recorded at all (the journal is unwritable).
 * @param {string[]} tags
 * @param {{ expire?: number }} [durations]
 * @param {{ id?: string }} [options] `id` names it for onInvalidationLanded (a random id by default)
 * @returns {Promise<{ id: string, status: 'applied' | 'queued' }>}
 */
export function recordInvalidation(tags, durations, options) {
  return getTagStore().update(tags, durations, options);
}

/**
 * Calls `listener` with the ids of queued invalidations as they land everywhere (and at once with those that did
 * since this process started). Returns a function that stops it.
 * @param {(ids: string[]) => void} listener
 */
export function onInvalidationLanded(listener) {
  return getTagStore().onLanded(listener);
}

/**
 * True while the invalidation `id` has not landed everywhere: waiting for Redis, or for the edge.
 * @param {string} id
 */
export function isInvalidationOutstanding(id) {
  return getTagStore().isOutstanding(id);
}

/**
 * Every tag known to have been invalidated, with its state: when it went stale, when it expires (ms since the
 * epoch). Caught up with the other instances first (Redis), when it answers. A copy, read-only.
 * @returns {Promise<[string, TagState][]>}
 */
export async function tagStates() {
  const store = getTagStore();
  await store.sync();
  return store.allStates();
}
