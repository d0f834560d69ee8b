import { revalidateTag, updateTag } from 'next/cache';
import { getDb } from '@/db/client';
import { recordRevalidation, type NewRevalidation } from '@/db/queries/revalidations';
import type { TagPlan } from './invalidation-map';
import { tags, validateTags } from './tags';

/**
 * How a tag is invalidated:
 * - 'update': updateTag — the entry is expired and this Server Action's own response re-renders fresh
 *   (read-your-own-writes). Only valid inside a Server Action.
 * - 'max': revalidateTag(tag, 'max') — stale-while-revalidate: the next reader gets the old entry once while
 *   a fresh one is computed in the background.
 * - 'expire': revalidateTag(tag, { expire: 0 }) — the next reader waits for a fresh entry.
 */
export type InvalidationMode = 'update' | 'max' | 'expire';

export function invalidate(list: readonly string[], mode: InvalidationMode): void {
  for (const tag of validateTags(list)) {
    if (mode === 'update') updateTag(tag);
    else if (mode === 'max') revalidateTag(tag, 'max');
    else revalidateTag(tag, { expire: 0 });
  }
}

/**
 * Invalidates and records it in the revalidation log, in one transaction: if invalidating throws, nothing is
 * logged, so a retried webhook delivery is not mistaken for a duplicate. Returns false for a delivery id
 * seen before (nothing is invalidated then).
 */
export async function invalidateAndRecord(entry: NewRevalidation): Promise<boolean> {
  const db = getDb();
  const acted = await db.transaction(async (tx) => {
    const row = await recordRevalidation(tx, entry);
    if (!row) return false;
    invalidate(entry.tags, entry.mode);
    return true;
  });
  // A repeat is logged too, as such, so the log shows every delivery the app received.
  if (!acted) await recordRevalidation(db, { ...entry, deliveryId: null, outcome: 'duplicate' });
  refreshLog();
  return acted;
}

/** The /cache page shows the log: after the new rows are committed, its next reader gets them. */
function refreshLog() {
  revalidateTag(tags.revalidations, { expire: 0 });
}

/**
 * Runs a plan from lib/cache/invalidation-map.ts inside a Server Action (updateTag is only valid there) and
 * logs it. Call it after the change has committed: invalidating first would let a reader re-cache the old data.
 */
export async function invalidateForAction(plan: TagPlan, { actor, change }: { actor: string; change: string }) {
  invalidate(plan.update, 'update');
  invalidate(plan.max, 'max');
  const db = getDb();
  if (plan.update.length) await recordRevalidation(db, { tags: plan.update, mode: 'update', source: 'action', actor, change });
  if (plan.max.length) await recordRevalidation(db, { tags: plan.max, mode: 'max', source: 'action', actor, change });
  refreshLog();
}
