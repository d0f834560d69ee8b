import type { CacheStamp as Stamp } from '@/lib/cache/tagged';

/**
 * Makes the cache visible: when this region's data was computed and which tags it carries. On a cache hit
 * the time stays the same across reloads; after its tags are invalidated it moves.
 */
export function CacheStamp({ stamp }: { stamp: Stamp }) {
  return (
    <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
      <span aria-hidden>◷ </span>
      cached{' '}
      <time
        dateTime={stamp.cachedAt}
        data-cached-at={stamp.cachedAt}
        data-cache-tags={stamp.tags.join(' ')}
        title={`Cache tags: ${stamp.tags.join(' ')}`}
      >
        {stamp.cachedAt.replace('T', ' ').slice(0, 19)} UTC
      </time>{' '}
      · tags <span className="font-mono">{stamp.tags.join(' ')}</span>
    </p>
  );
}
