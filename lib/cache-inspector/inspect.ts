import 'server-only';
import { getDb } from '@/db/client';
import { lastInvalidationPerTag, listRecentRevalidations } from '@/db/queries/revalidations';
import { patternOf } from './carriers';
import { readCounters } from './counters';
import { publicTagNames } from './public-tags';
import { readTagConditions } from './tag-states';
import { groupTimeline } from './timeline';

/**
 * Everything /cache shows, read per request: the live tag state and counters, and the revalidation log. The log is
 * not cached, so no invalidation has to refresh it.
 */
export async function inspectCache() {
  const now = Date.now();
  const db = getDb();
  const [recent, perTag, conditions, counters] = await Promise.all([
    listRecentRevalidations(db, 50),
    lastInvalidationPerTag(db),
    readTagConditions(now),
    readCounters(),
  ]);
  const log = { recent, perTag };
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
    /** When this state was read: the page shows it, and it moves on every render (the Refresh button: refresh()). */
    readAt: new Date(now).toISOString(),
  };
}
