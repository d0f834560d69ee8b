import 'server-only';
import { getRevalidationLog } from '../cache-log';
import { patternOf } from './carriers';
import { readCounters } from './counters';
import { publicTagNames } from './public-tags';
import { readTagConditions } from './tag-states';
import { groupTimeline } from './timeline';

/** Everything /cache shows, read now: the live tag state and counters, and the (cached) revalidation log. */
export async function inspectCache() {
  const now = Date.now();
  const [{ data: log, stamp }, conditions, counters] = await Promise.all([getRevalidationLog(), readTagConditions(now), readCounters()]);
  const shown = await publicTagNames([
    ...[...conditions.byPattern.values()].flat().map((c) => c.tag),
    ...log.perTag.map((last) => last.tag),
    ...log.recent.flatMap((row) => [...row.tags, ...row.paths]),
  ]);
  return {
    conditions: { ...conditions, byPattern: new Map([...conditions.byPattern].map(([pattern, list]) => [pattern, list.map((c) => ({ ...c, tag: shown(c.tag) }))])) },
    counters,
    lastPerTag: log.perTag.map((last) => ({ ...last, pattern: patternOf(last.tag), tag: shown(last.tag) })),
    timeline: groupTimeline(log.recent.map((row) => ({ ...row, tags: row.tags.map(shown), paths: row.paths.map(shown) })), now),
    stamp,
    /** When this state was read: the page shows it, and it moves on every render (the Refresh button: refresh()). */
    readAt: new Date(now).toISOString(),
  };
}
