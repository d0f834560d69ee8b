import { RelativeTime } from '@/app/_components/relative-time';
import { carriersByPattern } from '@/lib/cache-inspector/carriers';
import type { TagCondition } from '@/lib/cache-inspector/tag-states';
import { describeMode, describeSource } from '@/lib/cache/log-labels';
import { tagVocabulary } from '@/lib/cache/tags';

interface LastInvalidation {
  /** What /cache may show of the tag (a draft's slug is hidden), and the pattern of the tag itself. */
  tag: string;
  pattern: string | null;
  at: Date;
  mode: string;
  source: string;
  change: string | null;
}

const SHOWN_TAGS = 12;

function Condition({ condition }: { condition: TagCondition }) {
  const style = condition.state === 'expired' ? 'text-red-700 dark:text-red-400' : 'text-amber-700 dark:text-amber-400';
  return (
    <span data-state={condition.state}>
      <span className={`font-medium ${style}`}>{condition.state}</span> since <RelativeTime at={new Date(condition.since).toISOString()} />
      {condition.expires !== undefined && (
        <span data-testid="expires">, expires <RelativeTime at={new Date(condition.expires).toISOString()} /></span>
      )}
    </span>
  );
}

/**
 * The vocabulary, one row per pattern: what carries it, its state in the tag store, its last logged invalidation.
 * A pattern with a parameter (`post:<id>`) sums up its invalidated tags and lists the latest few.
 */
export function TagTable({ conditions, lastPerTag }: { conditions: Map<string, TagCondition[]>; lastPerTag: LastInvalidation[] }) {
  const carriers = carriersByPattern();
  const lastByPattern = new Map<string, LastInvalidation>();
  for (const last of lastPerTag) {
    const pattern = last.pattern;
    const known = pattern && lastByPattern.get(pattern);
    if (pattern && (!known || known.at < last.at)) lastByPattern.set(pattern, last);
  }
  return (
    // On a phone each tag is a block with its columns one under another (each named), so no column is out of sight.
    <div>
      <table className="block w-full text-left text-sm sm:table" data-testid="tag-table">
        <thead className="hidden border-b border-zinc-200 text-zinc-500 sm:table-header-group dark:border-zinc-800">
          <tr>
            <th className="py-2 pr-4 font-medium">Tag</th>
            <th className="py-2 pr-4 font-medium">Carried by</th>
            <th className="py-2 pr-4 font-medium">State</th>
            <th className="py-2 font-medium">Last invalidation</th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-zinc-100 align-top sm:table-row-group dark:divide-zinc-800">
          {tagVocabulary.map(({ pattern, meaning }) => {
            const list = conditions.get(pattern) ?? [];
            const last = lastByPattern.get(pattern);
            const parameterised = pattern.includes('<');
            return (
              <tr key={pattern} data-pattern={pattern} className="block py-2 sm:table-row sm:py-0">
                <td className="block sm:table-cell sm:max-w-xs sm:py-2 sm:pr-4">
                  <div className="font-mono">{pattern}</div>
                  <div className="text-xs text-zinc-500 dark:text-zinc-400">{meaning}</div>
                </td>
                <td className="block pt-1 text-xs sm:table-cell sm:py-2 sm:pr-4">
                  <span className="text-zinc-500 sm:hidden">Carried by: </span>
                  <ul>
                    {carriers.get(pattern)?.map((c) => (
                      <li key={c.fn}>
                        <span className="font-mono">{c.fn.split('#')[1]}</span> <span className="text-zinc-500">{c.pages.join(', ')}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <StateCell list={list} parameterised={parameterised} />
                <td className="block pt-1 sm:table-cell sm:py-2" data-testid="tag-last">
                  <span className="text-zinc-500 sm:hidden">Last invalidation: </span>
                  {last ? (
                    <>
                      <RelativeTime at={last.at.toISOString()} /> by {describeSource(last)}, {describeMode(last.mode)}
                      {parameterised && <div className="font-mono text-xs text-zinc-500">{last.tag}</div>}
                    </>
                  ) : (
                    <span className="text-zinc-500">not in the log</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A pattern's state: fresh, its one tag's condition, or (for a pattern with a parameter) its latest tags. */
function StateCell({ list, parameterised }: { list: TagCondition[]; parameterised: boolean }) {
  const stale = list.filter((c) => c.state === 'stale').length;
  return (
    <td className="block pt-1 sm:table-cell sm:py-2 sm:pr-4" data-testid="tag-state">
      <span className="text-zinc-500 sm:hidden">State: </span>
      {list.length === 0 ? (
        <span data-state="fresh"><span className="font-medium text-emerald-700 dark:text-emerald-400">fresh</span>: never invalidated</span>
      ) : !parameterised ? (
        <Condition condition={list[0]} />
      ) : (
        <details>
          <summary className="cursor-pointer">
            {list.length} invalidated: {stale} stale, {list.length - stale} expired
          </summary>
          <ul className="mt-1 space-y-0.5 text-xs">
            {list.slice(0, SHOWN_TAGS).map((c, i) => (
              <li key={i}><span className="font-mono">{c.tag}</span> <Condition condition={c} /></li>
            ))}
            {list.length > SHOWN_TAGS && <li className="text-zinc-500">and {list.length - SHOWN_TAGS} more</li>}
          </ul>
        </details>
      )}
    </td>
  );
}
