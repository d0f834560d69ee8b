// The app's cacheLife profiles. next.config.ts registers them; the webhook also accepts their names as `mode`
// (revalidateTag(tag, '<profile>'): stale now, expired `expire` seconds from now), so both read this one table.

export const cacheLifeProfiles = {
  // Posts change only through our own writes, which invalidate their tags at once; the time-based
  // revalidation is a safety net for changes made behind the app's back (a manual SQL fix).
  posts: { stale: 300, revalidate: 3600, expire: 86_400 },
  // Lists are refreshed by tag on every publish; a shorter safety net because they aggregate many rows.
  lists: { stale: 300, revalidate: 900, expire: 86_400 },
  // Categories, authors and topics change rarely and are invalidated by tag when they do.
  navigation: { stale: 300, revalidate: 86_400, expire: 604_800 },
  // Prices and stock live upstream. The inventory service sends a webhook on every change; if a delivery
  // is ever lost, the figure is at most a minute old. expire ≥ 5 minutes keeps these pages prerenderable.
  inventory: { stale: 30, revalidate: 60, expire: 600 },
} as const satisfies Record<string, { stale: number; revalidate: number; expire: number }>;

export type CacheLifeProfile = keyof typeof cacheLifeProfiles;

export const PROFILE_NAMES = Object.keys(cacheLifeProfiles) as CacheLifeProfile[];
