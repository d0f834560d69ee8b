import { RelativeTime } from '@/app/_components/relative-time';
import type { groupTimeline } from '@/lib/cache-inspector/timeline';
import { describeMode } from '@/lib/cache/log-labels';
import { PROFILE_NAMES } from '@/lib/cache/profiles';

const SHOWN_TAGS = 8;

const modeStyle: Record<string, string> = {
  update: 'border-red-300 dark:border-red-800',
  expire: 'border-red-300 dark:border-red-800',
  path: 'border-red-300 dark:border-red-800',
  max: 'border-amber-300 dark:border-amber-800',
  // revalidateTag with a cacheLife profile: stale-while-revalidate, like 'max'.
  ...Object.fromEntries(PROFILE_NAMES.map((name) => [name, 'border-amber-300 dark:border-amber-800'])),
};

/** Invalidations by age band, one line per change (its modes and tags side by side), newest first. */
export function Timeline({ bands }: { bands: ReturnType<typeof groupTimeline> }) {
  if (bands.length === 0) return <p className="mt-2 text-zinc-500">Nothing has been invalidated yet.</p>;
  return (
    <ol className="mt-2 space-y-6" data-testid="revalidations">
      {bands.map((band) => (
        <li key={band.label}>
          <h3 className="text-sm font-medium text-zinc-500">
            {band.label} · {band.events.length} {band.events.length === 1 ? 'change' : 'changes'}
          </h3>
          <ol className="mt-2 space-y-2 border-l-2 border-zinc-200 pl-4 dark:border-zinc-800">
            {band.events.map((event) => (
              <li key={event.id} data-testid="invalidation" className="text-sm">
                <div>
                  <span className="text-zinc-500"><RelativeTime at={event.at} /></span> · <span className="font-medium">{event.source}</span>{' '}
                  <span className="font-mono text-xs text-zinc-500">{event.actor}</span>
                </div>
                <div className="mt-1 flex flex-wrap gap-2">
                  {event.parts.map((part, i) => (
                    <div key={i} className={`rounded border px-2 py-1 ${modeStyle[part.mode] ?? ''}`}>
                      <span className="mr-2 text-xs font-medium">{describeMode(part.mode)}</span>
                      <span className="font-mono text-xs">{part.tags.slice(0, SHOWN_TAGS).join(' ')}</span>
                      {part.tags.length > SHOWN_TAGS && <span className="text-xs text-zinc-500"> and {part.tags.length - SHOWN_TAGS} more</span>}
                      {part.outcome && <span className="ml-2 text-xs text-amber-700 dark:text-amber-400">{part.outcome}</span>}
                    </div>
                  ))}
                </div>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
