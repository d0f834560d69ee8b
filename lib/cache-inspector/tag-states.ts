import 'server-only';
import { tagStates, type TagState } from '@next-tagged-cache/handlers';
import { patternOf } from './carriers';

/**
 * What a tag's last invalidation means for the entries that carry it, read from the tag store (the same state both
 * cache handlers decide by). A tag the store has never seen is fresh. Otherwise, for entries made before `since`:
 * - 'stale' (revalidateTag 'max'): served once more while a fresh one is made, then replaced;
 * - 'expired' (updateTag, expire: 0): never served again; the next reader waits for a fresh one.
 * Entries made after `since` are fresh: the state describes the last invalidation, not every entry.
 */
export interface TagCondition {
  tag: string;
  state: 'stale' | 'expired';
  since: number;
  /** For 'stale': when it becomes 'expired' (revalidateTag's profile: a year for 'max', 10 minutes for 'inventory'). */
  expires?: number;
}

export function conditionOf(tag: string, state: TagState, now: number): TagCondition | null {
  const expiredSince = Math.max(state.hard ?? -Infinity, state.expired !== undefined && state.expired <= now ? state.expired : -Infinity);
  const staleSince = state.stale ?? -Infinity;
  if (expiredSince === -Infinity && staleSince === -Infinity) return null;
  if (expiredSince >= staleSince) return { tag, state: 'expired', since: expiredSince };
  return { tag, state: 'stale', since: staleSince, ...(state.expired !== undefined && state.expired > now && { expires: state.expired }) };
}

/**
 * Every invalidated tag of the vocabulary, grouped by pattern, newest first. Tags outside the vocabulary (Next's own
 * `_N_T_` path tags, from revalidatePath) are only counted. Catches up with other instances first (Redis).
 */
export async function readTagConditions(now = Date.now()): Promise<{ byPattern: Map<string, TagCondition[]>; other: number }> {
  const byPattern = new Map<string, TagCondition[]>();
  let other = 0;
  for (const [tag, state] of await tagStates()) {
    const pattern = patternOf(tag);
    const condition = conditionOf(tag, state, now);
    if (!condition) continue;
    if (pattern === null) {
      other++;
      continue;
    }
    const list = byPattern.get(pattern) ?? [];
    list.push(condition);
    byPattern.set(pattern, list);
  }
  for (const list of byPattern.values()) list.sort((a, b) => b.since - a.since);
  return { byPattern, other };
}
