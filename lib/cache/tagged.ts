import { cacheTag } from 'next/cache';
import { validateTags } from './tags';

/** When a cached value was computed and what it is tagged with: shown on the page so readers can see the cache. */
export interface CacheStamp {
  cachedAt: string;
  tags: string[];
}

export interface Cached<T> {
  data: T;
  stamp: CacheStamp;
}

/**
 * Call at the end of a `'use cache'` function: validates and applies the entry's tags, and stamps the result
 * with the time it was computed. The stamp is cached with the data, so a cache hit shows the original time.
 */
export function tagged<T>(data: T, entryTags: readonly string[]): Cached<T> {
  return { data, stamp: stampTags(entryTags) };
}

/** The same for a `'use cache'` component, whose result is markup: applies the tags and returns only the stamp. */
export function stampTags(entryTags: readonly string[]): CacheStamp {
  const valid = validateTags(entryTags);
  cacheTag(...valid);
  return { cachedAt: new Date().toISOString(), tags: valid };
}
