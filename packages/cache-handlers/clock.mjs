// @ts-check
// The handlers' clock. Next calls them inside renders, where under cacheComponents `Date.now()` counts as reading the
// clock for the page (a prerender that does so is aborted, the page left unrendered); it exempts `performance`, meant
// for measuring. Next stamps cache entries and checks tags with this same clock, so the handlers compare like with like.

/**
 * Whole milliseconds since the epoch, as Date.now() but allowed inside a prerender (Redis stream ids and scores need
 * integers). Rounded up: an invalidation is then never dated before an entry made in the same millisecond before it.
 */
export const now = () => Math.ceil(performance.timeOrigin + performance.now());
