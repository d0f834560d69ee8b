import 'server-only';
import { getRevalidationLog } from '../cache-log';
import { readCounters } from './counters';
import { readTagConditions } from './tag-states';
import { groupTimeline } from './timeline';

/** Everything /cache shows, read now: the live tag state and counters, and the (cached) revalidation log. */
export async function inspectCache() {
  const now = Date.now();
  const [{ data: log, stamp }, conditions, counters] = await Promise.all([getRevalidationLog(), readTagConditions(now), readCounters()]);
  return { conditions, counters, lastPerTag: log.perTag, timeline: groupTimeline(log.recent, now), stamp };
}
