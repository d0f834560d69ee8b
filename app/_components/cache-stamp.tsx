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
        className="whitespace-nowrap"
        dateTime={stamp.cachedAt}
        data-cached-at={stamp.cachedAt}
        data-cache-tags={stamp.tags.join(' ')}
        title={`Cache tags: ${stamp.tags.join(' ')}`}
      >
        {stamp.cachedAt.replace('T', ' ').slice(0, 19)} UTC
      </time>{' '}
      · tags{' '}
      {/* Lines break between tags, never inside one (tags have hyphens); one too long for the line is cut, not broken. */}
      {stamp.tags.map((tag, i) => (
        <span key={tag}>
          {i > 0 && ' '}
          <span className="inline-block max-w-full truncate align-bottom font-mono whitespace-nowrap" title={tag}>
            {tag}
          </span>
        </span>
      ))}
    </p>
  );
}
